package io.memorystreamer.broker.internal.admin;

import io.memorystreamer.spi.storage.PartitionLog;
import java.nio.ByteBuffer;
import org.apache.kafka.common.compress.Compression;
import org.apache.kafka.common.record.TimestampType;
import org.apache.kafka.common.record.internal.MemoryRecords;
import org.apache.kafka.common.record.internal.MemoryRecordsBuilder;
import org.apache.kafka.common.record.internal.RecordBatch;

/** Appends record batches built with kafka-clients straight to a partition log, as the produce path would. */
final class LogAppends {

    private LogAppends() {
    }

    /** Appends one batch of {@code records} records of {@code valueBytes} bytes and commits it. */
    static void append(PartitionLog log, int records, int valueBytes) {
        MemoryRecordsBuilder builder = MemoryRecords.builder(ByteBuffer.allocate(1024 + records * (valueBytes + 32)),
                RecordBatch.CURRENT_MAGIC_VALUE, Compression.NONE, TimestampType.CREATE_TIME, 0L);
        for (int i = 0; i < records; i++) {
            builder.append(System.currentTimeMillis(), null, new byte[valueBytes]);
        }
        log.append(builder.build().buffer());
        log.updateHighWatermark(log.logEndOffset());
    }
}
