package io.memorystreamer.bench;

import java.nio.ByteBuffer;
import java.util.Random;
import org.apache.kafka.common.compress.Compression;
import org.apache.kafka.common.record.TimestampType;
import org.apache.kafka.common.record.internal.MemoryRecords;
import org.apache.kafka.common.record.internal.MemoryRecordsBuilder;
import org.apache.kafka.common.record.internal.RecordBatch;

/** Record batches shaped like the load tool's: 1 KiB values, filled to about the producer's 16 KiB batch.size. */
final class Batches {

    static final int RECORD_BYTES = 1024;
    static final int BATCH_BYTES = 16 * 1024;

    private Batches() {
    }

    /**
     * One v2 batch at base offset 0 holding as many 1 KiB records as fit in 16 KiB uncompressed.
     * Values are random text-like bytes, so lz4 compresses them about as much as typical payloads.
     */
    static ByteBuffer batch(Compression compression, long seed) {
        Random random = new Random(seed);
        byte[] value = new byte[RECORD_BYTES];
        int records = BATCH_BYTES / (RECORD_BYTES + 16);
        MemoryRecordsBuilder builder = MemoryRecords.builder(ByteBuffer.allocate(BATCH_BYTES + 1024),
                RecordBatch.CURRENT_MAGIC_VALUE, compression, TimestampType.CREATE_TIME, 0L);
        long now = System.currentTimeMillis();
        for (int i = 0; i < records; i++) {
            for (int b = 0; b < value.length; b++) {
                value[b] = (byte) ('a' + random.nextInt(16));
            }
            builder.append(now, null, value);
        }
        ByteBuffer bytes = builder.build().buffer();
        ByteBuffer copy = ByteBuffer.allocate(bytes.remaining());
        copy.put(bytes).flip();
        return copy;
    }
}
