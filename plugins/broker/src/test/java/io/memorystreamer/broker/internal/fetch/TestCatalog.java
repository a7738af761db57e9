package io.memorystreamer.broker.internal.fetch;

import io.memorystreamer.broker.internal.topic.EffectiveTopicConfig;
import io.memorystreamer.broker.internal.topic.TopicCatalog;
import io.memorystreamer.broker.internal.topic.TopicInfo;
import io.memorystreamer.spi.storage.LogConfig;
import io.memorystreamer.spi.storage.PartitionId;
import io.memorystreamer.spi.storage.PartitionLog;
import io.memorystreamer.storage.log.internal.LogManager;
import io.memorystreamer.storage.log.internal.StorageSettings;
import java.nio.file.Path;
import java.time.InstantSource;
import java.util.Collection;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.UnaryOperator;
import org.apache.kafka.common.Uuid;

/**
 * A topic catalog over the real segmented partition logs (the storage engine behind the
 * storage plugin's factory) in a test directory. Topic metadata lives in memory; the logs live
 * on disk and survive {@link #reopenStorage()}.
 */
public final class TestCatalog implements TopicCatalog, AutoCloseable {

    /** Kafka's default {@code message.max.bytes}. */
    public static final int DEFAULT_MAX_MESSAGE_BYTES = 1024 * 1024 + 12;

    /** Small segments, so reads and walks cross segment boundaries. */
    private static final LogConfig LOG_CONFIG = new LogConfig(16 * 1024, LogConfig.DEFAULT.segmentMs(),
            -1, -1, Long.MAX_VALUE, Long.MAX_VALUE, 1024, 64 * 1024);

    private record Topic(TopicInfo info, EffectiveTopicConfig config) {
    }

    private final Path directory;
    private final Map<String, Topic> topics = new ConcurrentHashMap<>();
    private final Map<PartitionId, PartitionLog> logs = new ConcurrentHashMap<>();
    private volatile UnaryOperator<PartitionLog> logView = UnaryOperator.identity();
    private volatile LogManager storage;

    public TestCatalog(Path directory) {
        this.directory = directory;
        this.storage = openStorage();
    }

    public TopicInfo create(String name, int partitions) {
        return create(name, partitions, new EffectiveTopicConfig(DEFAULT_MAX_MESSAGE_BYTES, false));
    }

    public TopicInfo create(String name, int partitions, EffectiveTopicConfig config) {
        TopicInfo info = new TopicInfo(name, Uuid.randomUuid(), partitions, Map.of());
        topics.put(name, new Topic(info, config));
        return info;
    }

    /** Removes a topic and deletes its logs. */
    public void delete(String name) {
        Topic removed = topics.remove(name);
        if (removed != null) {
            for (int p = 0; p < removed.info().partitionCount(); p++) {
                PartitionId id = new PartitionId(name, p);
                logs.remove(id);
                storage.delete(id);
            }
        }
    }

    /** Closes every log and opens the storage again, recovering the logs from their files. */
    public void reopenStorage() {
        logs.clear();
        storage.close();
        storage = openStorage();
    }

    /** Hands out every log through a decorator (as an encrypting or replicating layer would). */
    public void decorateLogs(UnaryOperator<PartitionLog> view) {
        logs.clear();
        this.logView = view;
    }

    @Override
    public Optional<TopicInfo> topic(String name) {
        return Optional.ofNullable(topics.get(name)).map(Topic::info);
    }

    @Override
    public Optional<TopicInfo> topic(Uuid id) {
        return topics.values().stream().map(Topic::info).filter(info -> info.id().equals(id)).findFirst();
    }

    @Override
    public Collection<TopicInfo> topics() {
        return topics.values().stream().map(Topic::info).toList();
    }

    @Override
    public Optional<PartitionLog> log(String topic, int partition) {
        Topic found = topics.get(topic);
        if (found == null || partition < 0 || partition >= found.info().partitionCount()) {
            return Optional.empty();
        }
        PartitionId id = new PartitionId(topic, partition);
        return Optional.of(logs.computeIfAbsent(id, key -> logView.apply(storage.open(key, LOG_CONFIG))));
    }

    @Override
    public EffectiveTopicConfig config(String topic) {
        Topic found = topics.get(topic);
        return found == null ? new EffectiveTopicConfig(DEFAULT_MAX_MESSAGE_BYTES, false) : found.config();
    }

    @Override
    public void close() {
        storage.close();
    }

    private LogManager openStorage() {
        return new LogManager(StorageSettings.from(Map.of(StorageSettings.LOG_DIRS, directory.toString())),
                InstantSource.system());
    }
}
