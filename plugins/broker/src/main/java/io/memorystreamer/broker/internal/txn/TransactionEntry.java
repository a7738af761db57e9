package io.memorystreamer.broker.internal.txn;

import io.memorystreamer.spi.storage.PartitionId;
import java.util.HashSet;
import java.util.Set;
import java.util.concurrent.locks.ReentrantLock;

/**
 * One transactional id at the coordinator: its current record, replaced under {@link #lock()}
 * once the new one is stored, and what is in progress.
 *
 * <p>Lock order: a partition's write lock may be held while this lock is taken (verification of
 * a produced batch), so nobody holding this lock ever waits for a partition write or for the
 * group coordinator.
 */
final class TransactionEntry {

    private final ReentrantLock lock = new ReentrantLock();
    private volatile TransactionRecord record;
    /** Guarded by {@link #lock}: someone is writing this transaction's markers now. */
    private boolean completing;
    /** Guarded by {@link #lock}: removed from the coordinator (expired). */
    private boolean removed;
    /** Guarded by {@link #lock}: partitions whose marker is written in the current completion. */
    private final Set<PartitionId> marked = new HashSet<>();

    TransactionEntry(TransactionRecord record) {
        this.record = record;
    }

    ReentrantLock lock() {
        return lock;
    }

    /** The current record; readable without the lock (it is immutable). */
    TransactionRecord record() {
        return record;
    }

    /** Replaces the record; call under the lock, after the new one was stored. */
    void record(TransactionRecord next) {
        this.record = next;
    }

    boolean isCompleting() {
        return completing;
    }

    /** Takes the right to write the markers of a preparing transaction; call under the lock. */
    boolean startCompleting() {
        if (completing || !record.state().isPreparing()) {
            return false;
        }
        completing = true;
        return true;
    }

    void stopCompleting() {
        completing = false;
    }

    /** A new completion starts: no marker is written yet. */
    void clearMarked() {
        marked.clear();
    }

    boolean isMarked(PartitionId partition) {
        return marked.contains(partition);
    }

    void markWritten(PartitionId partition) {
        marked.add(partition);
    }

    boolean isRemoved() {
        return removed;
    }

    void markRemoved() {
        removed = true;
    }
}
