package io.memorystreamer.storage.log.internal;

import io.memorystreamer.spi.storage.LogConfig;
import java.io.IOException;
import java.util.List;

/**
 * Whether a compacted log needs cleaning, and over which offsets, as Kafka's cleaner manager
 * decides it. The dirty section runs from the first offset not yet deduplicated to the first
 * uncleanable offset: the base of the active segment, of the first segment reaching the high
 * watermark, or of the first segment holding a record younger than {@code min.compaction.lag.ms}
 * (so the bound is always a segment boundary). The log is cleanable when the dirty share of the
 * bytes below that bound reaches {@code min.cleanable.dirty.ratio}, when the oldest dirty record
 * is older than {@code max.compaction.lag.ms}, or when a retained tombstone or transaction
 * marker has passed its delete horizon.
 *
 * @param firstDirtyOffset records below it were deduplicated by earlier passes
 * @param firstUncleanableOffset records at or above it stay as they are
 * @param dirtyBytes bytes of the segments holding the dirty section
 * @param totalBytes bytes of the closed segments below the uncleanable offset
 * @param lagExceeded the oldest dirty record is older than {@code max.compaction.lag.ms}
 * @param horizonDue a retained tombstone or marker can now be removed
 */
record CleaningPlan(
        long firstDirtyOffset,
        long firstUncleanableOffset,
        long dirtyBytes,
        long totalBytes,
        boolean lagExceeded,
        boolean horizonDue) {

    static CleaningPlan of(CleaningSnapshot snapshot, long nowMs) throws IOException {
        List<LogSegment> closed = snapshot.closedSegments();
        LogConfig.Cleanup cleanup = snapshot.config().cleanup();
        long firstDirty = snapshot.firstDirtyOffset();
        long uncleanable = snapshot.activeBaseOffset();
        for (int i = 0; i < closed.size(); i++) {
            LogSegment segment = closed.get(i);
            long end = snapshot.endOf(i);
            boolean tooYoung = cleanup.minCompactionLagMs() > 0 && end > firstDirty
                    && segment.maxTimestamp() > nowMs - cleanup.minCompactionLagMs();
            if (end > snapshot.highWatermark() || tooYoung) {
                uncleanable = segment.baseOffset();
                break;
            }
        }
        long dirtyBytes = 0;
        long totalBytes = 0;
        LogSegment firstDirtySegment = null;
        for (int i = 0; i < closed.size() && closed.get(i).baseOffset() < uncleanable; i++) {
            LogSegment segment = closed.get(i);
            totalBytes += segment.size();
            if (snapshot.endOf(i) > firstDirty) {
                dirtyBytes += segment.size();
                if (firstDirtySegment == null) {
                    firstDirtySegment = segment;
                }
            }
        }
        boolean lagExceeded = dirtyBytes > 0 && cleanup.maxCompactionLagMs() < Long.MAX_VALUE
                && firstTimestamp(firstDirtySegment) < nowMs - cleanup.maxCompactionLagMs();
        boolean horizonDue = snapshot.deleteHorizonMs() >= 0 && snapshot.deleteHorizonMs() <= nowMs;
        return new CleaningPlan(firstDirty, uncleanable, dirtyBytes, totalBytes, lagExceeded, horizonDue);
    }

    /** The share of dirty bytes, 0 to 1. */
    double dirtyRatio() {
        return totalBytes == 0 ? 0 : (double) dirtyBytes / totalBytes;
    }

    /** Whether a pass is due under {@code cleanup}'s settings. */
    boolean isDue(LogConfig.Cleanup cleanup) {
        boolean dirtyEnough = dirtyBytes > 0 && (dirtyRatio() >= cleanup.minCleanableDirtyRatio() || lagExceeded);
        return dirtyEnough || (horizonDue && totalBytes > 0);
    }

    /** How urgent the pass is, for choosing among logs: overdue logs first, then the dirtiest. */
    double priority() {
        return (lagExceeded || horizonDue ? 1 : 0) + dirtyRatio();
    }

    /** The timestamp of the first batch of a segment (its max timestamp), or -1. */
    private static long firstTimestamp(LogSegment segment) throws IOException {
        BatchScanner scanner = new BatchScanner().on(segment.channel());
        return scanner.load(0, segment.size()) ? scanner.maxTimestamp() : BatchHeader.NO_TIMESTAMP;
    }
}
