package io.memorystreamer.broker.internal.produce;

import io.memorystreamer.broker.internal.fetch.AbortedTransaction;
import io.memorystreamer.broker.internal.fetch.BatchHeader;
import io.memorystreamer.broker.internal.fetch.BatchHeaderWalker;
import io.memorystreamer.broker.internal.fetch.LeaderEpochs;
import io.memorystreamer.spi.storage.AppendResult;
import io.memorystreamer.spi.storage.PartitionId;
import io.memorystreamer.spi.storage.PartitionLog;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.LongSupplier;
import java.util.function.Supplier;
import org.apache.kafka.common.Uuid;
import org.apache.kafka.common.protocol.Errors;
import org.apache.kafka.common.record.TimestampType;
import org.apache.kafka.common.record.internal.ControlRecordType;
import org.apache.kafka.common.record.internal.EndTransactionMarker;
import org.apache.kafka.common.record.internal.MemoryRecords;
import org.apache.kafka.common.record.internal.MutableRecordBatch;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Serialises the writes to one partition and keeps its producer and transaction state. The lock
 * is per partition (there is no broker-wide write lock); it is held across the producer checks,
 * the transaction verification, the append and the state update so that sequence checks see
 * every earlier append and no batch slips in after the marker that ended its transaction.
 *
 * <p>State is loaded on first use (an append, a marker or a read_committed lookup): the stored
 * snapshot and aborted-transaction entries, then the batch headers the log holds after the offset
 * the snapshot covers.
 *
 * <p>Readers on other threads see the first unstable offset (a volatile) and the aborted index (a
 * concurrent map). Writes publish them before moving the high watermark, and readers read the
 * high watermark first, so a read_committed reader never sees records of a transaction it
 * believes stable.
 */
final class PartitionWriter {

    private static final Logger LOG = LoggerFactory.getLogger(PartitionWriter.class);

    private final PartitionId partition;
    private final Uuid topicId;
    private final PartitionLog log;
    private final ProducerStateSnapshots snapshots;
    private final Supplier<TransactionCoordination> coordination;
    private final LongSupplier clock;
    private final ReentrantLock lock = new ReentrantLock();
    private final AbortedTransactions aborted = new AbortedTransactions();

    /** Guarded by {@link #lock}; {@code null} until loaded. */
    private ProducerStateManager producers;
    /** Guarded by {@link #lock}: appends happened since the last snapshot. */
    private boolean dirty;
    private volatile boolean loaded;
    /** The first offset of the oldest open transaction, {@link Long#MAX_VALUE} when none. */
    private volatile long firstUnstableOffset = Long.MAX_VALUE;

    PartitionWriter(PartitionId partition, Uuid topicId, PartitionLog log, ProducerStateSnapshots snapshots,
            Supplier<TransactionCoordination> coordination, LongSupplier clock) {
        this.partition = partition;
        this.topicId = topicId;
        this.log = log;
        this.snapshots = snapshots;
        this.coordination = coordination;
        this.clock = clock;
    }

    /** Whether this writer still serves the given log of the given topic incarnation. */
    boolean serves(PartitionLog candidate, Uuid candidateTopicId) {
        return log == candidate && topicId.equals(candidateTopicId);
    }

    PartitionId partition() {
        return partition;
    }

    /**
     * Checks the producer state (and, for a transactional batch, that the partition is in the
     * producer's open transaction), then appends the batch and advances the high watermark.
     *
     * @param transactionalId the produce request's transactional id, or {@code null}
     * @throws io.memorystreamer.spi.storage.StorageException if the log fails
     */
    AppendOutcome append(BatchValidator.Valid valid, boolean logAppendTime, String transactionalId) {
        lock.lock();
        try {
            ensureLoaded();
            BatchHeader header = valid.header();
            if (header.hasProducerId()) {
                ProducerCheck check = producers.check(header.producerId(), header.producerEpoch(),
                        header.baseSequence(), header.lastSequence(), header.isTransactional());
                if (check.isDuplicate()) {
                    BatchMetadata original = check.duplicate();
                    return AppendOutcome.appended(original.firstOffset(), logAppendTime ? original.timestamp() : -1L,
                            log.logStartOffset(), 0);
                }
                if (check.error() != Errors.NONE) {
                    return AppendOutcome.failed(check.error(), check.message(), log.logStartOffset());
                }
                if (header.isTransactional()) {
                    Errors verdict = coordination.get().verifyTransactionalAppend(transactionalId,
                            header.producerId(), header.producerEpoch(), partition);
                    if (verdict != Errors.NONE) {
                        return AppendOutcome.failed(verdict, verificationMessage(verdict, header),
                                log.logStartOffset());
                    }
                }
            }
            long now = clock.getAsLong();
            MutableRecordBatch batch = valid.batch();
            batch.setPartitionLeaderEpoch(LeaderEpochs.CURRENT);
            long maxTimestamp = header.maxTimestamp();
            if (logAppendTime) {
                // Rewrites the timestamp type attribute and max timestamp, and recomputes the CRC.
                batch.setMaxTimestamp(TimestampType.LOG_APPEND_TIME, now);
                maxTimestamp = now;
            }
            int size = valid.bytes().remaining();
            AppendResult result = log.append(valid.bytes());
            if (header.hasProducerId()) {
                producers.onAppend(header.producerId(), header.producerEpoch(), new BatchMetadata(header.baseSequence(),
                        header.lastSequence(), result.firstOffset(), result.lastOffset(), maxTimestamp), now,
                        header.isTransactional());
                firstUnstableOffset = producers.firstUnstableOffset();
            }
            dirty = true;
            // Last: the batch becomes visible only once its transaction is known to be open.
            log.updateHighWatermark(result.lastOffset() + 1);
            return AppendOutcome.appended(result.firstOffset(), logAppendTime ? now : -1L, result.logStartOffset(), size);
        } finally {
            lock.unlock();
        }
    }

    /**
     * Appends a COMMIT or ABORT marker for the producer, ends its open transaction here and, for
     * an abort, records the aborted transaction.
     *
     * @return the bytes appended
     * @throws io.memorystreamer.spi.storage.StorageException if the log fails
     */
    int writeMarker(long producerId, short producerEpoch, boolean commit, int coordinatorEpoch) {
        lock.lock();
        try {
            ensureLoaded();
            long now = clock.getAsLong();
            EndTransactionMarker marker = new EndTransactionMarker(
                    commit ? ControlRecordType.COMMIT : ControlRecordType.ABORT, coordinatorEpoch);
            MemoryRecords records = MemoryRecords.withEndTransactionMarker(0L, now, LeaderEpochs.CURRENT, producerId,
                    producerEpoch, marker);
            int size = records.sizeInBytes();
            AppendResult result = log.append(records.buffer());
            endTransaction(producers, producerId, producerEpoch, coordinatorEpoch, result.firstOffset(), !commit, now);
            firstUnstableOffset = producers.firstUnstableOffset();
            dirty = true;
            log.updateHighWatermark(result.lastOffset() + 1);
            return size;
        } finally {
            lock.unlock();
        }
    }

    /** The last stable offset: below it no record belongs to an open transaction. */
    long lastStableOffset() {
        ensureLoadedForReads();
        long highWatermark = log.highWatermark();
        return Math.min(highWatermark, firstUnstableOffset);
    }

    /** The aborted transactions with records in {@code [fromOffset, toOffset)}. */
    List<AbortedTransaction> abortedTransactions(long fromOffset, long toOffset) {
        ensureLoadedForReads();
        return aborted.overlapping(fromOffset, toOffset);
    }

    /** The producers with state on this partition, as DescribeProducers reports them. */
    List<ProducerView> producers() {
        lock.lock();
        try {
            ensureLoaded();
            List<ProducerView> views = new ArrayList<>();
            for (ProducerEntry entry : producers.entries()) {
                views.add(new ProducerView(entry.producerId(), entry.epoch(), entry.lastSequence(),
                        entry.lastTimestamp(), entry.coordinatorEpoch(), entry.currentTxnFirstOffset()));
            }
            return views;
        } finally {
            lock.unlock();
        }
    }

    /** The state to store if it changed since the last call, else {@code null}. */
    ProducerStateSnapshots.PartitionSnapshot snapshotIfDirty() {
        lock.lock();
        try {
            if (producers == null || !dirty) {
                return null;
            }
            dirty = false;
            return new ProducerStateSnapshots.PartitionSnapshot(partition, topicId,
                    ProducerStateCodec.encode(topicId, log.logEndOffset(), producers.entries()), aborted.takeChanges());
        } finally {
            lock.unlock();
        }
    }

    /** A snapshot could not be stored: take it again next time. */
    void snapshotFailed(ProducerStateSnapshots.PartitionSnapshot snapshot) {
        lock.lock();
        try {
            dirty = true;
            aborted.giveBack(snapshot.aborted());
        } finally {
            lock.unlock();
        }
    }

    /**
     * Advances the log start offset (DeleteRecords) under the partition's write lock, then forgets
     * the producers and aborted transactions whose records are all gone.
     *
     * @return the new log start offset
     * @throws io.memorystreamer.spi.storage.OffsetOutOfRangeException if beyond the high watermark
     * @throws io.memorystreamer.spi.storage.StorageException if the log fails
     */
    long deleteRecordsBefore(long offset) {
        lock.lock();
        try {
            log.deleteRecordsBefore(offset);
            long logStart = log.logStartOffset();
            if (producers != null) {
                if (producers.removeBelow(logStart) > 0) {
                    dirty = true;
                }
                if (aborted.trimBelow(logStart)) {
                    dirty = true;
                }
            }
            return logStart;
        } finally {
            lock.unlock();
        }
    }

    /** Forgets producers idle for {@code expirationMs} and aborted transactions below the log start. */
    void maintain(long nowMs, long expirationMs) {
        lock.lock();
        try {
            if (producers == null) {
                return;
            }
            if (producers.expire(nowMs, expirationMs) > 0) {
                dirty = true;
            }
            if (aborted.trimBelow(log.logStartOffset())) {
                dirty = true;
            }
        } finally {
            lock.unlock();
        }
    }

    private void ensureLoadedForReads() {
        if (loaded) {
            return;
        }
        lock.lock();
        try {
            ensureLoaded();
        } finally {
            lock.unlock();
        }
    }

    private void ensureLoaded() {
        if (producers != null) {
            return;
        }
        ProducerStateManager state = new ProducerStateManager();
        long logEnd = log.logEndOffset();
        long logStart = log.logStartOffset();
        long replayFrom = logStart;
        Optional<ProducerStateCodec.Snapshot> snapshot = snapshots.load(partition);
        if (snapshot.isPresent() && usable(snapshot.get(), logEnd)) {
            snapshot.get().producers().forEach(state::restore);
            replayFrom = Math.max(replayFrom, snapshot.get().coveredOffset());
        }
        restoreAborted(logStart, replayFrom, logEnd);
        long now = clock.getAsLong();
        long startNanos = System.nanoTime();
        int[] replayed = {0};
        BatchHeaderWalker.walk(log, replayFrom, logEnd, header -> {
            if (!header.hasProducerId()) {
                return;
            }
            if (header.isControl()) {
                ControlBatchReader.Marker marker = ControlBatchReader.read(log, header);
                if (marker.isEndTransaction()) {
                    endTransaction(state, header.producerId(), header.producerEpoch(), marker.coordinatorEpoch(),
                            header.baseOffset(), marker.type() == ControlRecordType.ABORT, now);
                }
            } else {
                state.onAppend(header.producerId(), header.producerEpoch(), new BatchMetadata(header.baseSequence(),
                        header.lastSequence(), header.baseOffset(), header.lastOffset(), header.maxTimestamp()), now,
                        header.isTransactional());
            }
            replayed[0]++;
        });
        producers = state;
        firstUnstableOffset = state.firstUnstableOffset();
        loaded = true;
        // Store a snapshot covering the replayed range so the next load starts from here.
        dirty = replayFrom < logEnd || snapshot.isEmpty();
        if (replayFrom < logEnd) {
            LOG.info("Rebuilt producer state from the log: partition={}, producers={}, fromOffset={}, toOffset={}, "
                    + "producerBatches={}, abortedTransactions={}, tookMs={}", partition, state.size(), replayFrom,
                    logEnd, replayed[0], aborted.size(), (System.nanoTime() - startNanos) / 1_000_000);
        }
    }

    /**
     * Loads the stored aborted transactions below the replay start (the replay finds the later
     * ones again) and discards entries that no longer match the log.
     */
    private void restoreAborted(long logStart, long replayFrom, long logEnd) {
        for (AbortedTransactionCodec.Stored stored : snapshots.loadAborted(partition)) {
            AbortedTransaction transaction = stored.transaction();
            long marker = transaction.lastOffset();
            boolean sameTopic = stored.topicId().equals(topicId);
            if (sameTopic && marker >= logStart && marker < replayFrom) {
                aborted.restore(transaction);
            } else if (!sameTopic || marker < logStart || marker >= logEnd) {
                // Of a deleted topic, below the log start, or a marker the log lost in a crash.
                aborted.discardStored(transaction);
            }
            // Otherwise the replay below finds its marker again.
        }
    }

    /** Applies a marker to the producer state and records an aborted transaction. */
    private void endTransaction(ProducerStateManager state, long producerId, short producerEpoch, int coordinatorEpoch,
            long markerOffset, boolean abort, long now) {
        ProducerStateManager.EndedTransaction ended = state.onMarker(producerId, producerEpoch, coordinatorEpoch,
                markerOffset, now);
        if (abort && ended != null) {
            long lastStable = Math.min(state.firstUnstableOffset(), markerOffset + 1);
            aborted.add(new AbortedTransaction(producerId, ended.firstOffset(), markerOffset, lastStable));
        }
    }

    private boolean usable(ProducerStateCodec.Snapshot snapshot, long logEnd) {
        if (!snapshot.topicId().equals(topicId)) {
            LOG.debug("Ignoring producer state of an earlier topic with the same name: partition={}", partition);
            return false;
        }
        if (snapshot.coveredOffset() > logEnd) {
            // The log lost its unflushed tail in a crash after the snapshot was taken.
            LOG.info("Producer state snapshot is ahead of the log, rebuilding from the log: partition={}, "
                    + "snapshotOffset={}, logEndOffset={}", partition, snapshot.coveredOffset(), logEnd);
            return false;
        }
        return true;
    }

    private String verificationMessage(Errors verdict, BatchHeader header) {
        return switch (verdict) {
            case INVALID_TXN_STATE -> "partition " + partition + " is not part of an open transaction of producer "
                    + header.producerId() + " at epoch " + header.producerEpoch();
            case NOT_ENOUGH_REPLICAS -> "the transaction of producer " + header.producerId()
                    + " is being completed; cannot verify that the partition belongs to it";
            default -> "transactional batch refused: producer " + header.producerId() + ", epoch "
                    + header.producerEpoch() + ": " + verdict.message();
        };
    }
}
