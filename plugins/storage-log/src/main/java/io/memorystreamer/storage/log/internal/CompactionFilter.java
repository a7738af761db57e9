package io.memorystreamer.storage.log.internal;

import java.util.Map;
import java.util.OptionalLong;
import org.apache.kafka.common.record.internal.MemoryRecords;
import org.apache.kafka.common.record.internal.Record;
import org.apache.kafka.common.record.internal.RecordBatch;

/**
 * Decides, batch by batch and record by record, what a compaction pass keeps; applied through
 * {@link MemoryRecords#filterTo}, which rewrites a batch that lost records with its own codec,
 * producer fields, base offset and last offset (consumers see the gaps), and stamps the delete
 * horizon (KIP-534: the {@code DELETE_HORIZON} attribute and the base timestamp) on a batch that
 * keeps a tombstone or an orphaned transaction marker for the first time.
 *
 * <p>A record below the mapped end is kept when it is the latest of its key and either has a
 * value or is a tombstone whose batch's delete horizon has not passed. Records without a key are
 * dropped there, as Kafka does (a compacted topic refuses them on produce). Records at or after
 * the mapped end are kept as they are. Transactions follow {@link TransactionTracker}. The last
 * batch of an active producer is kept, emptied when none of its records stay. Not thread-safe.
 */
final class CompactionFilter extends MemoryRecords.RecordFilter {

    private final OffsetMap map;
    private final long mappedEnd;
    private final TransactionTracker transactions;
    private final Map<Long, Long> lastBatchOfProducer;
    private boolean discardBatchRecords;
    private boolean retainTombstones;

    /**
     * @param nowMs the pass's time, compared with delete horizons
     * @param deleteRetentionMs how long a tombstone or orphaned marker stays after it is first found
     * @param map latest offset per key of every record below {@code mappedEnd} not yet deduplicated
     */
    CompactionFilter(long nowMs, long deleteRetentionMs, OffsetMap map, long mappedEnd,
            TransactionTracker transactions, Map<Long, Long> lastBatchOfProducer) {
        super(nowMs, deleteRetentionMs);
        this.map = map;
        this.mappedEnd = mappedEnd;
        this.transactions = transactions;
        this.lastBatchOfProducer = lastBatchOfProducer;
    }

    @Override
    protected BatchRetentionResult checkBatchRetention(RecordBatch batch) {
        boolean canDiscard = batch.isControlBatch()
                ? transactions.onControlBatch(batch)
                : transactions.onDataBatch(batch);
        OptionalLong horizon = batch.deleteHorizonMs();
        retainTombstones = horizon.isEmpty() || currentTime < horizon.getAsLong();
        if (batch.isControlBatch()) {
            discardBatchRecords = canDiscard && !retainTombstones;
        } else {
            discardBatchRecords = canDiscard;
        }
        BatchRetention retention;
        if (batch.hasProducerId() && isLastBatchOfProducer(batch)) {
            retention = BatchRetention.RETAIN_EMPTY;
        } else if (discardBatchRecords) {
            retention = BatchRetention.DELETE;
        } else {
            retention = BatchRetention.DELETE_EMPTY;
        }
        return new BatchRetentionResult(retention, canDiscard && batch.isControlBatch());
    }

    @Override
    protected boolean shouldRetainRecord(RecordBatch batch, Record record) {
        if (discardBatchRecords) {
            return false;
        }
        if (batch.isControlBatch() || record.offset() >= mappedEnd) {
            return true;
        }
        if (!record.hasKey()) {
            return false;
        }
        boolean latestOfKey = record.offset() >= map.get(record.key());
        return latestOfKey && (record.hasValue() || retainTombstones);
    }

    private boolean isLastBatchOfProducer(RecordBatch batch) {
        Long last = lastBatchOfProducer.get(batch.producerId());
        return last != null && last == batch.lastOffset();
    }
}
