package io.memorystreamer.storage.log.internal;

import io.memorystreamer.storage.log.internal.BatchHistory.AbortedTransaction;
import java.util.ArrayDeque;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.kafka.common.record.internal.ControlRecordType;
import org.apache.kafka.common.record.internal.RecordBatch;

/**
 * Follows transactions while compaction reads batches in offset order, as Kafka's cleaner does,
 * to decide what may be discarded without changing what {@code read_committed} consumers see:
 * <ul>
 *   <li>every record of an aborted transaction may go (consumers never see it);</li>
 *   <li>a COMMIT marker stays while any batch of its transaction was read in this pass; after
 *       that it is kept until its delete horizon ({@code delete.retention.ms} after compaction
 *       first found it alone), then removed;</li>
 *   <li>an ABORT marker always stays. A {@code read_committed} consumer skips a producer's
 *       transactional records from the first offset of an aborted transaction listed in the fetch
 *       response until it reads that transaction's ABORT marker. Kafka removes the marker only
 *       together with the entry of its partition's aborted-transaction index; here that index
 *       belongs to the broker, which compaction cannot update, so a removed marker could make
 *       consumers skip later committed records of the same producer;</li>
 *   <li>records of committed transactions are compacted by key like any other record.</li>
 * </ul>
 * Open transactions never reach it: compaction stops before the first one. Not thread-safe.
 */
final class TransactionTracker {

    private final ArrayDeque<AbortedTransaction> upcoming;
    /** Aborted transactions in progress at the read position, with whether a batch of each was read. */
    private final Map<Long, boolean[]> ongoingAborted = new HashMap<>();
    private final Set<Long> ongoingCommitted = new HashSet<>();

    /** @param aborted the aborted transactions whose markers lie at or after the first offset read, by first offset */
    TransactionTracker(List<AbortedTransaction> aborted) {
        this.upcoming = new ArrayDeque<>(aborted);
    }

    /** Tracks an aborted transactions list for reads that start at {@code fromOffset}. */
    static TransactionTracker from(List<AbortedTransaction> aborted, long fromOffset) {
        return new TransactionTracker(aborted.stream().filter(t -> t.markerOffset() >= fromOffset).toList());
    }

    /**
     * Reads a data batch.
     *
     * @return whether it belongs to an aborted transaction (its records may all be discarded)
     */
    boolean onDataBatch(RecordBatch batch) {
        startAbortedUpTo(batch.lastOffset());
        if (!batch.isTransactional()) {
            return false;
        }
        boolean[] observed = ongoingAborted.get(batch.producerId());
        if (observed != null) {
            observed[0] = true;
            return true;
        }
        ongoingCommitted.add(batch.producerId());
        return false;
    }

    /**
     * Reads a control batch.
     *
     * @return whether the marker no longer guards any record read in this pass, so it may be
     *     discarded once its delete horizon has passed
     */
    boolean onControlBatch(RecordBatch batch) {
        startAbortedUpTo(batch.lastOffset());
        ControlRecordType type = ControlBatches.type(batch);
        long producerId = batch.producerId();
        return switch (type) {
            case ABORT -> {
                ongoingAborted.remove(producerId);
                yield false;
            }
            case COMMIT -> !ongoingCommitted.remove(producerId);
            // A control batch emptied by an earlier pass guards nothing.
            case UNKNOWN -> !batch.iterator().hasNext();
            default -> false;
        };
    }

    private void startAbortedUpTo(long offset) {
        while (!upcoming.isEmpty() && upcoming.peekFirst().firstOffset() <= offset) {
            ongoingAborted.put(upcoming.pollFirst().producerId(), new boolean[1]);
        }
    }
}
