package io.memorystreamer.broker.internal.fetch;

import io.memorystreamer.spi.storage.LogChunk;
import io.memorystreamer.spi.storage.LogReadResult;
import io.memorystreamer.spi.storage.PartitionLog;
import io.memorystreamer.spi.storage.StorageException;
import io.memorystreamer.spi.storage.TimestampLookup;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.Optional;
import org.apache.kafka.common.record.internal.MemoryRecords;
import org.apache.kafka.common.record.internal.Record;
import org.apache.kafka.common.record.internal.RecordBatch;

/**
 * Finds offsets by record timestamp. The log's time index narrows the search to a batch; the
 * exact record is found by iterating that batch's records (decompressing it if needed).
 */
final class OffsetSearch {

    /**
     * An offset and the timestamp of its record.
     *
     * @param offset the offset, -1 if none
     * @param timestamp the record's timestamp, -1 if none or not applicable
     */
    record Found(long offset, long timestamp) {
        static final Found NONE = new Found(-1L, -1L);
    }

    /** Bytes read per step while looking for the record; at least one batch is always read. */
    private static final int READ_BYTES = 64 * 1024;

    private OffsetSearch() {
    }

    /** The first record below {@code maxOffset} with a timestamp at or after {@code target}. */
    static Found firstAtOrAfter(PartitionLog log, long target, long maxOffset) {
        Optional<TimestampLookup> lookup = log.lookupTimestamp(target);
        if (lookup.isEmpty()) {
            return Found.NONE;
        }
        long offset = Math.max(lookup.get().batchBaseOffset(), log.logStartOffset());
        while (offset < maxOffset) {
            LogReadResult result = log.read(offset, READ_BYTES, maxOffset, true);
            if (result.isEmpty()) {
                return Found.NONE;
            }
            long next = offset;
            for (LogChunk chunk : result.chunks()) {
                for (RecordBatch batch : batchesOf(chunk).batches()) {
                    next = batch.nextOffset();
                    if (batch.maxTimestamp() < target) {
                        continue;
                    }
                    for (Record record : batch) {
                        if (record.offset() >= offset && record.timestamp() >= target) {
                            return new Found(record.offset(), record.timestamp());
                        }
                    }
                }
            }
            if (next <= offset) {
                throw new StorageException(log.partition() + ": a read at offset " + offset + " did not advance");
            }
            offset = next;
        }
        return Found.NONE;
    }

    /**
     * The record with the largest timestamp below {@code maxOffset} (the earliest such record on a
     * tie). Walks every batch header of the log, then iterates the one winning batch.
     */
    static Found maxTimestamp(PartitionLog log, long maxOffset) {
        long[] best = {-1L, -1L}; // timestamp, batch base offset
        BatchHeaderWalker.walk(log, log.logStartOffset(), maxOffset, header -> {
            if (header.maxTimestamp() > best[0]) {
                best[0] = header.maxTimestamp();
                best[1] = header.baseOffset();
            }
        });
        if (best[1] < 0) {
            return Found.NONE;
        }
        LogReadResult result = log.read(best[1], 1, maxOffset, true);
        for (LogChunk chunk : result.chunks()) {
            for (RecordBatch batch : batchesOf(chunk).batches()) {
                for (Record record : batch) {
                    if (record.timestamp() == best[0]) {
                        return new Found(record.offset(), record.timestamp());
                    }
                }
            }
        }
        return Found.NONE;
    }

    private static MemoryRecords batchesOf(LogChunk chunk) {
        return switch (chunk) {
            case LogChunk.Bytes bytes -> MemoryRecords.readableRecords(bytes.buffer().duplicate());
            case LogChunk.FileRegion region -> MemoryRecords.readableRecords(readFully(region));
        };
    }

    private static ByteBuffer readFully(LogChunk.FileRegion region) {
        try {
            return region.readFully();
        } catch (IOException e) {
            throw new StorageException("cannot read batches: " + e.getMessage(), e);
        }
    }
}
