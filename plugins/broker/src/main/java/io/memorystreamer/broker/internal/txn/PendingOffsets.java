package io.memorystreamer.broker.internal.txn;

import org.apache.kafka.common.TopicPartition;

/**
 * Whether an open transaction holds an offset for a group's partition that it has not committed
 * yet. OffsetFetch with {@code require_stable} answers {@code UNSTABLE_OFFSET_COMMIT} for such a
 * partition, so a consumer taking over does not start from an offset about to change.
 * Thread-safe and lock-free (safe to call under the group coordinator's locks).
 */
@FunctionalInterface
public interface PendingOffsets {

    boolean hasPendingOffset(String groupId, TopicPartition partition);
}
