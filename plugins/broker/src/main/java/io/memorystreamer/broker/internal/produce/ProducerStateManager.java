package io.memorystreamer.broker.internal.produce;

import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.apache.kafka.common.protocol.Errors;

/**
 * The idempotent and transactional producers of one partition: per producer id the epoch, the
 * last five batches and the open transaction, with Kafka's rules for epochs and sequence numbers.
 * Not thread-safe: used under the partition's write lock.
 *
 * <p>Rules, as the Kafka broker applies them to client appends:
 * <ul>
 *   <li>a batch with the same epoch and sequence range as one of the remembered five is a retry:
 *       it is acknowledged with its original offsets and not appended again;</li>
 *   <li>an epoch lower than the known one is {@code INVALID_PRODUCER_EPOCH};</li>
 *   <li>a higher epoch must start at sequence 0;</li>
 *   <li>in the same epoch the first sequence must follow the last one (after
 *       {@link Integer#MAX_VALUE} comes 0), else {@code OUT_OF_ORDER_SEQUENCE_NUMBER};</li>
 *   <li>a producer id with no state (new, expired, or whose data retention removed) is accepted
 *       at any sequence: Kafka no longer answers {@code UNKNOWN_PRODUCER_ID} since KIP-360;</li>
 *   <li>a producer with an open transaction may write only transactional batches until a
 *       marker ends it, else {@code INVALID_TXN_STATE}.</li>
 * </ul>
 *
 * <p>The open transactions, by first offset, give the partition's first unstable offset.
 */
final class ProducerStateManager {

    /** What a transaction marker ended. */
    record EndedTransaction(long producerId, long firstOffset, long markerOffset) {
    }

    private final Map<Long, ProducerEntry> producers = new HashMap<>();
    /** First offset of each open transaction to the producer id that opened it. */
    private final TreeMap<Long, Long> openTransactions = new TreeMap<>();

    /** Judges a batch of a producer before it is appended. */
    ProducerCheck check(long producerId, short epoch, int firstSequence, int lastSequence, boolean transactional) {
        ProducerEntry entry = producers.get(producerId);
        if (entry == null) {
            return ProducerCheck.ACCEPT;
        }
        if (epoch == entry.epoch()) {
            BatchMetadata duplicate = entry.find(firstSequence, lastSequence);
            if (duplicate != null) {
                return ProducerCheck.duplicateOf(duplicate);
            }
            if (!inSequence(entry.lastSequence(), firstSequence)) {
                return ProducerCheck.reject(Errors.OUT_OF_ORDER_SEQUENCE_NUMBER,
                        "out of order sequence number for producer " + producerId + ": " + firstSequence
                                + " (incoming), " + entry.lastSequence() + " (last appended)");
            }
            return transactionCheck(entry, transactional);
        }
        if (epoch < entry.epoch()) {
            return ProducerCheck.reject(Errors.INVALID_PRODUCER_EPOCH,
                    "epoch " + epoch + " of producer " + producerId + " is older than the last seen epoch "
                            + entry.epoch());
        }
        if (firstSequence != 0) {
            return ProducerCheck.reject(Errors.OUT_OF_ORDER_SEQUENCE_NUMBER,
                    "new epoch " + epoch + " of producer " + producerId + " must start at sequence 0, not "
                            + firstSequence);
        }
        return transactionCheck(entry, transactional);
    }

    private static ProducerCheck transactionCheck(ProducerEntry entry, boolean transactional) {
        if (!transactional && entry.hasOpenTransaction()) {
            return ProducerCheck.reject(Errors.INVALID_TXN_STATE, "expected a transactional write from producer "
                    + entry.producerId() + ", whose transaction is open since offset " + entry.currentTxnFirstOffset());
        }
        return ProducerCheck.ACCEPT;
    }

    /** Records an appended batch (also used when rebuilding state from the log). */
    void onAppend(long producerId, short epoch, BatchMetadata batch, long appendMs, boolean transactional) {
        ProducerEntry entry = producers.computeIfAbsent(producerId, id -> new ProducerEntry(id, epoch, appendMs));
        entry.add(epoch, batch, appendMs);
        if (transactional && !entry.hasOpenTransaction()) {
            entry.openTransactionAt(batch.firstOffset());
            openTransactions.put(batch.firstOffset(), producerId);
        }
    }

    /**
     * Records an appended COMMIT or ABORT marker (also used when rebuilding state from the log).
     *
     * @return the transaction it ended, or {@code null} when the producer had none open here
     */
    EndedTransaction onMarker(long producerId, short epoch, int coordinatorEpoch, long markerOffset, long appendMs) {
        ProducerEntry entry = producers.computeIfAbsent(producerId, id -> new ProducerEntry(id, epoch, appendMs));
        long first = entry.endTransaction(epoch, coordinatorEpoch, appendMs);
        if (first == ProducerEntry.NO_TRANSACTION) {
            return null;
        }
        openTransactions.remove(first);
        return new EndedTransaction(producerId, first, markerOffset);
    }

    /** The first offset of the oldest open transaction, or {@link Long#MAX_VALUE} when none is open. */
    long firstUnstableOffset() {
        return openTransactions.isEmpty() ? Long.MAX_VALUE : openTransactions.firstKey();
    }

    /** Adds an entry read from a snapshot. */
    void restore(ProducerEntry entry) {
        producers.put(entry.producerId(), entry);
        if (entry.hasOpenTransaction()) {
            openTransactions.put(entry.currentTxnFirstOffset(), entry.producerId());
        }
    }

    /**
     * Forgets producers that have not appended for {@code expirationMs}, except those with an open
     * transaction (its marker is still to come).
     *
     * @return how many were forgotten
     */
    int expire(long nowMs, long expirationMs) {
        int before = producers.size();
        producers.values().removeIf(entry -> !entry.hasOpenTransaction()
                && nowMs - entry.lastAppendMs() >= expirationMs);
        return before - producers.size();
    }

    /**
     * Forgets producers whose data is all below the log start offset (deleted), except those with
     * an open transaction, as Kafka does when the log start moves.
     *
     * @return how many were forgotten
     */
    int removeBelow(long logStartOffset) {
        int before = producers.size();
        producers.values().removeIf(entry -> !entry.hasOpenTransaction()
                && entry.lastDataOffset() >= 0 && entry.lastDataOffset() < logStartOffset);
        return before - producers.size();
    }

    Collection<ProducerEntry> entries() {
        return List.copyOf(producers.values());
    }

    ProducerEntry entry(long producerId) {
        return producers.get(producerId);
    }

    int size() {
        return producers.size();
    }

    private static boolean inSequence(int lastSequence, int nextSequence) {
        return nextSequence == lastSequence + 1L || (nextSequence == 0 && lastSequence == Integer.MAX_VALUE);
    }
}
