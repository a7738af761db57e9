package io.memorystreamer.broker.internal.admin;

import io.memorystreamer.broker.internal.BrokerSettings;
import io.memorystreamer.broker.internal.api.ApiHandler;
import io.memorystreamer.broker.internal.api.ApiResponse;
import io.memorystreamer.broker.internal.api.RequestContext;
import io.memorystreamer.broker.internal.topic.TopicInfo;
import io.memorystreamer.broker.internal.topic.TopicManager;
import io.memorystreamer.spi.storage.PartitionLog;
import io.memorystreamer.spi.storage.StorageException;
import java.io.IOException;
import java.nio.file.FileStore;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import org.apache.kafka.common.message.DescribeLogDirsRequestData;
import org.apache.kafka.common.message.DescribeLogDirsRequestData.DescribableLogDirTopic;
import org.apache.kafka.common.message.DescribeLogDirsResponseData;
import org.apache.kafka.common.message.DescribeLogDirsResponseData.DescribeLogDirsPartition;
import org.apache.kafka.common.message.DescribeLogDirsResponseData.DescribeLogDirsResult;
import org.apache.kafka.common.message.DescribeLogDirsResponseData.DescribeLogDirsTopic;
import org.apache.kafka.common.protocol.ApiMessage;
import org.apache.kafka.common.protocol.Errors;

/**
 * DescribeLogDirs ({@code kafka-log-dirs}, AdminClient {@code describeLogDirs}): each directory of
 * {@code log.dirs} with the size of every partition log in it and the total and usable bytes of
 * its file store. Every replica here is the leader, so the offset lag is always 0.
 *
 * <p>A partition's directory is found by the layout the storage plugin documents
 * ({@code <log dir>/<topic>-<partition>}); a log found in none is reported under the first
 * directory.
 */
public final class DescribeLogDirsHandler implements ApiHandler {

    private final TopicManager topics;
    private final List<Path> logDirs;

    public DescribeLogDirsHandler(TopicManager topics, BrokerSettings settings) {
        this.topics = topics;
        this.logDirs = logDirsOf(settings.raw());
    }

    /** The directories of {@code log.dirs} (else {@code log.dir}), absolute, in configured order. */
    static List<Path> logDirsOf(Map<String, String> config) {
        String dirs = config.get("log.dirs");
        if (dirs == null || dirs.isBlank()) {
            dirs = config.getOrDefault("log.dir", "");
        }
        Set<Path> paths = new LinkedHashSet<>();
        for (String dir : dirs.split(",")) {
            if (!dir.isBlank()) {
                paths.add(Path.of(dir.trim()).toAbsolutePath().normalize());
            }
        }
        return List.copyOf(paths);
    }

    @Override
    public CompletionStage<ApiResponse> handle(RequestContext context, ApiMessage request) {
        DescribeLogDirsRequestData data = (DescribeLogDirsRequestData) request;
        Map<Path, Map<String, List<DescribeLogDirsPartition>>> byDir = new LinkedHashMap<>();
        logDirs.forEach(dir -> byDir.put(dir, new LinkedHashMap<>()));
        List<TopicInfo> all = new ArrayList<>(topics.topics());
        all.sort(Comparator.comparing(TopicInfo::name));
        for (TopicInfo topic : all) {
            Set<Integer> wanted = wantedPartitions(data, topic.name());
            for (int p = 0; p < topic.partitionCount(); p++) {
                if (wanted != null && !wanted.contains(p)) {
                    continue;
                }
                Optional<PartitionLog> log = topics.log(topic.name(), p);
                if (log.isEmpty() || logDirs.isEmpty()) {
                    continue;
                }
                long size;
                try {
                    size = log.get().sizeInBytes();
                } catch (StorageException e) {
                    continue; // deleted meanwhile
                }
                byDir.get(directoryOf(topic.name(), p)).computeIfAbsent(topic.name(), t -> new ArrayList<>())
                        .add(new DescribeLogDirsPartition().setPartitionIndex(p).setPartitionSize(size)
                                .setOffsetLag(0).setIsFutureKey(false));
            }
        }
        DescribeLogDirsResponseData response = new DescribeLogDirsResponseData().setThrottleTimeMs(0)
                .setErrorCode(Errors.NONE.code());
        byDir.forEach((dir, partitionsByTopic) -> response.results().add(describe(dir, partitionsByTopic)));
        return CompletableFuture.completedFuture(ApiResponse.of(response));
    }

    /** The partitions asked for of a topic; null for all (the request names no topics). */
    private static Set<Integer> wantedPartitions(DescribeLogDirsRequestData data, String topic) {
        if (data.topics() == null) {
            return null;
        }
        DescribableLogDirTopic requested = data.topics().find(topic);
        return requested == null ? Set.of() : Set.copyOf(requested.partitions());
    }

    private Path directoryOf(String topic, int partition) {
        if (logDirs.size() > 1) {
            for (Path dir : logDirs) {
                if (Files.isDirectory(dir.resolve(topic + "-" + partition))) {
                    return dir;
                }
            }
        }
        return logDirs.getFirst();
    }

    private static DescribeLogDirsResult describe(Path dir, Map<String, List<DescribeLogDirsPartition>> partitions) {
        DescribeLogDirsResult result = new DescribeLogDirsResult().setLogDir(dir.toString());
        partitions.forEach((topic, list) -> result.topics().add(
                new DescribeLogDirsTopic().setName(topic).setPartitions(list)));
        try {
            FileStore store = Files.getFileStore(dir);
            return result.setErrorCode(Errors.NONE.code()).setTotalBytes(store.getTotalSpace())
                    .setUsableBytes(store.getUsableSpace());
        } catch (IOException e) {
            return result.setErrorCode(Errors.KAFKA_STORAGE_ERROR.code());
        }
    }
}
