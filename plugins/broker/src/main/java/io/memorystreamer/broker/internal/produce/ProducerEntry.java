package io.memorystreamer.broker.internal.produce;

import java.util.ArrayDeque;
import java.util.List;

/**
 * The state of one producer id on one partition: its epoch, its last few batches and, for a
 * transactional producer, where its open transaction starts on the partition. Not thread-safe:
 * guarded by the partition's write lock.
 */
final class ProducerEntry {

    /** Kafka clients keep at most five batches in flight per partition, so five are remembered. */
    static final int REMEMBERED_BATCHES = 5;
    /** {@link #currentTxnFirstOffset()} when no transaction of the producer is open here. */
    static final long NO_TRANSACTION = -1L;

    private final long producerId;
    private short epoch;
    private long lastAppendMs;
    private long currentTxnFirstOffset = NO_TRANSACTION;
    private int coordinatorEpoch = -1;
    private final ArrayDeque<BatchMetadata> batches = new ArrayDeque<>(REMEMBERED_BATCHES);

    ProducerEntry(long producerId, short epoch, long lastAppendMs) {
        this.producerId = producerId;
        this.epoch = epoch;
        this.lastAppendMs = lastAppendMs;
    }

    long producerId() {
        return producerId;
    }

    short epoch() {
        return epoch;
    }

    /** Broker time of the last append, which idle expiry measures from. */
    long lastAppendMs() {
        return lastAppendMs;
    }

    /** The offset of the first record of the producer's open transaction here, or {@link #NO_TRANSACTION}. */
    long currentTxnFirstOffset() {
        return currentTxnFirstOffset;
    }

    boolean hasOpenTransaction() {
        return currentTxnFirstOffset != NO_TRANSACTION;
    }

    /** The coordinator epoch of the last transaction marker, or -1. */
    int coordinatorEpoch() {
        return coordinatorEpoch;
    }

    /** Oldest first. */
    List<BatchMetadata> batches() {
        return List.copyOf(batches);
    }

    /** The offset of the last record of the last remembered batch, or -1 when none is remembered. */
    long lastDataOffset() {
        BatchMetadata last = batches.peekLast();
        return last == null ? -1L : last.lastOffset();
    }

    /** The sequence of the last record appended in the current epoch. */
    int lastSequence() {
        BatchMetadata last = batches.peekLast();
        return last == null ? -1 : last.lastSequence();
    }

    /** The timestamp of the last batch appended in the current epoch, or -1. */
    long lastTimestamp() {
        BatchMetadata last = batches.peekLast();
        return last == null ? -1L : last.timestamp();
    }

    /** The remembered batch with exactly this sequence range, or {@code null}. */
    BatchMetadata find(int firstSequence, int lastSequence) {
        for (BatchMetadata batch : batches) {
            if (batch.firstSequence() == firstSequence && batch.lastSequence() == lastSequence) {
                return batch;
            }
        }
        return null;
    }

    /** Remembers an appended batch; a new epoch forgets the batches of the old one. */
    void add(short batchEpoch, BatchMetadata batch, long appendMs) {
        moveToEpoch(batchEpoch);
        if (batches.size() == REMEMBERED_BATCHES) {
            batches.removeFirst();
        }
        batches.addLast(batch);
        lastAppendMs = Math.max(lastAppendMs, appendMs);
    }

    /** A transactional batch at {@code offset} opens a transaction unless one is open already. */
    void openTransactionAt(long offset) {
        if (currentTxnFirstOffset == NO_TRANSACTION) {
            currentTxnFirstOffset = offset;
        }
    }

    /**
     * A transaction marker ends the open transaction (if any). A marker of a newer epoch (the
     * coordinator fenced the producer) moves the producer to that epoch, as a batch would.
     *
     * @return the first offset of the transaction it ended, or {@link #NO_TRANSACTION}
     */
    long endTransaction(short markerEpoch, int markerCoordinatorEpoch, long appendMs) {
        if (markerEpoch > epoch) {
            moveToEpoch(markerEpoch);
        }
        coordinatorEpoch = markerCoordinatorEpoch;
        lastAppendMs = Math.max(lastAppendMs, appendMs);
        long first = currentTxnFirstOffset;
        currentTxnFirstOffset = NO_TRANSACTION;
        return first;
    }

    /** Restores the open transaction and coordinator epoch read from a snapshot. */
    void restoreTransaction(long firstOffset, int storedCoordinatorEpoch) {
        this.currentTxnFirstOffset = firstOffset;
        this.coordinatorEpoch = storedCoordinatorEpoch;
    }

    private void moveToEpoch(short newEpoch) {
        if (newEpoch != epoch) {
            epoch = newEpoch;
            batches.clear();
        }
    }
}
