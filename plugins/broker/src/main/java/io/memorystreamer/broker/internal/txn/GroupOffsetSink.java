package io.memorystreamer.broker.internal.txn;

import java.util.Map;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.protocol.Errors;

/**
 * The group coordinator's part in transactional offset commits. The transaction coordinator keeps
 * a transaction's offsets (TxnOffsetCommit) until it ends; when it commits, they become the
 * groups' committed offsets through this sink, and when it aborts they are dropped.
 *
 * <p>Implementations are thread-safe and may block on storage. They must not call into the
 * transaction coordinator while holding their own locks (the coordinator calls them without
 * holding any of its own).
 */
public interface GroupOffsetSink {

    /**
     * The member checks of TxnOffsetCommit (v3+), made when the offsets are sent: a request with
     * generation -1, no member id and no instance id skips them, as in Kafka. For a consumer group
     * (KIP-848) {@code generationId} is the member epoch.
     *
     * @return {@link Errors#NONE}, or {@code UNKNOWN_MEMBER_ID}, {@code ILLEGAL_GENERATION},
     *     {@code FENCED_INSTANCE_ID}, {@code STALE_MEMBER_EPOCH}, {@code COORDINATOR_NOT_AVAILABLE}
     */
    Errors validateMember(String groupId, String memberId, String groupInstanceId, int generationId);

    /**
     * Makes the offsets of a committed transaction the group's committed offsets, durably,
     * without member checks (they were checked when the offsets were sent), creating the group
     * if it does not exist.
     *
     * @throws RuntimeException if they could not be stored (the coordinator tries again)
     */
    void commit(String groupId, Map<TopicPartition, PendingOffset> offsets);
}
