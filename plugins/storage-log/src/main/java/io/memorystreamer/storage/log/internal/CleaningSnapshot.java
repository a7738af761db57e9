package io.memorystreamer.storage.log.internal;

import io.memorystreamer.spi.storage.LogConfig;
import java.util.List;

/**
 * A consistent view of a log taken under its lock when a compaction pass starts. Closed segments
 * never change afterwards except by truncation (detected through {@code truncations}) or removal
 * (retention, deletion of records), which the swap checks.
 *
 * @param closedSegments every segment but the active one, in offset order
 * @param activeBaseOffset the base offset of the active segment, which is never compacted
 * @param config the log's settings
 * @param logStartOffset the first offset of the log
 * @param highWatermark records at or above it are not compacted
 * @param firstDirtyOffset records below it were deduplicated by earlier passes
 * @param deleteHorizonMs when a retained tombstone or marker can next be removed, or -1
 * @param truncations the log's truncation count
 */
record CleaningSnapshot(
        List<LogSegment> closedSegments,
        long activeBaseOffset,
        LogConfig config,
        long logStartOffset,
        long highWatermark,
        long firstDirtyOffset,
        long deleteHorizonMs,
        long truncations) {

    CleaningSnapshot {
        closedSegments = List.copyOf(closedSegments);
    }

    /** The offset after segment {@code index}: the next segment's base offset. */
    long endOf(int index) {
        return index + 1 < closedSegments.size() ? closedSegments.get(index + 1).baseOffset() : activeBaseOffset;
    }
}
