package io.memorystreamer.broker.internal.produce;

import io.memorystreamer.broker.internal.fetch.BatchHeader;
import io.memorystreamer.broker.internal.fetch.BatchHeaderWalker;
import io.memorystreamer.broker.internal.fetch.LeaderEpochs;
import io.memorystreamer.spi.storage.AppendResult;
import io.memorystreamer.spi.storage.PartitionId;
import io.memorystreamer.spi.storage.PartitionLog;
import java.util.Optional;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.LongSupplier;
import org.apache.kafka.common.Uuid;
import org.apache.kafka.common.protocol.Errors;
import org.apache.kafka.common.record.TimestampType;
import org.apache.kafka.common.record.internal.MutableRecordBatch;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Serialises the writes to one partition and keeps its producer state. The lock is per partition
 * (there is no broker-wide write lock); it is held across the producer checks, the append and the
 * state update so that sequence checks see every earlier append.
 *
 * <p>Producer state is loaded on the first append: the stored snapshot, then the batch headers
 * the log holds after the offset the snapshot covers.
 */
final class PartitionWriter {

    private static final Logger LOG = LoggerFactory.getLogger(PartitionWriter.class);

    private final PartitionId partition;
    private final Uuid topicId;
    private final PartitionLog log;
    private final ProducerStateSnapshots snapshots;
    private final LongSupplier clock;
    private final ReentrantLock lock = new ReentrantLock();

    /** Guarded by {@link #lock}; {@code null} until loaded. */
    private ProducerStateManager producers;
    /** Guarded by {@link #lock}: appends happened since the last snapshot. */
    private boolean dirty;

    PartitionWriter(PartitionId partition, Uuid topicId, PartitionLog log, ProducerStateSnapshots snapshots,
            LongSupplier clock) {
        this.partition = partition;
        this.topicId = topicId;
        this.log = log;
        this.snapshots = snapshots;
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
     * Checks the producer state, then appends the batch and advances the high watermark.
     *
     * @throws io.memorystreamer.spi.storage.StorageException if the log fails
     */
    AppendOutcome append(BatchValidator.Valid valid, boolean logAppendTime) {
        lock.lock();
        try {
            ensureLoaded();
            BatchHeader header = valid.header();
            if (header.hasProducerId()) {
                ProducerCheck check = producers.check(header.producerId(), header.producerEpoch(),
                        header.baseSequence(), header.lastSequence());
                if (check.isDuplicate()) {
                    BatchMetadata original = check.duplicate();
                    return AppendOutcome.appended(original.firstOffset(), logAppendTime ? original.timestamp() : -1L,
                            log.logStartOffset(), 0);
                }
                if (check.error() != Errors.NONE) {
                    return AppendOutcome.failed(check.error(), check.message(), log.logStartOffset());
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
            log.updateHighWatermark(result.lastOffset() + 1);
            if (header.hasProducerId()) {
                producers.onAppend(header.producerId(), header.producerEpoch(), new BatchMetadata(header.baseSequence(),
                        header.lastSequence(), result.firstOffset(), result.lastOffset(), maxTimestamp), now);
            }
            dirty = true;
            return AppendOutcome.appended(result.firstOffset(), logAppendTime ? now : -1L, result.logStartOffset(), size);
        } finally {
            lock.unlock();
        }
    }

    /** The encoded producer state if it changed since the last call, else {@code null}. */
    byte[] snapshotIfDirty() {
        lock.lock();
        try {
            if (producers == null || !dirty) {
                return null;
            }
            dirty = false;
            return ProducerStateCodec.encode(topicId, log.logEndOffset(), producers.entries());
        } finally {
            lock.unlock();
        }
    }

    /** A snapshot could not be stored: take it again next time. */
    void markDirty() {
        lock.lock();
        try {
            dirty = true;
        } finally {
            lock.unlock();
        }
    }

    /** Forgets producers idle for {@code expirationMs}. */
    void expireProducers(long nowMs, long expirationMs) {
        lock.lock();
        try {
            if (producers != null && producers.expire(nowMs, expirationMs) > 0) {
                dirty = true;
            }
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
        long replayFrom = log.logStartOffset();
        Optional<ProducerStateCodec.Snapshot> snapshot = snapshots.load(partition);
        if (snapshot.isPresent() && usable(snapshot.get(), logEnd)) {
            snapshot.get().producers().forEach(state::restore);
            replayFrom = Math.max(replayFrom, snapshot.get().coveredOffset());
        }
        long now = clock.getAsLong();
        long startNanos = System.nanoTime();
        int[] replayed = {0};
        BatchHeaderWalker.walk(log, replayFrom, logEnd, header -> {
            if (header.hasProducerId() && !header.isControl()) {
                state.onAppend(header.producerId(), header.producerEpoch(), new BatchMetadata(header.baseSequence(),
                        header.lastSequence(), header.baseOffset(), header.lastOffset(), header.maxTimestamp()), now);
                replayed[0]++;
            }
        });
        producers = state;
        // Store a snapshot covering the replayed range so the next load starts from here.
        dirty = replayFrom < logEnd || snapshot.isEmpty();
        if (replayFrom < logEnd) {
            LOG.info("Rebuilt producer state from the log: partition={}, producers={}, fromOffset={}, toOffset={}, "
                    + "idempotentBatches={}, tookMs={}", partition, state.size(), replayFrom, logEnd, replayed[0],
                    (System.nanoTime() - startNanos) / 1_000_000);
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
}
