package io.memorystreamer.broker.internal.txn;

import io.memorystreamer.broker.internal.produce.TransactionMarkers;
import io.memorystreamer.spi.state.StateException;
import io.memorystreamer.spi.storage.PartitionId;
import java.util.Map;
import java.util.function.LongSupplier;
import java.util.function.Supplier;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.protocol.Errors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Completes a prepared transaction: writes its COMMIT or ABORT marker to every partition, hands
 * a commit's offsets to the group coordinator, then stores the completed state. Whatever fails
 * is tried again later (markers already written are not written again in the same attempt
 * series); until then the transaction stays prepared and its producer waits
 * ({@code CONCURRENT_TRANSACTIONS}).
 */
final class TransactionCompleter {

    /** A single coordinator that never moves: its epoch never changes. */
    static final int COORDINATOR_EPOCH = 0;

    private static final Logger LOG = LoggerFactory.getLogger(TransactionCompleter.class);

    private final TransactionStore store;
    private final TransactionMarkers markers;
    private final Supplier<GroupOffsetSink> groups;
    private final LongSupplier clock;

    TransactionCompleter(TransactionStore store, TransactionMarkers markers, Supplier<GroupOffsetSink> groups,
            LongSupplier clock) {
        this.store = store;
        this.markers = markers;
        this.groups = groups;
        this.clock = clock;
    }

    /**
     * Completes the transaction of an entry whose completion the caller started
     * ({@link TransactionEntry#startCompleting()}). Takes no lock while writing.
     *
     * @return whether it completed; if not, it is tried again later
     */
    boolean complete(TransactionEntry entry) {
        TransactionRecord prepared = entry.record();
        boolean commit = prepared.state() == TxnState.PREPARE_COMMIT;
        boolean failed = false;
        for (PartitionId partition : prepared.partitions()) {
            if (isMarked(entry, partition)) {
                continue;
            }
            Errors error = markers.writeMarker(partition, prepared.producerId(), prepared.producerEpoch(), commit,
                    COORDINATOR_EPOCH);
            if (error == Errors.NONE || error == Errors.UNKNOWN_TOPIC_OR_PARTITION) {
                markWritten(entry, partition);
            } else {
                failed = true;
            }
        }
        if (!failed && commit) {
            failed = !handOverOffsets(prepared);
        }
        entry.lock().lock();
        try {
            if (failed) {
                entry.stopCompleting();
                return false;
            }
            TransactionRecord completed = prepared.completed(clock.getAsLong());
            store.put(completed);
            entry.record(completed);
            entry.clearMarked();
            entry.stopCompleting();
            LOG.debug("Transaction completed: transactionalId={}, producerId={}, epoch={}, result={}, partitions={}",
                    prepared.transactionalId(), prepared.producerId(), prepared.producerEpoch(),
                    commit ? "commit" : "abort", prepared.partitions().size());
            return true;
        } catch (StateException e) {
            LOG.warn("Could not store the completion of transaction {}, will retry: {}", prepared.transactionalId(),
                    e.getMessage());
            entry.stopCompleting();
            return false;
        } finally {
            entry.lock().unlock();
        }
    }

    private boolean handOverOffsets(TransactionRecord prepared) {
        GroupOffsetSink sink = groups.get();
        try {
            for (Map.Entry<String, Map<TopicPartition, PendingOffset>> group : prepared.pendingOffsets().entrySet()) {
                // Idempotent: a retry stores the same offsets again.
                sink.commit(group.getKey(), group.getValue());
            }
            return true;
        } catch (RuntimeException e) {
            LOG.warn("Could not commit the offsets of transaction {}, will retry: {}", prepared.transactionalId(),
                    e.getMessage());
            return false;
        }
    }

    private static boolean isMarked(TransactionEntry entry, PartitionId partition) {
        entry.lock().lock();
        try {
            return entry.isMarked(partition);
        } finally {
            entry.lock().unlock();
        }
    }

    private static void markWritten(TransactionEntry entry, PartitionId partition) {
        entry.lock().lock();
        try {
            entry.markWritten(partition);
        } finally {
            entry.lock().unlock();
        }
    }
}
