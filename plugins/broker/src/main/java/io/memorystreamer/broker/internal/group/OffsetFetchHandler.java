package io.memorystreamer.broker.internal.group;

import io.memorystreamer.broker.internal.api.ApiHandler;
import io.memorystreamer.broker.internal.api.ApiResponse;
import io.memorystreamer.broker.internal.api.RequestContext;
import io.memorystreamer.broker.internal.topic.TopicInfo;
import io.memorystreamer.broker.internal.txn.PendingOffsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.Uuid;
import org.apache.kafka.common.message.OffsetFetchRequestData;
import org.apache.kafka.common.message.OffsetFetchRequestData.OffsetFetchRequestGroup;
import org.apache.kafka.common.message.OffsetFetchRequestData.OffsetFetchRequestTopics;
import org.apache.kafka.common.message.OffsetFetchResponseData;
import org.apache.kafka.common.message.OffsetFetchResponseData.OffsetFetchResponseGroup;
import org.apache.kafka.common.message.OffsetFetchResponseData.OffsetFetchResponsePartition;
import org.apache.kafka.common.message.OffsetFetchResponseData.OffsetFetchResponsePartitions;
import org.apache.kafka.common.message.OffsetFetchResponseData.OffsetFetchResponseTopic;
import org.apache.kafka.common.message.OffsetFetchResponseData.OffsetFetchResponseTopics;
import org.apache.kafka.common.protocol.ApiMessage;
import org.apache.kafka.common.protocol.Errors;

/**
 * OffsetFetch (v1-v10): one group before v8, several since; named topics, or all of a group's
 * offsets when the topic list is null; topic ids since v10. A partition without a committed offset
 * reports -1. With {@code require_stable} (v7+), a partition for which an open transaction holds
 * an offset it has not committed yet answers UNSTABLE_OFFSET_COMMIT, on the partition in every
 * version as Kafka's group coordinator does (the consumer retries it).
 * Since v9 a member of a consumer group (KIP-848) sends its member id and epoch, which must be
 * current (UNKNOWN_MEMBER_ID, STALE_MEMBER_EPOCH); the admin client sends neither.
 */
final class OffsetFetchHandler implements ApiHandler {

    private static final short MULTI_GROUP_VERSION = 8;
    private static final short TOPIC_ID_VERSION = 10;
    /** Before v2 there is no top-level error: group errors go on every partition. */
    private static final short TOP_LEVEL_ERROR_VERSION = 2;

    /** A group's offsets, or why the requester may not read them. */
    private record GroupOffsets(Errors error, Map<TopicPartition, CommittedOffset> offsets) {
    }

    private final GroupServices services;
    private final PendingOffsets pending;

    /** @param pending the open transactions' offsets (lock-free, so safe under a group's lock) */
    OffsetFetchHandler(GroupServices services, PendingOffsets pending) {
        this.services = services;
        this.pending = pending;
    }

    @Override
    public CompletionStage<ApiResponse> handle(RequestContext context, ApiMessage message) {
        return CompletableFuture.completedFuture(ApiResponse.of(fetch((OffsetFetchRequestData) message,
                context.apiVersion())));
    }

    OffsetFetchResponseData fetch(OffsetFetchRequestData request, short version) {
        if (version >= MULTI_GROUP_VERSION) {
            OffsetFetchResponseData response = new OffsetFetchResponseData();
            for (OffsetFetchRequestGroup group : request.groups()) {
                response.groups().add(fetchGroup(group.groupId(), group.memberId(), group.memberEpoch(), group.topics(),
                        request.requireStable(), version));
            }
            return response;
        }
        List<OffsetFetchRequestTopics> topics = null;
        if (request.topics() != null) {
            topics = new ArrayList<>();
            for (OffsetFetchRequestData.OffsetFetchRequestTopic topic : request.topics()) {
                topics.add(new OffsetFetchRequestTopics().setName(topic.name())
                        .setPartitionIndexes(topic.partitionIndexes()));
            }
        }
        OffsetFetchResponseGroup group = fetchGroup(request.groupId(), null, -1, topics, request.requireStable(), version);
        if (group.errorCode() != Errors.NONE.code() && topics != null && version < TOP_LEVEL_ERROR_VERSION) {
            // No top-level error field yet: the client reads the group error from the partitions.
            for (OffsetFetchRequestTopics topic : topics) {
                OffsetFetchResponseTopics failed = new OffsetFetchResponseTopics().setName(topic.name());
                for (int partition : topic.partitionIndexes()) {
                    failed.partitions().add(noOffset(partition).setErrorCode(group.errorCode()));
                }
                group.topics().add(failed);
            }
        }
        return singleGroupForm(group, version);
    }

    private OffsetFetchResponseGroup fetchGroup(String groupId, String memberId, int memberEpoch,
            List<OffsetFetchRequestTopics> topics, boolean requireStable, short version) {
        OffsetFetchResponseGroup response = new OffsetFetchResponseGroup().setGroupId(groupId);
        if (!services.isActive()) {
            return response.setErrorCode(Errors.COORDINATOR_NOT_AVAILABLE.code());
        }
        if (groupId == null) {
            return response.setErrorCode(Errors.INVALID_GROUP_ID.code());
        }
        GroupOffsets read = services.registry().applyAny(groupId, false, group -> {
            Errors error = group instanceof ConsumerGroup consumer ? validate(consumer, memberId, memberEpoch) : Errors.NONE;
            return new GroupOffsets(error, error == Errors.NONE ? Map.copyOf(group.offsets()) : Map.of());
        }, new GroupOffsets(Errors.NONE, Map.of()));
        if (read.error() != Errors.NONE) {
            return response.setErrorCode(read.error().code());
        }
        Map<TopicPartition, CommittedOffset> offsets = read.offsets();
        if (topics == null) {
            return response.setTopics(allOffsets(groupId, offsets, requireStable, version));
        }
        for (OffsetFetchRequestTopics topic : topics) {
            Optional<String> name = version >= TOPIC_ID_VERSION
                    ? services.catalog().topic(topic.topicId()).map(TopicInfo::name)
                    : Optional.of(topic.name());
            OffsetFetchResponseTopics topicResponse = new OffsetFetchResponseTopics()
                    .setName(name.orElse(topic.name()))
                    .setTopicId(topic.topicId());
            for (int partition : topic.partitionIndexes()) {
                if (name.isEmpty()) {
                    topicResponse.partitions().add(noOffset(partition).setErrorCode(Errors.UNKNOWN_TOPIC_ID.code()));
                } else {
                    TopicPartition topicPartition = new TopicPartition(name.get(), partition);
                    topicResponse.partitions().add(requireStable && pending.hasPendingOffset(groupId, topicPartition)
                            ? unstable(partition) : partitionResponse(partition, offsets.get(topicPartition)));
                }
            }
            response.topics().add(topicResponse);
        }
        return response;
    }

    /** Kafka's rules for who may read a consumer group's offsets: the admin client, or a current member. */
    private static Errors validate(ConsumerGroup group, String memberId, int memberEpoch) {
        if (memberId == null && memberEpoch < 0) {
            return Errors.NONE;
        }
        ConsumerGroupMember member = memberId == null ? null : group.member(memberId);
        if (member == null) {
            return Errors.UNKNOWN_MEMBER_ID;
        }
        return member.memberEpoch() == memberEpoch ? Errors.NONE : Errors.STALE_MEMBER_EPOCH;
    }

    private List<OffsetFetchResponseTopics> allOffsets(String groupId, Map<TopicPartition, CommittedOffset> offsets,
            boolean requireStable, short version) {
        Map<String, Map<Integer, CommittedOffset>> byTopic = new TreeMap<>();
        offsets.forEach((partition, offset) -> byTopic.computeIfAbsent(partition.topic(), t -> new TreeMap<>())
                .put(partition.partition(), offset));
        List<OffsetFetchResponseTopics> topics = new ArrayList<>();
        byTopic.forEach((topic, partitions) -> {
            Uuid topicId = services.catalog().topic(topic).map(TopicInfo::id).orElse(Uuid.ZERO_UUID);
            if (version >= TOPIC_ID_VERSION && topicId.equals(Uuid.ZERO_UUID)) {
                // A v10 client can only name topics by id.
                return;
            }
            OffsetFetchResponseTopics topicResponse = new OffsetFetchResponseTopics().setName(topic).setTopicId(topicId);
            partitions.forEach((partition, offset) -> topicResponse.partitions().add(
                    requireStable && pending.hasPendingOffset(groupId, new TopicPartition(topic, partition))
                            ? unstable(partition) : partitionResponse(partition, offset)));
            topics.add(topicResponse);
        });
        return topics;
    }

    private static OffsetFetchResponsePartitions partitionResponse(int partition, CommittedOffset offset) {
        if (offset == null) {
            return noOffset(partition);
        }
        return new OffsetFetchResponsePartitions()
                .setPartitionIndex(partition)
                .setCommittedOffset(offset.offset())
                .setCommittedLeaderEpoch(offset.leaderEpoch())
                .setMetadata(offset.metadata());
    }

    private static OffsetFetchResponsePartitions unstable(int partition) {
        return noOffset(partition).setErrorCode(Errors.UNSTABLE_OFFSET_COMMIT.code());
    }

    private static OffsetFetchResponsePartitions noOffset(int partition) {
        return new OffsetFetchResponsePartitions()
                .setPartitionIndex(partition)
                .setCommittedOffset(-1L)
                .setCommittedLeaderEpoch(-1)
                .setMetadata("");
    }

    /** The v1-v7 layout: one group, its topics at the top level. */
    private static OffsetFetchResponseData singleGroupForm(OffsetFetchResponseGroup group, short version) {
        OffsetFetchResponseData response = new OffsetFetchResponseData();
        if (version >= TOP_LEVEL_ERROR_VERSION) {
            response.setErrorCode(group.errorCode());
        }
        Map<String, OffsetFetchResponseTopic> topics = new HashMap<>();
        for (OffsetFetchResponseTopics topic : group.topics()) {
            OffsetFetchResponseTopic converted = topics.computeIfAbsent(topic.name(), name -> {
                OffsetFetchResponseTopic created = new OffsetFetchResponseTopic().setName(name);
                response.topics().add(created);
                return created;
            });
            for (OffsetFetchResponsePartitions partition : topic.partitions()) {
                converted.partitions().add(new OffsetFetchResponsePartition()
                        .setPartitionIndex(partition.partitionIndex())
                        .setCommittedOffset(partition.committedOffset())
                        .setCommittedLeaderEpoch(partition.committedLeaderEpoch())
                        .setMetadata(partition.metadata())
                        .setErrorCode(partition.errorCode()));
            }
        }
        return response;
    }
}
