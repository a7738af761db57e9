package io.memorystreamer.broker.internal.fetch;

import io.memorystreamer.broker.internal.api.ApiHandler;
import io.memorystreamer.broker.internal.api.ApiResponse;
import io.memorystreamer.broker.internal.api.RequestContext;
import io.memorystreamer.broker.internal.topic.TopicCatalog;
import io.memorystreamer.broker.internal.topic.TopicInfo;
import io.memorystreamer.spi.storage.PartitionLog;
import io.memorystreamer.spi.storage.StorageException;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import org.apache.kafka.common.IsolationLevel;
import org.apache.kafka.common.message.ListOffsetsRequestData;
import org.apache.kafka.common.message.ListOffsetsResponseData;
import org.apache.kafka.common.protocol.ApiMessage;
import org.apache.kafka.common.protocol.Errors;
import org.apache.kafka.common.requests.ListOffsetsRequest;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * ListOffsets: the earliest offset (-2, and -4 since there is no tiered storage), the latest (-1:
 * the high watermark, or the last stable offset for read_committed), the record with the largest timestamp (-3: walks every batch header, so it
 * costs one small read per batch), and the first record at or after a timestamp. The tiered
 * storage queries (-5, -6) find nothing.
 */
public final class ListOffsetsHandler implements ApiHandler {

    private static final Logger LOG = LoggerFactory.getLogger(ListOffsetsHandler.class);
    private static final short FIRST_VERSION_WITH_LEADER_EPOCH = 4;

    private final TopicCatalog catalog;
    private final TransactionIndex transactions;

    /** A handler for logs without transactions. */
    public ListOffsetsHandler(TopicCatalog catalog) {
        this(catalog, TransactionIndex.NONE);
    }

    /** @param transactions the last stable offsets that bound read_committed lookups */
    public ListOffsetsHandler(TopicCatalog catalog, TransactionIndex transactions) {
        this.catalog = catalog;
        this.transactions = transactions;
    }

    /** A throw here reaches the dispatcher, which answers with the API's error response. */
    @Override
    public CompletionStage<ApiResponse> handle(RequestContext context, ApiMessage message) {
        ListOffsetsRequestData request = (ListOffsetsRequestData) message;
        IsolationLevel isolation = IsolationLevels.of(request.isolationLevel());
        ListOffsetsResponseData response = new ListOffsetsResponseData().setThrottleTimeMs(0);
        for (ListOffsetsRequestData.ListOffsetsTopic topic : request.topics()) {
            ListOffsetsResponseData.ListOffsetsTopicResponse topicResponse =
                    new ListOffsetsResponseData.ListOffsetsTopicResponse().setName(topic.name());
            for (ListOffsetsRequestData.ListOffsetsPartition partition : topic.partitions()) {
                topicResponse.partitions().add(listOffset(topic.name(), partition, isolation, context.apiVersion()));
            }
            response.topics().add(topicResponse);
        }
        return CompletableFuture.completedFuture(ApiResponse.of(response));
    }

    private ListOffsetsResponseData.ListOffsetsPartitionResponse listOffset(String topic,
            ListOffsetsRequestData.ListOffsetsPartition request, IsolationLevel isolation, short version) {
        ListOffsetsResponseData.ListOffsetsPartitionResponse response =
                new ListOffsetsResponseData.ListOffsetsPartitionResponse()
                        .setPartitionIndex(request.partitionIndex())
                        .setTimestamp(-1L)
                        .setOffset(-1L)
                        .setLeaderEpoch(-1);
        Optional<TopicInfo> info = catalog.topic(topic);
        Optional<PartitionLog> log = catalog.log(topic, request.partitionIndex());
        if (info.isEmpty() || log.isEmpty()) {
            return response.setErrorCode(Errors.UNKNOWN_TOPIC_OR_PARTITION.code());
        }
        if (request.timestamp() < 0 && !isKnownSpecialTimestamp(request.timestamp())) {
            return response.setErrorCode(Errors.INVALID_REQUEST.code());
        }
        try {
            OffsetSearch.Found found = find(info.get(), request.partitionIndex(), log.get(), request.timestamp(),
                    isolation);
            if (found.offset() >= 0) {
                response.setOffset(found.offset()).setTimestamp(found.timestamp());
                if (version >= FIRST_VERSION_WITH_LEADER_EPOCH) {
                    // older versions have no such field and cannot encode one
                    response.setLeaderEpoch(LeaderEpochs.CURRENT);
                }
            }
            return response.setErrorCode(Errors.NONE.code());
        } catch (StorageException e) {
            LOG.warn("ListOffsets failed: partition={}-{}, reason={}", topic, request.partitionIndex(), e.getMessage());
            return response.setErrorCode(Errors.KAFKA_STORAGE_ERROR.code());
        }
    }

    private OffsetSearch.Found find(TopicInfo topic, int partition, PartitionLog log, long timestamp,
            IsolationLevel isolation) {
        long highWatermark = log.highWatermark();
        long visibleEnd = isolation == IsolationLevel.READ_COMMITTED
                ? Math.min(highWatermark, transactions.lastStableOffset(topic, partition, log))
                : highWatermark;
        if (timestamp >= 0) {
            return OffsetSearch.firstAtOrAfter(log, timestamp, visibleEnd);
        }
        if (timestamp == ListOffsetsRequest.EARLIEST_TIMESTAMP || timestamp == ListOffsetsRequest.EARLIEST_LOCAL_TIMESTAMP) {
            return new OffsetSearch.Found(log.logStartOffset(), -1L);
        }
        if (timestamp == ListOffsetsRequest.LATEST_TIMESTAMP) {
            return new OffsetSearch.Found(visibleEnd, -1L);
        }
        if (timestamp == ListOffsetsRequest.MAX_TIMESTAMP) {
            return OffsetSearch.maxTimestamp(log, visibleEnd);
        }
        // LATEST_TIERED_TIMESTAMP and EARLIEST_PENDING_UPLOAD_TIMESTAMP: no tiered storage.
        return OffsetSearch.Found.NONE;
    }

    private static boolean isKnownSpecialTimestamp(long timestamp) {
        return timestamp == ListOffsetsRequest.EARLIEST_TIMESTAMP
                || timestamp == ListOffsetsRequest.LATEST_TIMESTAMP
                || timestamp == ListOffsetsRequest.MAX_TIMESTAMP
                || timestamp == ListOffsetsRequest.EARLIEST_LOCAL_TIMESTAMP
                || timestamp == ListOffsetsRequest.LATEST_TIERED_TIMESTAMP
                || timestamp == ListOffsetsRequest.EARLIEST_PENDING_UPLOAD_TIMESTAMP;
    }
}
