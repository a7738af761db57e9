package io.memorystreamer.storage.log.internal;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.List;
import org.apache.kafka.common.record.internal.MemoryRecords;
import org.apache.kafka.common.record.internal.MutableRecordBatch;
import org.apache.kafka.common.record.internal.Record;
import org.apache.kafka.common.utils.internals.BufferSupplier;
import org.apache.kafka.common.utils.internals.CloseableIterator;

/**
 * Fills an {@link OffsetMap} with the latest offset of every key in the dirty section of a log,
 * reading (and decompressing) its records. Transaction markers and records of aborted
 * transactions are not mapped: a newer value that consumers never see must not hide an older one
 * they do. Stops before the first batch that would overfill the map.
 */
final class DirtySectionMapper {

    private final ChunkReader reader;
    private final BufferSupplier decompression;
    private final Runnable abortCheck;

    DirtySectionMapper(ChunkReader reader, BufferSupplier decompression, Runnable abortCheck) {
        this.reader = reader;
        this.decompression = decompression;
        this.abortCheck = abortCheck;
    }

    /**
     * Maps the batches holding offsets in {@code [from, to)}, where {@code to} is a segment boundary.
     *
     * @return the offset up to which every record is mapped: {@code to}, or the base offset of the
     *     first batch that did not fit
     */
    long map(CleaningSnapshot snapshot, long from, long to, OffsetMap map, TransactionTracker transactions)
            throws IOException {
        List<LogSegment> closed = snapshot.closedSegments();
        for (int i = 0; i < closed.size() && closed.get(i).baseOffset() < to; i++) {
            if (snapshot.endOf(i) <= from) {
                continue;
            }
            LogSegment segment = closed.get(i);
            long position = 0;
            int limit = segment.size();
            while (position < limit) {
                abortCheck.run();
                ByteBuffer chunk = reader.read(segment.channel(), position, limit);
                position += chunk.remaining();
                for (MutableRecordBatch batch : MemoryRecords.readableRecords(chunk).batches()) {
                    if (batch.lastOffset() < from) {
                        continue;
                    }
                    if (batch.isControlBatch()) {
                        transactions.onControlBatch(batch);
                        continue;
                    }
                    if (batch.lastOffset() - batch.baseOffset() + 1 > map.remaining()) {
                        return batch.baseOffset();
                    }
                    if (transactions.onDataBatch(batch)) {
                        continue;
                    }
                    try (CloseableIterator<Record> records = batch.streamingIterator(decompression)) {
                        while (records.hasNext()) {
                            Record record = records.next();
                            if (record.hasKey()) {
                                map.put(record.key(), record.offset());
                            }
                        }
                    }
                }
            }
        }
        return to;
    }
}
