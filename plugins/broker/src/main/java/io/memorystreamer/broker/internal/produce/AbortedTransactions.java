package io.memorystreamer.broker.internal.produce;

import io.memorystreamer.broker.internal.fetch.AbortedTransaction;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentSkipListMap;

/**
 * The aborted transactions of one partition, by marker offset, and what changed since they were
 * last stored. Lookups may run on any thread; changes happen under the partition's write lock.
 */
final class AbortedTransactions {

    private final ConcurrentSkipListMap<Long, AbortedTransaction> byMarkerOffset = new ConcurrentSkipListMap<>();
    /** Guarded by the partition's write lock. */
    private List<AbortedTransaction> unsavedAdditions = new ArrayList<>();
    /** Guarded by the partition's write lock. */
    private List<AbortedTransaction> unsavedRemovals = new ArrayList<>();

    /** What changed since the last store, to write along with the producer state. */
    record Changes(List<AbortedTransaction> added, List<AbortedTransaction> removed) {
        boolean isEmpty() {
            return added.isEmpty() && removed.isEmpty();
        }
    }

    /** Records a transaction that an ABORT marker just ended (or that a log replay found). */
    void add(AbortedTransaction transaction) {
        byMarkerOffset.put(transaction.lastOffset(), transaction);
        unsavedAdditions.add(transaction);
    }

    /** Adds an entry read from the store. */
    void restore(AbortedTransaction transaction) {
        byMarkerOffset.put(transaction.lastOffset(), transaction);
    }

    /** Drops a stored entry that no longer matches the log (its marker was lost in a crash). */
    void discardStored(AbortedTransaction transaction) {
        unsavedRemovals.add(transaction);
    }

    /**
     * The transactions with records in {@code [fromOffset, toOffset)}. Walks entries by marker
     * offset from {@code fromOffset} and stops at the first whose last stable offset reaches
     * {@code toOffset}: every later abort started at or above it.
     */
    List<AbortedTransaction> overlapping(long fromOffset, long toOffset) {
        List<AbortedTransaction> found = new ArrayList<>();
        for (AbortedTransaction transaction : byMarkerOffset.tailMap(fromOffset, true).values()) {
            if (transaction.firstOffset() < toOffset) {
                found.add(transaction);
            }
            if (transaction.lastStableOffset() >= toOffset) {
                break;
            }
        }
        return found;
    }

    /**
     * Forgets the transactions whose markers are below the log start offset.
     *
     * @return whether any was forgotten
     */
    boolean trimBelow(long logStartOffset) {
        boolean trimmed = false;
        while (!byMarkerOffset.isEmpty() && byMarkerOffset.firstKey() < logStartOffset) {
            unsavedRemovals.add(byMarkerOffset.pollFirstEntry().getValue());
            trimmed = true;
        }
        return trimmed;
    }

    int size() {
        return byMarkerOffset.size();
    }

    /** Takes the unsaved changes; give them back with {@link #giveBack} if storing them failed. */
    Changes takeChanges() {
        Changes changes = new Changes(unsavedAdditions, unsavedRemovals);
        unsavedAdditions = new ArrayList<>();
        unsavedRemovals = new ArrayList<>();
        return changes;
    }

    void giveBack(Changes changes) {
        unsavedAdditions.addAll(0, changes.added());
        unsavedRemovals.addAll(0, changes.removed());
    }
}
