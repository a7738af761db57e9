package io.memorystreamer.broker.internal.txn;

/**
 * An offset a transaction commits for a consumer group: it becomes the group's committed offset
 * when the transaction commits, and is dropped when it aborts.
 *
 * @param offset the next offset the group will consume
 * @param leaderEpoch the leader epoch the client saw, or -1
 * @param metadata the client's metadata string, or {@code null}
 * @param commitTimestampMs when the broker accepted the TxnOffsetCommit
 */
public record PendingOffset(long offset, int leaderEpoch, String metadata, long commitTimestampMs) {
}
