package io.memorystreamer.storage.log.internal;

import io.memorystreamer.spi.storage.LogChunk;
import io.memorystreamer.spi.storage.TimestampLookup;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.NavigableMap;

/**
 * Reads over segments: find the batch holding an offset (index lookup, then a header scan),
 * cut whole-batch file regions, and search by timestamp. Runs on any thread, concurrently with
 * the writer: every scan is bounded by a segment's published size and the log end offset the
 * caller read first, so only whole batches are ever returned.
 */
final class SegmentReads {

    private SegmentReads() {
    }

    /** A run of whole batches in one segment; {@code limitReached} stops the read there. */
    record Slice(long position, int size, boolean limitReached) {
    }

    /**
     * File regions of whole batches from the one holding {@code fetchOffset}, each batch ending
     * below {@code endOffset}, together within {@code maxBytes} except for a first batch allowed
     * by {@code minOneBatch}. Continues across segments.
     *
     * @return the chunks, or null when no segment holds {@code fetchOffset} any more
     */
    static List<LogChunk> read(NavigableMap<Long, LogSegment> segments, long fetchOffset, long endOffset,
            int maxBytes, boolean minOneBatch) throws IOException {
        List<LogChunk> chunks = new ArrayList<>(1);
        if (fetchOffset >= endOffset) {
            return chunks;
        }
        Map.Entry<Long, LogSegment> entry = segments.floorEntry(fetchOffset);
        if (entry == null) {
            return null;
        }
        BatchScanner scanner = new BatchScanner();
        long target = fetchOffset;
        int remaining = Math.max(0, maxBytes);
        while (entry != null) {
            LogSegment segment = entry.getValue();
            Slice slice = slice(segment, target, endOffset, remaining, minOneBatch && chunks.isEmpty(), scanner);
            if (slice.size() > 0) {
                chunks.add(new LogChunk.FileRegion(segment.channel(), slice.position(), slice.size()));
                remaining = Math.max(0, remaining - slice.size());
            }
            if (slice.limitReached()) {
                break;
            }
            entry = segments.higherEntry(entry.getKey());
            if (entry != null) {
                target = Math.max(target, entry.getKey());
            }
        }
        return chunks;
    }

    /**
     * The first batch at or after {@code startOffset} and below {@code endOffset} whose max
     * timestamp is at or after {@code timestamp}, or null.
     */
    static TimestampLookup lookupTimestamp(NavigableMap<Long, LogSegment> segments, long timestamp,
            long startOffset, long endOffset) throws IOException {
        BatchScanner scanner = new BatchScanner();
        for (LogSegment segment : segments.values()) {
            if (segment.maxTimestamp() < timestamp) {
                continue;
            }
            TimestampLookup found = findTimestamp(segment, timestamp, startOffset, endOffset, scanner);
            if (found != null) {
                return found;
            }
        }
        return null;
    }

    /**
     * The position of the batch holding {@code offset} (its last offset is at or after it), found
     * through the index and a header scan below {@code limit}; -1 if no such batch is readable.
     * On success the scanner holds that batch's header.
     */
    static long locate(LogSegment segment, long offset, int limit, BatchScanner scanner) throws IOException {
        scanner.on(segment.channel());
        long pos = segment.offsetIndex().floorPosition(offset);
        if (pos >= limit) {
            pos = 0;
        }
        while (scanner.load(pos, limit)) {
            if (scanner.lastOffset() >= offset) {
                return pos;
            }
            pos += scanner.batchSize();
        }
        return -1;
    }

    /**
     * Whole batches of one segment from the one holding {@code offset}: each must end below
     * {@code endOffset} and all must fit {@code maxBytes}, except that {@code minOneBatch} lets
     * the first one exceed it.
     */
    static Slice slice(LogSegment segment, long offset, long endOffset, int maxBytes, boolean minOneBatch,
            BatchScanner scanner) throws IOException {
        int limit = segment.size();
        long start = locate(segment, offset, limit, scanner);
        if (start < 0) {
            return new Slice(0, 0, false);
        }
        long pos = start;
        // The index vouches for whole batches below the limits: only the few after its last
        // boundary need their headers read.
        long indexed = segment.offsetIndex().floorBoundary(endOffset, Math.min(limit, start + (long) maxBytes));
        if (indexed > start) {
            pos = indexed;
        }
        boolean limitReached = false;
        while (scanner.load(pos, limit)) {
            if (scanner.lastOffset() >= endOffset) {
                limitReached = true;
                break;
            }
            long batchSize = scanner.batchSize();
            if (pos - start + batchSize > maxBytes) {
                if (pos == start && minOneBatch) {
                    pos += batchSize;
                }
                limitReached = true;
                break;
            }
            pos += batchSize;
        }
        return new Slice(start, (int) (pos - start), limitReached);
    }

    /**
     * The time index says which batches are all older than {@code timestamp}; the scan starts
     * after them and returns the first batch reaching the timestamp.
     */
    private static TimestampLookup findTimestamp(LogSegment segment, long timestamp, long minOffset,
            long endOffset, BatchScanner scanner) throws IOException {
        int limit = segment.size();
        scanner.on(segment.channel());
        long olderUpTo = segment.timeIndex().offsetBefore(timestamp);
        long from = Math.max(minOffset, olderUpTo >= 0 ? olderUpTo + 1 : segment.baseOffset());
        long pos = segment.offsetIndex().floorPosition(from);
        if (pos >= limit) {
            pos = 0;
        }
        while (scanner.load(pos, limit)) {
            if (scanner.lastOffset() >= endOffset) {
                return null;
            }
            if (scanner.lastOffset() >= from && scanner.maxTimestamp() >= timestamp) {
                return new TimestampLookup(scanner.baseOffset(), scanner.maxTimestamp());
            }
            pos += scanner.batchSize();
        }
        return null;
    }
}
