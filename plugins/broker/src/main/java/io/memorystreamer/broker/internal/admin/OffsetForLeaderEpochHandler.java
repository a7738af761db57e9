package io.memorystreamer.broker.internal.admin;

import io.memorystreamer.broker.internal.api.ApiHandler;
import io.memorystreamer.broker.internal.api.ApiResponse;
import io.memorystreamer.broker.internal.api.RequestContext;
import io.memorystreamer.broker.internal.topic.TopicManager;
import io.memorystreamer.spi.storage.PartitionLog;
import io.memorystreamer.spi.storage.StorageException;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import org.apache.kafka.common.message.OffsetForLeaderEpochRequestData;
import org.apache.kafka.common.message.OffsetForLeaderEpochRequestData.OffsetForLeaderPartition;
import org.apache.kafka.common.message.OffsetForLeaderEpochRequestData.OffsetForLeaderTopic;
import org.apache.kafka.common.message.OffsetForLeaderEpochResponseData;
import org.apache.kafka.common.message.OffsetForLeaderEpochResponseData.EpochEndOffset;
import org.apache.kafka.common.message.OffsetForLeaderEpochResponseData.OffsetForLeaderTopicResult;
import org.apache.kafka.common.protocol.ApiMessage;
import org.apache.kafka.common.protocol.Errors;
import org.apache.kafka.common.record.internal.RecordBatch;
import org.apache.kafka.common.requests.OffsetsForLeaderEpochResponse;

/**
 * OffsetForLeaderEpoch (consumers validate their position after a leader epoch is known): this
 * node has led every partition in epoch {@value MetadataHandler#LEADER_EPOCH} since the log's
 * first offset, so epoch 0 ends at the log end offset, a later epoch is unknown (-1/-1), and an
 * earlier one ends where the log now starts. The current-epoch fence works as in Kafka: a newer
 * epoch than the leader's is UNKNOWN_LEADER_EPOCH, an older one FENCED_LEADER_EPOCH.
 */
public final class OffsetForLeaderEpochHandler implements ApiHandler {

    private final TopicManager topics;

    public OffsetForLeaderEpochHandler(TopicManager topics) {
        this.topics = topics;
    }

    @Override
    public CompletionStage<ApiResponse> handle(RequestContext context, ApiMessage request) {
        OffsetForLeaderEpochRequestData data = (OffsetForLeaderEpochRequestData) request;
        OffsetForLeaderEpochResponseData response = new OffsetForLeaderEpochResponseData().setThrottleTimeMs(0);
        for (OffsetForLeaderTopic topic : data.topics()) {
            OffsetForLeaderTopicResult result = new OffsetForLeaderTopicResult().setTopic(topic.topic());
            for (OffsetForLeaderPartition partition : topic.partitions()) {
                result.partitions().add(endOffset(topic.topic(), partition));
            }
            response.topics().add(result);
        }
        return CompletableFuture.completedFuture(ApiResponse.of(response));
    }

    private EpochEndOffset endOffset(String topic, OffsetForLeaderPartition partition) {
        EpochEndOffset result = new EpochEndOffset().setPartition(partition.partition())
                .setLeaderEpoch(OffsetsForLeaderEpochResponse.UNDEFINED_EPOCH)
                .setEndOffset(OffsetsForLeaderEpochResponse.UNDEFINED_EPOCH_OFFSET);
        Optional<PartitionLog> log = topics.log(topic, partition.partition());
        if (log.isEmpty()) {
            return result.setErrorCode(Errors.UNKNOWN_TOPIC_OR_PARTITION.code());
        }
        int current = partition.currentLeaderEpoch();
        if (current != RecordBatch.NO_PARTITION_LEADER_EPOCH) {
            if (current > MetadataHandler.LEADER_EPOCH) {
                return result.setErrorCode(Errors.UNKNOWN_LEADER_EPOCH.code());
            }
            if (current < MetadataHandler.LEADER_EPOCH) {
                return result.setErrorCode(Errors.FENCED_LEADER_EPOCH.code());
            }
        }
        int requested = partition.leaderEpoch();
        result.setErrorCode(Errors.NONE.code());
        try {
            if (requested == MetadataHandler.LEADER_EPOCH) {
                return result.setLeaderEpoch(requested).setEndOffset(log.get().logEndOffset());
            }
            if (requested < MetadataHandler.LEADER_EPOCH && requested != OffsetsForLeaderEpochResponse.UNDEFINED_EPOCH) {
                // Older than any epoch here: as Kafka, the start of the first known epoch.
                return result.setLeaderEpoch(requested).setEndOffset(log.get().logStartOffset());
            }
            return result;
        } catch (StorageException e) {
            return result.setErrorCode(Errors.UNKNOWN_TOPIC_OR_PARTITION.code());
        }
    }
}
