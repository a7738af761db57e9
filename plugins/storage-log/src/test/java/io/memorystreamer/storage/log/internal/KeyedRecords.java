package io.memorystreamer.storage.log.internal;

import static java.nio.charset.StandardCharsets.UTF_8;

import io.memorystreamer.spi.storage.LogConfig;
import io.memorystreamer.spi.storage.TestBatches;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.kafka.common.compress.Compression;
import org.apache.kafka.common.record.internal.CompressionType;
import org.apache.kafka.common.record.internal.ControlRecordType;
import org.apache.kafka.common.record.internal.EndTransactionMarker;
import org.apache.kafka.common.record.internal.MemoryRecords;
import org.apache.kafka.common.record.internal.MutableRecordBatch;
import org.apache.kafka.common.record.internal.Record;
import org.apache.kafka.common.record.internal.SimpleRecord;

/** Keyed batches built with kafka-clients, and what a log holds read back record by record. */
final class KeyedRecords {

    /** A record read back, with the batch that holds it. */
    record Read(long offset, String key, String value, long timestamp, BatchInfo batch) {
    }

    /** The header facts of a batch read back. */
    record BatchInfo(long baseOffset, long lastOffset, int records, boolean control, boolean transactional,
            long producerId, CompressionType compression, boolean hasDeleteHorizon) {
    }

    private KeyedRecords() {
    }

    /** A compacted log's settings: the given segment size, index entries every 100 bytes. */
    static LogConfig compacted(int segmentBytes, LogConfig.Cleanup cleanup) {
        LogConfig base = TestLogs.config(segmentBytes, 100);
        return new LogConfig(base.segmentBytes(), base.segmentMs(), base.retentionMs(), base.retentionBytes(),
                base.flushIntervalMessages(), base.flushIntervalMs(), base.indexIntervalBytes(), base.maxIndexBytes(),
                cleanup);
    }

    /** {@code cleanup.policy=compact} with the given delete retention and lags, dirty ratio 0.5. */
    static LogConfig.Cleanup compact(long deleteRetentionMs, long minLagMs, long maxLagMs) {
        return new LogConfig.Cleanup(false, true, deleteRetentionMs, 0.5, minLagMs, maxLagMs);
    }

    /** One uncompressed batch of key/value pairs ({@code null} value: a tombstone). */
    static ByteBuffer batch(long timestamp, String... keysAndValues) {
        return batch(Compression.NONE, timestamp, keysAndValues);
    }

    static ByteBuffer batch(Compression compression, long timestamp, String... keysAndValues) {
        return MemoryRecords.withRecords(compression, records(timestamp, keysAndValues)).buffer();
    }

    /** A batch of an idempotent producer. */
    static ByteBuffer idempotent(long producerId, int sequence, long timestamp, String... keysAndValues) {
        return MemoryRecords.withIdempotentRecords(Compression.NONE, producerId, (short) 0, sequence,
                records(timestamp, keysAndValues)).buffer();
    }

    /** A batch of a transaction. */
    static ByteBuffer transactional(long producerId, int sequence, long timestamp, String... keysAndValues) {
        return MemoryRecords.withTransactionalRecords(Compression.NONE, producerId, (short) 0, sequence,
                records(timestamp, keysAndValues)).buffer();
    }

    /** A COMMIT or ABORT marker. */
    static ByteBuffer marker(long producerId, ControlRecordType type, long timestamp) {
        return MemoryRecords.withEndTransactionMarker(0, timestamp, -1, producerId, (short) 0,
                new EndTransactionMarker(type, 0)).buffer();
    }

    private static SimpleRecord[] records(long timestamp, String... keysAndValues) {
        SimpleRecord[] records = new SimpleRecord[keysAndValues.length / 2];
        for (int i = 0; i < records.length; i++) {
            String key = keysAndValues[2 * i];
            String value = keysAndValues[2 * i + 1];
            records[i] = new SimpleRecord(timestamp, key == null ? null : key.getBytes(UTF_8),
                    value == null ? null : value.getBytes(UTF_8));
        }
        return records;
    }

    /** Every data record of the log from its start, in offset order. */
    static List<Read> readAll(SegmentedLog log) {
        List<Read> all = new ArrayList<>();
        batches(log, all);
        return all;
    }

    /** Every batch of the log from its start; data records go to {@code records} when not null. */
    static List<BatchInfo> batches(SegmentedLog log, List<Read> records) {
        ByteBuffer bytes = TestBatches.bytesOf(log.read(log.logStartOffset(), Integer.MAX_VALUE, Long.MAX_VALUE, true));
        List<BatchInfo> batches = new ArrayList<>();
        for (MutableRecordBatch batch : MemoryRecords.readableRecords(bytes).batches()) {
            batch.ensureValid();
            List<Record> inBatch = new ArrayList<>();
            batch.forEach(inBatch::add);
            BatchInfo info = new BatchInfo(batch.baseOffset(), batch.lastOffset(), inBatch.size(), batch.isControlBatch(),
                    batch.isTransactional(), batch.producerId(), batch.compressionType(),
                    batch.deleteHorizonMs().isPresent());
            batches.add(info);
            if (records != null && !batch.isControlBatch()) {
                for (Record record : inBatch) {
                    records.add(new Read(record.offset(), text(record.key()), text(record.value()), record.timestamp(),
                            info));
                }
            }
        }
        return batches;
    }

    /** The last value read for each key (null for a tombstone), in first-seen order. */
    static Map<String, String> latest(List<Read> records) {
        Map<String, String> latest = new LinkedHashMap<>();
        for (Read read : records) {
            latest.put(read.key(), read.value());
        }
        return latest;
    }

    private static String text(ByteBuffer bytes) {
        if (bytes == null) {
            return null;
        }
        byte[] array = new byte[bytes.remaining()];
        bytes.duplicate().get(array);
        return new String(array, UTF_8);
    }
}
