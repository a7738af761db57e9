package io.memorystreamer.broker.internal.fetch;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import org.apache.kafka.common.compress.Compression;
import org.apache.kafka.common.record.TimestampType;
import org.apache.kafka.common.record.internal.MemoryRecords;
import org.apache.kafka.common.record.internal.MemoryRecordsBuilder;
import org.apache.kafka.common.record.internal.RecordBatch;
import org.apache.kafka.common.utils.internals.Crc32C;

/** Record batches built with kafka-clients, as a producer sends them (base offset 0). */
public final class KafkaBatches {

    private KafkaBatches() {
    }

    /** A batch without producer id whose records have the given timestamps. */
    public static MemoryRecords withTimestamps(Compression compression, long... timestamps) {
        MemoryRecordsBuilder builder = builder(compression, RecordBatch.NO_PRODUCER_ID, RecordBatch.NO_PRODUCER_EPOCH,
                RecordBatch.NO_SEQUENCE, false);
        for (int i = 0; i < timestamps.length; i++) {
            builder.append(timestamps[i], null, ("record-" + i).getBytes(StandardCharsets.UTF_8));
        }
        return builder.build();
    }

    /** A batch without producer id. */
    public static MemoryRecords plain(Compression compression, long timestamp, String... values) {
        return idempotent(compression, RecordBatch.NO_PRODUCER_ID, RecordBatch.NO_PRODUCER_EPOCH, RecordBatch.NO_SEQUENCE,
                timestamp, values);
    }

    /** A batch of {@code count} records of {@code valueBytes} bytes each, uncompressed. */
    public static MemoryRecords sized(int count, int valueBytes) {
        MemoryRecordsBuilder builder = builder(Compression.NONE, RecordBatch.NO_PRODUCER_ID, RecordBatch.NO_PRODUCER_EPOCH,
                RecordBatch.NO_SEQUENCE, false);
        for (int i = 0; i < count; i++) {
            builder.append(1_000L + i, null, new byte[valueBytes]);
        }
        return builder.build();
    }

    /** An idempotent producer's batch. */
    public static MemoryRecords idempotent(long producerId, short epoch, int baseSequence, int records) {
        String[] values = new String[records];
        for (int i = 0; i < records; i++) {
            values[i] = "v" + (baseSequence + i);
        }
        return idempotent(Compression.NONE, producerId, epoch, baseSequence, 1_000L, values);
    }

    public static MemoryRecords idempotent(Compression compression, long producerId, short epoch, int baseSequence,
            long timestamp, String... values) {
        MemoryRecordsBuilder builder = builder(compression, producerId, epoch, baseSequence, false);
        for (String value : values) {
            builder.append(timestamp, null, value.getBytes(StandardCharsets.UTF_8));
        }
        return builder.build();
    }

    /** A transactional batch. */
    public static MemoryRecords transactional(long producerId, short epoch, int baseSequence) {
        MemoryRecordsBuilder builder = builder(Compression.NONE, producerId, epoch, baseSequence, true);
        builder.append(1_000L, null, "tx".getBytes(StandardCharsets.UTF_8));
        return builder.build();
    }

    /** A copy of the batch bytes, for tampering. */
    public static ByteBuffer copy(MemoryRecords records) {
        ByteBuffer source = records.buffer();
        ByteBuffer copy = ByteBuffer.allocate(source.remaining());
        copy.put(source).flip();
        return copy;
    }

    /** Recomputes the CRC-32C of a tampered batch so that only the tampered field is wrong. */
    public static void fixCrc(ByteBuffer batch) {
        int attributesOffset = 21;
        long crc = Crc32C.compute(batch, attributesOffset, batch.limit() - attributesOffset);
        batch.putInt(17, (int) crc);
    }

    private static MemoryRecordsBuilder builder(Compression compression, long producerId, short epoch, int sequence,
            boolean transactional) {
        return MemoryRecords.builder(ByteBuffer.allocate(256), RecordBatch.CURRENT_MAGIC_VALUE, compression,
                TimestampType.CREATE_TIME, 0L, RecordBatch.NO_TIMESTAMP, producerId, epoch, sequence, transactional,
                RecordBatch.NO_PARTITION_LEADER_EPOCH);
    }
}
