package io.memorystreamer.broker.internal.txn;

import io.memorystreamer.broker.internal.api.ApiHandler;
import io.memorystreamer.broker.internal.api.ApiResponse;
import io.memorystreamer.broker.internal.api.RequestContext;
import io.memorystreamer.broker.internal.topic.TopicCatalog;
import io.memorystreamer.broker.internal.topic.TopicInfo;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.function.LongSupplier;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.message.TxnOffsetCommitRequestData;
import org.apache.kafka.common.message.TxnOffsetCommitRequestData.TxnOffsetCommitRequestPartition;
import org.apache.kafka.common.message.TxnOffsetCommitRequestData.TxnOffsetCommitRequestTopic;
import org.apache.kafka.common.message.TxnOffsetCommitResponseData;
import org.apache.kafka.common.message.TxnOffsetCommitResponseData.TxnOffsetCommitResponsePartition;
import org.apache.kafka.common.message.TxnOffsetCommitResponseData.TxnOffsetCommitResponseTopic;
import org.apache.kafka.common.protocol.ApiMessage;
import org.apache.kafka.common.protocol.Errors;

/**
 * TxnOffsetCommit (v0-v6; topic ids since v6): offsets the producer's open transaction commits
 * for a consumer group. They stay pending, invisible to OffsetFetch, until EndTxn: a commit makes
 * them the group's committed offsets, an abort drops them. Member and generation are checked
 * (v3+) as OffsetCommit checks them.
 */
final class TxnOffsetCommitHandler implements ApiHandler {

    private static final short TOPIC_ID_VERSION = 6;

    private final TransactionCoordinator coordinator;
    private final TopicCatalog catalog;
    private final LongSupplier clock;

    TxnOffsetCommitHandler(TransactionCoordinator coordinator, TopicCatalog catalog, LongSupplier clock) {
        this.coordinator = coordinator;
        this.catalog = catalog;
        this.clock = clock;
    }

    @Override
    public CompletionStage<ApiResponse> handle(RequestContext context, ApiMessage message) {
        return CompletableFuture.completedFuture(ApiResponse.of(commit((TxnOffsetCommitRequestData) message,
                context.apiVersion())));
    }

    private TxnOffsetCommitResponseData commit(TxnOffsetCommitRequestData request, short version) {
        boolean byId = version >= TOPIC_ID_VERSION;
        long now = clock.getAsLong();
        TxnOffsetCommitResponseData response = new TxnOffsetCommitResponseData().setThrottleTimeMs(0);
        Map<TopicPartition, PendingOffset> offsets = new LinkedHashMap<>();
        List<TxnOffsetCommitResponsePartition> accepted = new ArrayList<>();
        for (TxnOffsetCommitRequestTopic topic : request.topics()) {
            Optional<TopicInfo> info = byId ? catalog.topic(topic.topicId()) : catalog.topic(topic.name());
            TxnOffsetCommitResponseTopic topicResponse = new TxnOffsetCommitResponseTopic()
                    .setName(info.map(TopicInfo::name).orElse(topic.name()))
                    .setTopicId(topic.topicId());
            response.topics().add(topicResponse);
            for (TxnOffsetCommitRequestPartition partition : topic.partitions()) {
                TxnOffsetCommitResponsePartition partitionResponse = new TxnOffsetCommitResponsePartition()
                        .setPartitionIndex(partition.partitionIndex());
                topicResponse.partitions().add(partitionResponse);
                if (info.isEmpty() || partition.partitionIndex() < 0
                        || partition.partitionIndex() >= info.get().partitionCount()) {
                    partitionResponse.setErrorCode(info.isEmpty() && byId
                            ? Errors.UNKNOWN_TOPIC_ID.code() : Errors.UNKNOWN_TOPIC_OR_PARTITION.code());
                } else {
                    offsets.put(new TopicPartition(info.get().name(), partition.partitionIndex()),
                            new PendingOffset(partition.committedOffset(), partition.committedLeaderEpoch(),
                                    partition.committedMetadata(), now));
                    accepted.add(partitionResponse);
                }
            }
        }
        if (!accepted.isEmpty()) {
            Errors error = store(request, offsets);
            accepted.forEach(partition -> partition.setErrorCode(error.code()));
        }
        return response;
    }

    private Errors store(TxnOffsetCommitRequestData request, Map<TopicPartition, PendingOffset> offsets) {
        if (request.transactionalId() == null || request.transactionalId().isEmpty()) {
            return Errors.INVALID_REQUEST;
        }
        if (request.groupId() == null || request.groupId().isEmpty()) {
            return Errors.INVALID_GROUP_ID;
        }
        return coordinator.commitOffsets(request.transactionalId(), request.producerId(), request.producerEpoch(),
                request.groupId(), request.memberId(), request.groupInstanceId(), request.generationIdOrMemberEpoch(),
                offsets);
    }
}
