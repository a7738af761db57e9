package io.memorystreamer.storage.log.internal;

import io.memorystreamer.spi.storage.LogConfig;
import io.memorystreamer.spi.storage.PartitionId;
import io.memorystreamer.spi.storage.TestBatches;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.stream.Stream;

/**
 * Opens real segmented logs for tests, on a manual clock, with real background threads for the
 * rolled-segment flushes and the delayed deletions.
 */
final class TestLogs implements AutoCloseable {

    static final PartitionId PARTITION = new PartitionId("events", 0);
    static final long T0 = 1_700_000_000_000L;

    final ManualClock clock = new ManualClock(T0);
    final ScheduledThreadPoolExecutor scheduler = new ScheduledThreadPoolExecutor(1);
    final SegmentDeleter deleter;
    final LogContext context;
    private final List<SegmentedLog> opened = new ArrayList<>();

    TestLogs() {
        this(60_000);
    }

    TestLogs(long deleteDelayMs) {
        this.deleter = new SegmentDeleter(scheduler, deleteDelayMs);
        this.context = new LogContext(clock, scheduler, deleter);
    }

    SegmentedLog open(Path dir, LogConfig config) {
        SegmentedLog log = SegmentedLog.open(PARTITION, dir, config, context, closed -> { });
        opened.add(log);
        return log;
    }

    /** Settings with the given segment size and index interval, everything else Kafka's defaults. */
    static LogConfig config(int segmentBytes, int indexIntervalBytes) {
        LogConfig d = LogConfig.DEFAULT;
        return new LogConfig(segmentBytes, d.segmentMs(), -1, -1, d.flushIntervalMessages(), d.flushIntervalMs(),
                indexIntervalBytes, d.maxIndexBytes());
    }

    static LogConfig withRetention(LogConfig c, long retentionMs, long retentionBytes) {
        return new LogConfig(c.segmentBytes(), c.segmentMs(), retentionMs, retentionBytes, c.flushIntervalMessages(),
                c.flushIntervalMs(), c.indexIntervalBytes(), c.maxIndexBytes());
    }

    static LogConfig withFlush(LogConfig c, long messages, long intervalMs) {
        return new LogConfig(c.segmentBytes(), c.segmentMs(), c.retentionMs(), c.retentionBytes(), messages,
                intervalMs, c.indexIntervalBytes(), c.maxIndexBytes());
    }

    static LogConfig withSegmentMs(LogConfig c, long segmentMs) {
        return new LogConfig(c.segmentBytes(), segmentMs, c.retentionMs(), c.retentionBytes(), c.flushIntervalMessages(),
                c.flushIntervalMs(), c.indexIntervalBytes(), c.maxIndexBytes());
    }

    static LogConfig withMaxIndexBytes(LogConfig c, int maxIndexBytes) {
        return new LogConfig(c.segmentBytes(), c.segmentMs(), c.retentionMs(), c.retentionBytes(),
                c.flushIntervalMessages(), c.flushIntervalMs(), c.indexIntervalBytes(), maxIndexBytes);
    }

    /** Every batch of the log from {@code from}, read as one buffer. */
    static ByteBuffer readAll(SegmentedLog log, long from) {
        return TestBatches.bytesOf(log.read(from, Integer.MAX_VALUE, Long.MAX_VALUE, true));
    }

    /**
     * What a crash would leave of an open log whose appends reached the disk: a copy of its
     * directory taken while it is open (no clean-shutdown marker, preallocated active indexes).
     */
    static Path crashImage(SegmentedLog log, Path target) {
        log.flush();
        try {
            Files.createDirectories(target);
            try (Stream<Path> files = Files.list(log.directory())) {
                for (Path file : files.toList()) {
                    if (!file.getFileName().toString().endsWith(FileNames.DELETED)) {
                        Files.copy(file, target.resolve(file.getFileName()), StandardCopyOption.REPLACE_EXISTING);
                    }
                }
            }
            return target;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Names of the files in a directory, sorted. */
    static List<String> fileNames(Path dir) {
        try (Stream<Path> files = Files.list(dir)) {
            return files.map(file -> file.getFileName().toString()).sorted().toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public void close() {
        for (SegmentedLog log : opened) {
            log.close();
        }
        deleter.deletePendingNow();
        scheduler.shutdownNow();
    }
}
