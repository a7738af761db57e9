package io.memorystreamer.broker.internal.fetch;

/**
 * A transaction that ended with an ABORT marker on one partition: read_committed consumers drop
 * the producer's records from {@code firstOffset} up to the marker at {@code lastOffset}.
 *
 * @param producerId the transactional producer
 * @param firstOffset the offset of the transaction's first record on the partition
 * @param lastOffset the offset of the ABORT marker
 * @param lastStableOffset the partition's last stable offset right after the marker; no
 *     transaction aborted later can start below it, which lets lookups stop early
 */
public record AbortedTransaction(long producerId, long firstOffset, long lastOffset, long lastStableOffset) {

    public AbortedTransaction {
        if (firstOffset < 0 || lastOffset < firstOffset) {
            throw new IllegalArgumentException("bad aborted transaction range " + firstOffset + ".." + lastOffset);
        }
    }
}
