package io.memorystreamer.broker.internal.txn;

import io.memorystreamer.broker.internal.produce.TransactionCoordination;
import io.memorystreamer.spi.state.StateException;
import io.memorystreamer.spi.storage.PartitionId;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.LongSupplier;
import java.util.function.Supplier;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.message.InitProducerIdRequestData;
import org.apache.kafka.common.message.InitProducerIdResponseData;
import org.apache.kafka.common.protocol.Errors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The transaction coordinator of this single node: per transactional id the producer id and
 * epoch, the open transaction's partitions and groups, with Kafka's state machine (transactions
 * version 1: the epoch changes on InitProducerId and when the coordinator fences a producer).
 *
 * <p>Every transition is stored (namespace {@code transactions}) before it takes effect and
 * before the request is answered. Requests run on request threads; each transactional id has its
 * own lock (no global lock), never held while markers are written. EndTxn writes the markers on
 * the request thread before answering, so a committed transaction is visible to read_committed
 * consumers when the producer learns it committed.
 */
final class TransactionCoordinator implements TransactionCoordination {

    private static final Logger LOG = LoggerFactory.getLogger(TransactionCoordinator.class);

    /** The result of an EndTxn. */
    record EndResult(Errors error, long producerId, short producerEpoch) {
    }

    private final ConcurrentHashMap<String, TransactionEntry> entries = new ConcurrentHashMap<>();
    private final TransactionStore store;
    private final TransactionSettings settings;
    private final TransactionCompleter completer;
    private final Supplier<GroupOffsetSink> groups;
    private final LongSupplier clock;
    private final ProducerInitializer initializer;

    /**
     * @param producerIds hands out new producer ids (may throw {@link StateException})
     */
    TransactionCoordinator(TransactionStore store, TransactionSettings settings, TransactionCompleter completer,
            Supplier<GroupOffsetSink> groups, LongSupplier producerIds, LongSupplier clock) {
        this.store = store;
        this.settings = settings;
        this.completer = completer;
        this.groups = groups;
        this.clock = clock;
        this.initializer = new ProducerInitializer(entries, store, settings, completer, producerIds, clock);
    }

    /** Loads the stored transactional ids. @return how many */
    int load() {
        for (TransactionRecord record : store.load()) {
            entries.put(record.transactionalId(), new TransactionEntry(record));
        }
        return entries.size();
    }

    // ---- InitProducerId ------------------------------------------------------------------------

    @Override
    public InitProducerIdResponseData initTransactionalProducer(InitProducerIdRequestData request, short version) {
        return initializer.init(request, version);
    }

    // ---- AddPartitionsToTxn, AddOffsetsToTxn, TxnOffsetCommit --------------------------------

    /** AddPartitionsToTxn (v0-v3, and v4+ without verify-only). */
    Errors addPartitions(String transactionalId, long producerId, short epoch, Collection<PartitionId> partitions) {
        return transition(transactionalId, producerId, epoch, Errors.PRODUCER_FENCED, current -> {
            if (current.state() == TxnState.ONGOING && current.partitions().containsAll(partitions)) {
                return null;
            }
            return current.withPartitions(partitions, clock.getAsLong());
        });
    }

    /**
     * AddPartitionsToTxn v4+ with verify-only: whether each partition is in the open transaction.
     *
     * @param notInTransaction the error for a partition that is not ({@code TRANSACTION_ABORTABLE}
     *     from v5, else {@code INVALID_TXN_STATE})
     */
    Map<PartitionId, Errors> verifyPartitions(String transactionalId, long producerId, short epoch,
            Collection<PartitionId> partitions, Errors notInTransaction) {
        Map<PartitionId, Errors> results = new LinkedHashMap<>();
        TransactionEntry entry = entries.get(transactionalId);
        Errors common = Errors.NONE;
        TransactionRecord current = entry == null ? null : entry.record();
        if (current == null || current.producerId() != producerId) {
            common = Errors.INVALID_PRODUCER_ID_MAPPING;
        } else if (current.producerEpoch() != epoch) {
            common = Errors.PRODUCER_FENCED;
        } else if (current.state().isPreparing()) {
            common = Errors.CONCURRENT_TRANSACTIONS;
        }
        for (PartitionId partition : partitions) {
            results.put(partition, common != Errors.NONE ? common
                    : current.state() == TxnState.ONGOING && current.partitions().contains(partition)
                            ? Errors.NONE : notInTransaction);
        }
        return results;
    }

    /** AddOffsetsToTxn: the open transaction will commit offsets of this group. */
    Errors addOffsets(String transactionalId, long producerId, short epoch, String groupId) {
        return transition(transactionalId, producerId, epoch, Errors.PRODUCER_FENCED, current -> {
            if (current.state() == TxnState.ONGOING && current.groups().contains(groupId)) {
                return null;
            }
            return current.withGroup(groupId, clock.getAsLong());
        });
    }

    /**
     * TxnOffsetCommit: offsets the open transaction commits for a group it added with
     * AddOffsetsToTxn. They stay pending (invisible to OffsetFetch) until the transaction ends.
     */
    Errors commitOffsets(String transactionalId, long producerId, short epoch, String groupId, String memberId,
            String groupInstanceId, int generationId, Map<TopicPartition, PendingOffset> offsets) {
        Errors member = groups.get().validateMember(groupId, memberId, groupInstanceId, generationId);
        if (member != Errors.NONE) {
            return member;
        }
        return transition(transactionalId, producerId, epoch, Errors.INVALID_PRODUCER_EPOCH, current -> {
            if (current.state() != TxnState.ONGOING || !current.groups().contains(groupId)) {
                throw new Refused(Errors.INVALID_TXN_STATE);
            }
            return current.withPendingOffsets(groupId, offsets, clock.getAsLong());
        });
    }

    /** A transition the state refuses, thrown out of a {@link Transition}. */
    private static final class Refused extends RuntimeException {
        private static final long serialVersionUID = 1L;
        private final transient Errors error;

        Refused(Errors error) {
            super(error.name(), null, false, false);
            this.error = error;
        }
    }

    /** The next record of a transactional id, {@code null} when nothing changes. */
    @FunctionalInterface
    private interface Transition {
        TransactionRecord next(TransactionRecord current);
    }

    /** The checks every producer request shares, then a stored transition. */
    private Errors transition(String transactionalId, long producerId, short epoch, Errors fencedError,
            Transition transition) {
        TransactionEntry entry = entries.get(transactionalId);
        if (entry == null) {
            return Errors.INVALID_PRODUCER_ID_MAPPING;
        }
        entry.lock().lock();
        try {
            TransactionRecord current = entry.record();
            if (entry.isRemoved() || current.producerId() != producerId) {
                return Errors.INVALID_PRODUCER_ID_MAPPING;
            }
            if (current.producerEpoch() != epoch) {
                return fencedError;
            }
            if (current.state().isPreparing() || entry.isCompleting()) {
                return Errors.CONCURRENT_TRANSACTIONS;
            }
            TransactionRecord next = transition.next(current);
            if (next != null) {
                store.put(next);
                entry.record(next);
            }
            return Errors.NONE;
        } catch (Refused e) {
            return e.error;
        } catch (StateException e) {
            LOG.warn("Could not store the state of transactional id {}: {}", transactionalId, e.getMessage());
            return Errors.COORDINATOR_NOT_AVAILABLE;
        } finally {
            entry.lock().unlock();
        }
    }

    // ---- EndTxn --------------------------------------------------------------------------------

    /**
     * EndTxn: prepares the commit or abort, writes the markers and completes. A retry of an
     * EndTxn that completed succeeds again; one whose markers are still being written gets
     * {@code CONCURRENT_TRANSACTIONS}.
     */
    EndResult endTransaction(String transactionalId, long producerId, short epoch, boolean commit) {
        TransactionEntry entry = entries.get(transactionalId);
        if (entry == null) {
            return new EndResult(Errors.INVALID_PRODUCER_ID_MAPPING, -1L, (short) -1);
        }
        entry.lock().lock();
        try {
            TransactionRecord current = entry.record();
            if (entry.isRemoved() || current.producerId() != producerId) {
                return new EndResult(Errors.INVALID_PRODUCER_ID_MAPPING, -1L, (short) -1);
            }
            if (current.producerEpoch() != epoch) {
                return new EndResult(Errors.PRODUCER_FENCED, -1L, (short) -1);
            }
            Errors outcome = switch (current.state()) {
                case ONGOING -> null;
                case COMPLETE_COMMIT -> commit ? Errors.NONE : Errors.INVALID_TXN_STATE;
                case COMPLETE_ABORT -> commit ? Errors.INVALID_TXN_STATE : Errors.NONE;
                case PREPARE_COMMIT -> commit ? Errors.CONCURRENT_TRANSACTIONS : Errors.INVALID_TXN_STATE;
                case PREPARE_ABORT -> commit ? Errors.INVALID_TXN_STATE : Errors.CONCURRENT_TRANSACTIONS;
                case EMPTY, DEAD -> Errors.INVALID_TXN_STATE;
            };
            if (outcome != null) {
                return new EndResult(outcome, current.producerId(), current.producerEpoch());
            }
            TransactionRecord prepared = current.preparing(commit, current.producerEpoch(), false, clock.getAsLong());
            store.put(prepared);
            entry.record(prepared);
            entry.clearMarked();
            entry.startCompleting();
        } catch (StateException e) {
            LOG.warn("Could not store the end of transaction {}: {}", transactionalId, e.getMessage());
            return new EndResult(Errors.COORDINATOR_NOT_AVAILABLE, -1L, (short) -1);
        } finally {
            entry.lock().unlock();
        }
        // Prepared and stored: the outcome is decided. If a marker cannot be written now it is
        // retried in the background, as Kafka's coordinator does, and the producer waits.
        completer.complete(entry);
        return new EndResult(Errors.NONE, producerId, epoch);
    }

    // ---- Produce verification ------------------------------------------------------------------

    @Override
    public Errors verifyTransactionalAppend(String transactionalId, long producerId, short producerEpoch,
            PartitionId partition) {
        if (!settings.partitionVerification()) {
            return Errors.NONE;
        }
        TransactionEntry entry = entries.get(transactionalId);
        if (entry == null) {
            return Errors.INVALID_PRODUCER_ID_MAPPING;
        }
        entry.lock().lock();
        try {
            TransactionRecord current = entry.record();
            if (entry.isRemoved() || current.producerId() != producerId) {
                return Errors.INVALID_PRODUCER_ID_MAPPING;
            }
            if (current.producerEpoch() != producerEpoch) {
                return Errors.INVALID_PRODUCER_EPOCH;
            }
            if (current.state().isPreparing()) {
                // Retriable for every client version, as Kafka answers while it cannot verify.
                return Errors.NOT_ENOUGH_REPLICAS;
            }
            return current.state() == TxnState.ONGOING && current.partitions().contains(partition)
                    ? Errors.NONE : Errors.INVALID_TXN_STATE;
        } finally {
            entry.lock().unlock();
        }
    }

    // ---- Background work -----------------------------------------------------------------------

    /** Aborts, at a fenced epoch, every open transaction that outlived its timeout. */
    void abortTimedOut() {
        long now = clock.getAsLong();
        for (TransactionEntry entry : entries.values()) {
            boolean started = false;
            entry.lock().lock();
            try {
                TransactionRecord current = entry.record();
                if (!entry.isRemoved() && current.state() == TxnState.ONGOING && !entry.isCompleting()
                        && current.startTimeMs() + current.timeoutMs() < now) {
                    TransactionRecord prepared = current.preparing(false, TransactionRecord.bumpedEpoch(current.producerEpoch()), true, now);
                    store.put(prepared);
                    entry.record(prepared);
                    entry.clearMarked();
                    started = entry.startCompleting();
                    LOG.info("Aborting a timed out transaction: transactionalId={}, producerId={}, fencedEpoch={}, "
                            + "timeoutMs={}", current.transactionalId(), current.producerId(),
                            prepared.producerEpoch(), current.timeoutMs());
                }
            } catch (StateException e) {
                LOG.warn("Could not store the abort of timed out transaction {}: {}",
                        entry.record().transactionalId(), e.getMessage());
            } finally {
                entry.lock().unlock();
            }
            if (started) {
                completer.complete(entry);
            }
        }
    }

    /** Completes the prepared transactions nobody is completing (after a failure or a restart). */
    void completePrepared() {
        for (TransactionEntry entry : entries.values()) {
            boolean started;
            entry.lock().lock();
            try {
                started = !entry.isRemoved() && entry.startCompleting();
            } finally {
                entry.lock().unlock();
            }
            if (started) {
                completer.complete(entry);
            }
        }
    }

    /** Forgets transactional ids idle for {@code transactional.id.expiration.ms}. */
    int expireIdle() {
        long now = clock.getAsLong();
        int removed = 0;
        for (TransactionEntry entry : entries.values()) {
            entry.lock().lock();
            try {
                TransactionRecord current = entry.record();
                if (!entry.isRemoved() && current.state().isIdle() && !entry.isCompleting()
                        && now - current.lastUpdateMs() >= settings.idExpirationMs()) {
                    store.delete(current.transactionalId());
                    entry.markRemoved();
                    entries.remove(current.transactionalId(), entry);
                    removed++;
                }
            } catch (StateException e) {
                LOG.warn("Could not remove expired transactional id {}: {}", entry.record().transactionalId(),
                        e.getMessage());
            } finally {
                entry.lock().unlock();
            }
        }
        return removed;
    }

    // ---- Queries -------------------------------------------------------------------------------

    /** Every transactional id's current state. */
    List<TransactionRecord> records() {
        List<TransactionRecord> records = new ArrayList<>(entries.size());
        for (TransactionEntry entry : entries.values()) {
            records.add(entry.record());
        }
        return records;
    }

    Optional<TransactionRecord> record(String transactionalId) {
        return Optional.ofNullable(entries.get(transactionalId)).map(TransactionEntry::record);
    }

    /** Whether an open transaction holds an offset for this group and partition not committed yet. */
    boolean hasPendingOffset(String groupId, TopicPartition partition) {
        for (TransactionEntry entry : entries.values()) {
            Map<TopicPartition, PendingOffset> offsets = entry.record().pendingOffsets().get(groupId);
            if (offsets != null && offsets.containsKey(partition)) {
                return true;
            }
        }
        return false;
    }

    /** {@code PRODUCER_FENCED} as clients of a version older than {@code since} know it. */
    static Errors fenced(Errors error, short version, short since) {
        return error == Errors.PRODUCER_FENCED && version < since ? Errors.INVALID_PRODUCER_EPOCH : error;
    }
}
