package io.memorystreamer.broker.internal.produce;

import java.util.ArrayDeque;
import java.util.List;

/**
 * The state of one producer id on one partition: its epoch and its last few batches. Not
 * thread-safe: guarded by the partition's write lock.
 */
final class ProducerEntry {

    /** Kafka clients keep at most five batches in flight per partition, so five are remembered. */
    static final int REMEMBERED_BATCHES = 5;

    private final long producerId;
    private short epoch;
    private long lastAppendMs;
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

    /** Oldest first. */
    List<BatchMetadata> batches() {
        return List.copyOf(batches);
    }

    /** The sequence of the last record appended in the current epoch. */
    int lastSequence() {
        BatchMetadata last = batches.peekLast();
        return last == null ? -1 : last.lastSequence();
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
        if (batchEpoch != epoch) {
            epoch = batchEpoch;
            batches.clear();
        }
        if (batches.size() == REMEMBERED_BATCHES) {
            batches.removeFirst();
        }
        batches.addLast(batch);
        lastAppendMs = Math.max(lastAppendMs, appendMs);
    }
}
