package io.memorystreamer.broker.internal.group;

import io.memorystreamer.broker.internal.txn.GroupOffsetSink;
import io.memorystreamer.broker.internal.txn.PendingOffset;
import java.util.LinkedHashMap;
import java.util.Map;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.protocol.Errors;

/**
 * The group coordinator's side of transactional offset commits: TxnOffsetCommit checks the
 * member under the group's lock when the offsets are sent (as Kafka does), and a committed
 * transaction's offsets become the group's committed offsets without further checks. Thread-safe:
 * one group's lock at a time, never a call into the transaction coordinator.
 */
final class TransactionalOffsetCommits implements GroupOffsetSink {

    /** Any version: transactional commits to consumer groups do not depend on it. */
    private static final short ANY_VERSION = Short.MAX_VALUE;

    private final GroupServices services;

    TransactionalOffsetCommits(GroupServices services) {
        this.services = services;
    }

    @Override
    public Errors validateMember(String groupId, String memberId, String groupInstanceId, int generationOrEpoch) {
        if (!services.isActive()) {
            return Errors.COORDINATOR_NOT_AVAILABLE;
        }
        String member = memberId == null ? "" : memberId;
        // Without a group, only a commit outside group management (generation -1) is accepted; the
        // group is created when the transaction commits.
        Errors absent = generationOrEpoch < 0 ? Errors.NONE : Errors.ILLEGAL_GENERATION;
        return services.registry().applyAny(groupId, false, group -> switch (group) {
            case ClassicGroup classic -> OffsetCommitHandler.validate(classic, member, groupInstanceId,
                    generationOrEpoch, true);
            case ConsumerGroup consumer -> OffsetCommitHandler.validate(consumer, member, generationOrEpoch, true,
                    ANY_VERSION);
        }, absent);
    }

    /**
     * @throws IllegalStateException if the coordinator is closed
     * @throws io.memorystreamer.spi.state.StateException if the offsets could not be stored
     */
    @Override
    public void commit(String groupId, Map<TopicPartition, PendingOffset> offsets) {
        if (!services.isActive()) {
            throw new IllegalStateException("the group coordinator is closed");
        }
        Map<TopicPartition, CommittedOffset> committed = new LinkedHashMap<>();
        offsets.forEach((partition, offset) -> committed.put(partition, new CommittedOffset(offset.offset(),
                offset.leaderEpoch(), offset.metadata(), offset.commitTimestampMs(), CommittedOffset.NO_EXPIRY)));
        services.registry().applyAny(groupId, true, group -> {
            services.store().putOffsets(group.groupId(), committed);
            group.offsets().putAll(committed);
            return Boolean.TRUE;
        }, Boolean.FALSE);
    }
}
