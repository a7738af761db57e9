package io.memorystreamer.storage.log.internal;

import java.io.IOException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.kafka.common.record.internal.ControlRecordType;

/**
 * What a header scan of the closed segments learns before compaction: the aborted transactions
 * whose records are still in the log, the first offset of a transaction that has no marker yet
 * (compaction stops before it, so it never decides about an undecided transaction), and the last
 * batch of each producer (kept, emptied if need be, so that the producer's sequence and epoch
 * survive compaction, as Kafka keeps them). Only transaction markers are read beyond the header.
 *
 * @param abortedTransactions aborted transactions by first offset
 * @param firstUnstableOffset the first offset of a transaction still open at the end of the
 *     closed segments, or {@link Long#MAX_VALUE}
 * @param lastBatchOfProducer the last offset of each producer's last batch, for producers active
 *     within {@code producer.id.expiration.ms}
 */
record BatchHistory(
        List<AbortedTransaction> abortedTransactions,
        long firstUnstableOffset,
        Map<Long, Long> lastBatchOfProducer) {

    /** An aborted transaction: its producer, its first remaining offset and its marker's offset. */
    record AbortedTransaction(long producerId, long firstOffset, long markerOffset) {
    }

    /**
     * Scans {@code snapshot}'s closed segments.
     *
     * @param producersActiveSinceMs producers whose last batch is older are expired
     * @param abortCheck called between segments; throws to stop the scan
     */
    static BatchHistory scan(CleaningSnapshot snapshot, long producersActiveSinceMs, Runnable abortCheck)
            throws IOException {
        List<AbortedTransaction> aborted = new ArrayList<>();
        Map<Long, Long> openTransactions = new HashMap<>();
        Map<Long, long[]> lastBatches = new HashMap<>();
        BatchScanner scanner = new BatchScanner(64 * 1024);
        for (LogSegment segment : snapshot.closedSegments()) {
            abortCheck.run();
            scanner.on(segment.channel());
            int limit = segment.size();
            long pos = 0;
            while (scanner.load(pos, limit)) {
                long producerId = scanner.producerId();
                int size = (int) scanner.batchSize();
                if (producerId >= 0) {
                    lastBatches.put(producerId, new long[] {scanner.lastOffset(), scanner.maxTimestamp()});
                    if (scanner.isControl()) {
                        Long first = openTransactions.remove(producerId);
                        ControlRecordType type = ControlBatches.type(segment.channel(), pos, size);
                        if (first != null && type == ControlRecordType.ABORT) {
                            aborted.add(new AbortedTransaction(producerId, first, scanner.baseOffset()));
                        }
                    } else if (scanner.isTransactional()) {
                        openTransactions.putIfAbsent(producerId, scanner.baseOffset());
                    }
                }
                pos += size;
            }
        }
        aborted.sort(Comparator.comparingLong(AbortedTransaction::firstOffset));
        long firstUnstable = openTransactions.values().stream().mapToLong(Long::longValue).min().orElse(Long.MAX_VALUE);
        Map<Long, Long> lastBatchOfProducer = new HashMap<>();
        lastBatches.forEach((producerId, batch) -> {
            if (batch[1] >= producersActiveSinceMs) {
                lastBatchOfProducer.put(producerId, batch[0]);
            }
        });
        return new BatchHistory(List.copyOf(aborted), firstUnstable, Map.copyOf(lastBatchOfProducer));
    }
}
