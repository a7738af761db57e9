package io.memorystreamer.broker.internal.txn;

import io.memorystreamer.spi.storage.PartitionId;
import java.util.Collection;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import org.apache.kafka.common.TopicPartition;

/**
 * The durable state of one transactional id: its producer, the open transaction's partitions and
 * consumer groups, and the offsets it will commit for them. Immutable: every transition makes a
 * new record, which is stored before it replaces the old one.
 *
 * @param transactionalId the transactional id
 * @param producerId the current producer id
 * @param previousProducerId the producer id before the last rotation (epoch exhaustion), or -1
 * @param producerEpoch the current epoch; -1 before the first InitProducerId completes
 * @param lastProducerEpoch the epoch before the last bump, so a retried InitProducerId of the
 *     same producer (KIP-360) gets the same answer; -1 when a new producer fenced the old one
 * @param timeoutMs the transaction timeout the producer asked for
 * @param state the state
 * @param partitions the partitions the open transaction writes to
 * @param groups the consumer groups whose offsets the open transaction commits
 * @param pendingOffsets per group, the offsets the open transaction commits
 * @param startTimeMs when the open transaction started, or -1
 * @param lastUpdateMs when the record last changed
 */
record TransactionRecord(
        String transactionalId,
        long producerId,
        long previousProducerId,
        short producerEpoch,
        short lastProducerEpoch,
        int timeoutMs,
        TxnState state,
        Set<PartitionId> partitions,
        Set<String> groups,
        Map<String, Map<TopicPartition, PendingOffset>> pendingOffsets,
        long startTimeMs,
        long lastUpdateMs) {

    static final short NO_EPOCH = -1;
    static final long NO_PRODUCER_ID = -1L;
    /** Kafka never hands out the last two epochs: the producer id rotates instead. */
    static final short LAST_USABLE_EPOCH = Short.MAX_VALUE - 2;

    TransactionRecord {
        Objects.requireNonNull(transactionalId, "transactionalId");
        Objects.requireNonNull(state, "state");
        // Copies that keep insertion order, so the stored form is deterministic.
        partitions = Collections.unmodifiableSet(new LinkedHashSet<>(partitions));
        groups = Collections.unmodifiableSet(new LinkedHashSet<>(groups));
        Map<String, Map<TopicPartition, PendingOffset>> copy = new LinkedHashMap<>();
        pendingOffsets.forEach((group, offsets) -> copy.put(group, Collections.unmodifiableMap(
                new LinkedHashMap<>(offsets))));
        pendingOffsets = Collections.unmodifiableMap(copy);
    }

    /** A transactional id seen for the first time, before its first epoch. */
    static TransactionRecord fresh(String transactionalId, long producerId, int timeoutMs, long nowMs) {
        return new TransactionRecord(transactionalId, producerId, NO_PRODUCER_ID, NO_EPOCH, NO_EPOCH, timeoutMs,
                TxnState.EMPTY, Set.of(), Set.of(), Map.of(), -1L, nowMs);
    }

    /** The next epoch, or the same one at the very end of the range (only fencing gets there). */
    static short bumpedEpoch(short epoch) {
        return epoch == Short.MAX_VALUE ? epoch : (short) (epoch + 1);
    }

    boolean isEpochExhausted() {
        return producerEpoch > LAST_USABLE_EPOCH;
    }

    /** InitProducerId: an idle transactional id at a new epoch, its last epoch remembered (or not). */
    TransactionRecord initialised(long newProducerId, long newPreviousProducerId, short newEpoch, short newLastEpoch,
            int newTimeoutMs, long nowMs) {
        return new TransactionRecord(transactionalId, newProducerId, newPreviousProducerId, newEpoch, newLastEpoch,
                newTimeoutMs, TxnState.EMPTY, Set.of(), Set.of(), Map.of(), -1L, nowMs);
    }

    /** AddPartitionsToTxn: the transaction is open and also writes to these partitions. */
    TransactionRecord withPartitions(Collection<PartitionId> added, long nowMs) {
        TransactionRecord open = opened(nowMs);
        Set<PartitionId> all = new LinkedHashSet<>(open.partitions);
        all.addAll(added);
        return new TransactionRecord(transactionalId, producerId, previousProducerId, producerEpoch, lastProducerEpoch,
                timeoutMs, TxnState.ONGOING, all, open.groups, open.pendingOffsets, open.startTimeMs, nowMs);
    }

    /** AddOffsetsToTxn: the transaction is open and also commits offsets of this group. */
    TransactionRecord withGroup(String groupId, long nowMs) {
        TransactionRecord open = opened(nowMs);
        Set<String> all = new LinkedHashSet<>(open.groups);
        all.add(groupId);
        return new TransactionRecord(transactionalId, producerId, previousProducerId, producerEpoch, lastProducerEpoch,
                timeoutMs, TxnState.ONGOING, open.partitions, all, open.pendingOffsets, open.startTimeMs, nowMs);
    }

    /** TxnOffsetCommit: offsets of a group the open transaction commits (later ones win). */
    TransactionRecord withPendingOffsets(String groupId, Map<TopicPartition, PendingOffset> offsets, long nowMs) {
        Map<String, Map<TopicPartition, PendingOffset>> all = new LinkedHashMap<>(pendingOffsets);
        Map<TopicPartition, PendingOffset> merged = new LinkedHashMap<>(all.getOrDefault(groupId, Map.of()));
        merged.putAll(offsets);
        all.put(groupId, merged);
        return new TransactionRecord(transactionalId, producerId, previousProducerId, producerEpoch, lastProducerEpoch,
                timeoutMs, state, partitions, groups, all, startTimeMs, nowMs);
    }

    /**
     * EndTxn or an abort by the coordinator: markers are to be written.
     *
     * @param epoch the epoch to write them with (higher than the current one when fencing)
     * @param fenced whether the coordinator fenced the producer (the last epoch is then forgotten)
     */
    TransactionRecord preparing(boolean commit, short epoch, boolean fenced, long nowMs) {
        return new TransactionRecord(transactionalId, producerId, previousProducerId, epoch,
                fenced ? NO_EPOCH : lastProducerEpoch, timeoutMs,
                commit ? TxnState.PREPARE_COMMIT : TxnState.PREPARE_ABORT, partitions, groups, pendingOffsets,
                startTimeMs, nowMs);
    }

    /** Every marker is written: the transaction is over. */
    TransactionRecord completed(long nowMs) {
        TxnState next = state == TxnState.PREPARE_COMMIT ? TxnState.COMPLETE_COMMIT : TxnState.COMPLETE_ABORT;
        return new TransactionRecord(transactionalId, producerId, previousProducerId, producerEpoch, lastProducerEpoch,
                timeoutMs, next, Set.of(), Set.of(), Map.of(), -1L, nowMs);
    }

    /** This record opened for a new transaction if idle; unchanged if already open. */
    private TransactionRecord opened(long nowMs) {
        if (state == TxnState.ONGOING) {
            return this;
        }
        return new TransactionRecord(transactionalId, producerId, previousProducerId, producerEpoch, lastProducerEpoch,
                timeoutMs, TxnState.ONGOING, Set.of(), Set.of(), Map.of(), nowMs, nowMs);
    }
}
