package io.memorystreamer.broker.internal.fetch;

import io.memorystreamer.broker.internal.topic.TopicInfo;
import io.memorystreamer.spi.storage.PartitionLog;
import java.util.List;

/**
 * What read_committed reads need from the write path, which tracks transactions per partition:
 * the last stable offset (no record at or above it belongs to a transaction that may still
 * abort, and none below it to an open one) and the aborted transactions of a range. Thread-safe;
 * may block briefly the first time a partition is asked about (its state is loaded).
 */
public interface TransactionIndex {

    /** No transactions: every record below the high watermark is stable. */
    TransactionIndex NONE = new TransactionIndex() {
        @Override
        public long lastStableOffset(TopicInfo topic, int partition, PartitionLog log) {
            return log.highWatermark();
        }

        @Override
        public List<AbortedTransaction> abortedTransactions(TopicInfo topic, int partition, PartitionLog log,
                long fromOffset, long toOffset) {
            return List.of();
        }
    };

    /** The last stable offset: the first offset of the oldest open transaction, or the high watermark. */
    long lastStableOffset(TopicInfo topic, int partition, PartitionLog log);

    /**
     * The aborted transactions with records in {@code [fromOffset, toOffset)}, ordered by marker
     * offset.
     */
    List<AbortedTransaction> abortedTransactions(TopicInfo topic, int partition, PartitionLog log, long fromOffset,
            long toOffset);
}
