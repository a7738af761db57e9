package io.memorystreamer.storage.log.internal;

import io.memorystreamer.spi.storage.LogConfig;
import io.memorystreamer.spi.storage.PartitionId;
import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentSkipListMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Opens the segments of a partition directory. After a clean shutdown the indexes are trusted;
 * otherwise every segment from the one holding the recovery point on is verified batch by batch
 * and cut at the first torn or invalid batch, and later segments are dropped.
 */
final class LogLoader {

    private static final Logger LOG = LoggerFactory.getLogger(LogLoader.class);

    /** A loaded log: segments by base offset (the last one open for appends) and its offsets. */
    record Loaded(ConcurrentSkipListMap<Long, LogSegment> segments, long logStartOffset, long highWatermark,
            long recoveryPoint, long cleanerOffset, long cleanerDeleteHorizonMs) {

        long logEndOffset() {
            return segments.lastEntry().getValue().nextOffset();
        }
    }

    private LogLoader() {
    }

    static Loaded load(PartitionId partition, Path dir, LogConfig config, long nowMs) throws IOException {
        if (!Files.isDirectory(dir)) {
            Files.createDirectories(dir);
            Directories.force(dir.getParent());
        }
        TreeSet<Long> baseOffsets = listSegmentsAndCleanUp(partition, dir);
        boolean clean = CleanShutdownMarker.exists(dir);
        Optional<PartitionCheckpoint> checkpoint = readCheckpoint(partition, dir);
        long checkpointStart = checkpoint.map(PartitionCheckpoint::logStartOffset).orElse(0L);
        long recoveryPoint = clean ? Long.MAX_VALUE : checkpoint.map(PartitionCheckpoint::recoveryPoint).orElse(0L);
        Long recoverFrom = baseOffsets.floor(recoveryPoint);
        if (recoverFrom == null) {
            recoverFrom = baseOffsets.isEmpty() ? 0L : baseOffsets.first();
        }

        ConcurrentSkipListMap<Long, LogSegment> segments = new ConcurrentSkipListMap<>();
        try {
            List<Long> ordered = new ArrayList<>(baseOffsets);
            for (int i = 0; i < ordered.size(); i++) {
                long base = ordered.get(i);
                boolean last = i == ordered.size() - 1;
                LogSegment segment = LogSegment.openExisting(dir, base);
                segments.put(base, segment);
                boolean trusted = (clean || base < recoverFrom) && segment.loadIndexes(nowMs);
                if (!trusted) {
                    LogSegment.ScanOutcome outcome = segment.recover(config, nowMs);
                    if (outcome.droppedBytes() > 0) {
                        List<Long> dropped = ordered.subList(i + 1, ordered.size());
                        LOG.warn("Truncated partition log at its first invalid batch: partition={} segment={} "
                                        + "validBytes={} droppedBytes={} nextOffset={} droppedSegments={} reason={}",
                                partition, FileNames.baseName(base), outcome.validBytes(), outcome.droppedBytes(),
                                outcome.nextOffset(), dropped.size(), outcome.problem());
                        deleteSegmentFiles(dir, dropped);
                        last = true;
                    }
                }
                if (last) {
                    segment.openForAppends(config);
                    break;
                }
                segment.seal();
            }
            if (segments.isEmpty()) {
                long base = Math.max(0, checkpointStart);
                segments.put(base, LogSegment.create(dir, base, config));
            }
        } catch (IOException | RuntimeException e) {
            closeQuietly(segments);
            throw e;
        }

        long logEnd = segments.lastEntry().getValue().nextOffset();
        long logStart = Math.min(Math.max(checkpointStart, segments.firstKey()), logEnd);
        long highWatermark = clamp(checkpoint.map(PartitionCheckpoint::highWatermark).orElse(logStart),
                logStart, logEnd);
        long flushed = clean ? logEnd : Math.min(recoveryPoint, logEnd);
        CleanShutdownMarker.remove(dir);
        long cleanerOffset = Math.min(checkpoint.map(PartitionCheckpoint::cleanerOffset).orElse(-1L), logEnd);
        long horizon = checkpoint.map(PartitionCheckpoint::cleanerDeleteHorizonMs).orElse(-1L);
        return new Loaded(segments, logStart, highWatermark, Math.max(flushed, logStart), cleanerOffset, horizon);
    }

    private static Optional<PartitionCheckpoint> readCheckpoint(PartitionId partition, Path dir) {
        try {
            return PartitionCheckpoint.read(dir);
        } catch (IOException e) {
            // Without it every segment is verified and the offsets come from the segments.
            LOG.warn("Ignoring unreadable log checkpoint, recovering the whole log: partition={} error={}",
                    partition, e.getMessage());
            return Optional.empty();
        }
    }

    /**
     * Base offsets of the segment files; removes leftovers of interrupted deletions, writes and
     * compactions, and completes interrupted compaction swaps.
     */
    private static TreeSet<Long> listSegmentsAndCleanUp(PartitionId partition, Path dir) throws IOException {
        TreeSet<Long> logs = new TreeSet<>();
        TreeSet<Long> swaps = new TreeSet<>();
        List<Path> indexes = new ArrayList<>();
        try (DirectoryStream<Path> files = Files.newDirectoryStream(dir)) {
            for (Path file : files) {
                String name = file.getFileName().toString();
                if (FileNames.baseOffsetOf(name, FileNames.LOG + FileNames.SWAP) >= 0) {
                    swaps.add(FileNames.baseOffsetOf(name, FileNames.LOG + FileNames.SWAP));
                } else if (name.endsWith(FileNames.DELETED) || name.endsWith(FileNames.TEMPORARY)
                        || name.endsWith(FileNames.CLEANED) || name.endsWith(FileNames.SWAP)) {
                    Files.deleteIfExists(file);
                } else if (FileNames.baseOffsetOf(name, FileNames.LOG) >= 0) {
                    logs.add(FileNames.baseOffsetOf(name, FileNames.LOG));
                } else if (name.endsWith(FileNames.INDEX) || name.endsWith(FileNames.TIME_INDEX)) {
                    indexes.add(file);
                }
            }
        }
        SwapRecovery.complete(partition.toString(), dir, logs, swaps);
        for (Path index : indexes) {
            String name = index.getFileName().toString();
            long base = Math.max(FileNames.baseOffsetOf(name, FileNames.INDEX),
                    FileNames.baseOffsetOf(name, FileNames.TIME_INDEX));
            if (base < 0 || !logs.contains(base)) {
                Files.deleteIfExists(index);
            }
        }
        return logs;
    }

    private static void deleteSegmentFiles(Path dir, List<Long> baseOffsets) throws IOException {
        for (long base : baseOffsets) {
            Files.deleteIfExists(FileNames.logFile(dir, base));
            Files.deleteIfExists(FileNames.indexFile(dir, base));
            Files.deleteIfExists(FileNames.timeIndexFile(dir, base));
        }
    }

    private static void closeQuietly(Map<Long, LogSegment> segments) {
        for (LogSegment segment : segments.values()) {
            try {
                segment.close();
            } catch (IOException suppressed) {
                // Already failing; the original error is what matters.
            }
        }
    }

    private static long clamp(long value, long min, long max) {
        return Math.max(min, Math.min(max, value));
    }
}
