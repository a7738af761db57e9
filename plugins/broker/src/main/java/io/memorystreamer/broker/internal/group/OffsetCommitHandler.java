package io.memorystreamer.broker.internal.group;

import io.memorystreamer.broker.internal.api.ApiHandler;
import io.memorystreamer.broker.internal.api.ApiResponse;
import io.memorystreamer.broker.internal.api.RequestContext;
import io.memorystreamer.broker.internal.topic.TopicInfo;
import io.memorystreamer.spi.state.StateException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.message.OffsetCommitRequestData;
import org.apache.kafka.common.message.OffsetCommitRequestData.OffsetCommitRequestPartition;
import org.apache.kafka.common.message.OffsetCommitRequestData.OffsetCommitRequestTopic;
import org.apache.kafka.common.message.OffsetCommitResponseData;
import org.apache.kafka.common.message.OffsetCommitResponseData.OffsetCommitResponsePartition;
import org.apache.kafka.common.message.OffsetCommitResponseData.OffsetCommitResponseTopic;
import org.apache.kafka.common.protocol.ApiMessage;
import org.apache.kafka.common.protocol.Errors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * OffsetCommit (v2-v10; topic ids since v10): validates the committing member's generation (classic
 * groups) or member id and member epoch (consumer groups of KIP-848: STALE_MEMBER_EPOCH), then
 * stores the offsets durably before answering. A commit with generation -1 and no member id is a
 * "simple" commit, accepted while the group has no members (so tools can reset offsets).
 */
final class OffsetCommitHandler implements ApiHandler {

    private static final Logger LOG = LoggerFactory.getLogger(OffsetCommitHandler.class);
    /** OffsetCommit v10 names topics by id only. */
    private static final short TOPIC_ID_VERSION = 10;
    /** Since v9 a commit to a group that does not exist says so; before, ILLEGAL_GENERATION. */
    private static final short GROUP_ID_NOT_FOUND_VERSION = 9;
    /** The first version that carries a member epoch (KIP-848). */
    private static final short MEMBER_EPOCH_VERSION = 9;

    private final GroupServices services;

    OffsetCommitHandler(GroupServices services) {
        this.services = services;
    }

    @Override
    public CompletionStage<ApiResponse> handle(RequestContext context, ApiMessage message) {
        return CompletableFuture.completedFuture(ApiResponse.of(commit((OffsetCommitRequestData) message,
                context.apiVersion())));
    }

    OffsetCommitResponseData commit(OffsetCommitRequestData request, short version) {
        OffsetCommitResponseData response = new OffsetCommitResponseData();
        Map<TopicPartition, CommittedOffset> accepted = new LinkedHashMap<>();
        List<OffsetCommitResponsePartition> acceptedResponses = new ArrayList<>();
        long nowMs = services.nowMs();
        long expireMs = request.retentionTimeMs() < 0 ? CommittedOffset.NO_EXPIRY : nowMs + request.retentionTimeMs();
        for (OffsetCommitRequestTopic topic : request.topics()) {
            Optional<TopicInfo> info = version >= TOPIC_ID_VERSION
                    ? services.catalog().topic(topic.topicId())
                    : services.catalog().topic(topic.name());
            OffsetCommitResponseTopic topicResponse = new OffsetCommitResponseTopic()
                    .setName(info.map(TopicInfo::name).orElse(topic.name()))
                    .setTopicId(topic.topicId());
            response.topics().add(topicResponse);
            for (OffsetCommitRequestPartition partition : topic.partitions()) {
                OffsetCommitResponsePartition partitionResponse = new OffsetCommitResponsePartition()
                        .setPartitionIndex(partition.partitionIndex());
                topicResponse.partitions().add(partitionResponse);
                if (info.isEmpty()) {
                    partitionResponse.setErrorCode(version >= TOPIC_ID_VERSION
                            ? Errors.UNKNOWN_TOPIC_ID.code() : Errors.UNKNOWN_TOPIC_OR_PARTITION.code());
                } else if (partition.partitionIndex() < 0 || partition.partitionIndex() >= info.get().partitionCount()) {
                    partitionResponse.setErrorCode(Errors.UNKNOWN_TOPIC_OR_PARTITION.code());
                } else if (partition.committedMetadata() != null
                        && partition.committedMetadata().length() > services.config().offsetMetadataMaxBytes()) {
                    partitionResponse.setErrorCode(Errors.OFFSET_METADATA_TOO_LARGE.code());
                } else {
                    accepted.put(new TopicPartition(info.get().name(), partition.partitionIndex()),
                            new CommittedOffset(partition.committedOffset(), partition.committedLeaderEpoch(),
                                    partition.committedMetadata(), nowMs, expireMs));
                    acceptedResponses.add(partitionResponse);
                }
            }
        }
        if (accepted.isEmpty()) {
            return response;
        }
        Errors error = store(request, version, accepted);
        for (OffsetCommitResponsePartition partition : acceptedResponses) {
            partition.setErrorCode(error.code());
        }
        return response;
    }

    private Errors store(OffsetCommitRequestData request, short version, Map<TopicPartition, CommittedOffset> offsets) {
        if (!services.isActive()) {
            return Errors.COORDINATOR_NOT_AVAILABLE;
        }
        if (request.groupId() == null) {
            return Errors.INVALID_GROUP_ID;
        }
        int generation = request.generationIdOrMemberEpoch();
        // Only a simple commit (generation -1) may create its group.
        Errors absent = version >= GROUP_ID_NOT_FOUND_VERSION ? Errors.GROUP_ID_NOT_FOUND : Errors.ILLEGAL_GENERATION;
        return services.registry().applyAny(request.groupId(), generation < 0, group -> {
            Errors error = switch (group) {
                case ClassicGroup classic -> validate(classic, request.memberId(), request.groupInstanceId(), generation,
                        false);
                case ConsumerGroup consumer -> validate(consumer, request.memberId(), generation, false, version);
            };
            if (error != Errors.NONE) {
                return error;
            }
            if (group instanceof ClassicGroup classic
                    && (classic.is(GroupState.STABLE) || classic.is(GroupState.PREPARING_REBALANCE))) {
                // A commit counts as a sign of life of the member.
                services.rebalancer().rescheduleHeartbeat(classic, classic.member(request.memberId()));
            }
            try {
                services.store().putOffsets(group.groupId(), offsets);
            } catch (StateException e) {
                LOG.warn("Could not store offsets of group {}: {}", group.groupId(), e.getMessage());
                return Errors.COORDINATOR_NOT_AVAILABLE;
            }
            group.offsets().putAll(offsets);
            return Errors.NONE;
        }, absent);
    }

    /**
     * Kafka's rules for who may commit to a classic group. A transactional commit (TxnOffsetCommit)
     * without generation, member id and instance id comes from an old producer and is not checked,
     * and one during a rebalance is accepted: the transaction commits it later.
     */
    static Errors validate(ClassicGroup group, String memberId, String groupInstanceId, int generation,
            boolean transactional) {
        if (transactional && generation < 0 && memberId.isEmpty() && groupInstanceId == null) {
            return Errors.NONE;
        }
        if (generation < 0 && group.is(GroupState.EMPTY)) {
            // The admin client or a consumer that assigns partitions itself.
            return Errors.NONE;
        }
        if (generation >= 0 || !memberId.isEmpty() || groupInstanceId != null) {
            Errors error = group.validateMember(memberId, groupInstanceId);
            if (error != Errors.NONE) {
                return error;
            }
            if (generation != group.generationId()) {
                return Errors.ILLEGAL_GENERATION;
            }
        } else if (!group.is(GroupState.EMPTY)) {
            return Errors.UNKNOWN_MEMBER_ID;
        }
        if (!transactional && group.is(GroupState.COMPLETING_REBALANCE)) {
            // The member has its new generation but not its assignment yet.
            return Errors.REBALANCE_IN_PROGRESS;
        }
        return Errors.NONE;
    }

    /**
     * Kafka's rules for who may commit to a consumer group (KIP-848): anyone without a member
     * epoch while the group has no members; otherwise a member of the group at its current epoch,
     * with OffsetCommit v9 or later unless the commit is transactional.
     */
    static Errors validate(ConsumerGroup group, String memberId, int memberEpoch, boolean transactional, short version) {
        if (memberEpoch < 0 && group.hasNoMembers()) {
            return Errors.NONE;
        }
        ConsumerGroupMember member = group.member(memberId);
        if (member == null) {
            return Errors.UNKNOWN_MEMBER_ID;
        }
        if (!transactional && version < MEMBER_EPOCH_VERSION) {
            return Errors.UNSUPPORTED_VERSION;
        }
        return memberEpoch == member.memberEpoch() ? Errors.NONE : Errors.STALE_MEMBER_EPOCH;
    }
}
