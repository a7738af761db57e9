package io.memorystreamer.broker.internal.admin;

import io.memorystreamer.broker.internal.api.ApiHandler;
import io.memorystreamer.broker.internal.api.ApiResponse;
import io.memorystreamer.broker.internal.api.RequestContext;
import io.memorystreamer.broker.internal.produce.DataPlaneApis;
import io.memorystreamer.broker.internal.topic.TopicConfigKeys;
import io.memorystreamer.broker.internal.topic.TopicInfo;
import io.memorystreamer.broker.internal.topic.TopicManager;
import io.memorystreamer.spi.storage.OffsetOutOfRangeException;
import io.memorystreamer.spi.storage.PartitionLog;
import io.memorystreamer.spi.storage.StorageException;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import org.apache.kafka.common.message.DeleteRecordsRequestData;
import org.apache.kafka.common.message.DeleteRecordsRequestData.DeleteRecordsPartition;
import org.apache.kafka.common.message.DeleteRecordsRequestData.DeleteRecordsTopic;
import org.apache.kafka.common.message.DeleteRecordsResponseData;
import org.apache.kafka.common.message.DeleteRecordsResponseData.DeleteRecordsPartitionResult;
import org.apache.kafka.common.message.DeleteRecordsResponseData.DeleteRecordsTopicResult;
import org.apache.kafka.common.protocol.ApiMessage;
import org.apache.kafka.common.protocol.Errors;
import org.apache.kafka.common.requests.DeleteRecordsRequest;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * DeleteRecords ({@code kafka-delete-records}, AdminClient {@code deleteRecords}): advances a
 * partition's log start offset. Offset -1 means the high watermark; an offset beyond it is
 * OFFSET_OUT_OF_RANGE. The response carries the new low watermark (log start offset). As in Kafka,
 * a topic whose cleanup policy does not include {@code delete} refuses with POLICY_VIOLATION.
 */
public final class DeleteRecordsHandler implements ApiHandler {

    private static final Logger LOG = LoggerFactory.getLogger(DeleteRecordsHandler.class);
    private static final long UNKNOWN_LOW_WATERMARK = -1L;

    private final TopicManager topics;
    private final DataPlaneApis dataPlane;

    /** @param dataPlane moves the log start under the partition's write lock */
    public DeleteRecordsHandler(TopicManager topics, DataPlaneApis dataPlane) {
        this.topics = topics;
        this.dataPlane = dataPlane;
    }

    @Override
    public CompletionStage<ApiResponse> handle(RequestContext context, ApiMessage request) {
        DeleteRecordsRequestData data = (DeleteRecordsRequestData) request;
        DeleteRecordsResponseData response = new DeleteRecordsResponseData().setThrottleTimeMs(0);
        for (DeleteRecordsTopic topic : data.topics()) {
            DeleteRecordsTopicResult topicResult = response.topics().find(topic.name());
            if (topicResult == null) {
                topicResult = new DeleteRecordsTopicResult().setName(topic.name());
                response.topics().add(topicResult);
            }
            Optional<TopicInfo> info = topics.topic(topic.name());
            boolean deletable = info.map(this::allowsDeletion).orElse(true);
            for (DeleteRecordsPartition partition : topic.partitions()) {
                if (topicResult.partitions().find(partition.partitionIndex()) != null) {
                    continue;
                }
                topicResult.partitions().add(deletable
                        ? delete(info, topic.name(), partition)
                        : result(partition.partitionIndex(), Errors.POLICY_VIOLATION, UNKNOWN_LOW_WATERMARK));
            }
        }
        return CompletableFuture.completedFuture(ApiResponse.of(response));
    }

    private boolean allowsDeletion(TopicInfo topic) {
        String policy = TopicConfigKeys.find("cleanup.policy")
                .map(key -> topics.resolver().resolve(key, topic.configs()).value())
                .orElse("delete");
        return List.of(policy.split(",")).stream().map(String::trim).anyMatch("delete"::equals);
    }

    private DeleteRecordsPartitionResult delete(Optional<TopicInfo> info, String topic, DeleteRecordsPartition partition) {
        int index = partition.partitionIndex();
        Optional<PartitionLog> found = topics.log(topic, index);
        if (info.isEmpty() || found.isEmpty()) {
            return result(index, Errors.UNKNOWN_TOPIC_OR_PARTITION, UNKNOWN_LOW_WATERMARK);
        }
        PartitionLog log = found.get();
        long offset = partition.offset() == DeleteRecordsRequest.HIGH_WATERMARK ? log.highWatermark() : partition.offset();
        if (offset < 0 || offset > log.highWatermark()) {
            return result(index, Errors.OFFSET_OUT_OF_RANGE, UNKNOWN_LOW_WATERMARK);
        }
        try {
            long logStart = dataPlane.deleteRecordsBefore(info.get(), index, log, offset);
            LOG.info("Records deleted: partition={} before={} logStartOffset={}", log.partition(), offset, logStart);
            return result(index, Errors.NONE, logStart);
        } catch (OffsetOutOfRangeException e) {
            return result(index, Errors.OFFSET_OUT_OF_RANGE, UNKNOWN_LOW_WATERMARK);
        } catch (StorageException e) {
            // The topic was deleted meanwhile (its log closed), or the disk failed.
            LOG.warn("Deleting records failed: partition={} offset={}", log.partition(), offset, e);
            Errors error = topics.log(topic, index).isPresent() ? Errors.KAFKA_STORAGE_ERROR
                    : Errors.UNKNOWN_TOPIC_OR_PARTITION;
            return result(index, error, UNKNOWN_LOW_WATERMARK);
        }
    }

    private static DeleteRecordsPartitionResult result(int partition, Errors error, long lowWatermark) {
        return new DeleteRecordsPartitionResult().setPartitionIndex(partition).setErrorCode(error.code())
                .setLowWatermark(lowWatermark);
    }
}
