package io.memorystreamer.storage.log.internal;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Broker-wide storage settings read from the server configuration (Kafka key names). Per-log
 * settings are not here: they come with each {@code open} as a {@code LogConfig}.
 *
 * @param logDirs where partition directories live ({@code log.dirs}, else {@code log.dir})
 * @param retentionCheckIntervalMs how often retention runs ({@code log.retention.check.interval.ms})
 * @param segmentDeleteDelayMs how long the files of a deleted segment or partition stay open
 *     ({@code log.segment.delete.delay.ms})
 * @param flushCheckIntervalMs how often time-based flushing is checked ({@code log.flush.scheduler.interval.ms})
 * @param checkpointIntervalMs how often changed high watermarks are persisted
 *     ({@code replica.high.watermark.checkpoint.interval.ms})
 * @param cleaner the settings of the log cleaner ({@code log.cleaner.*})
 */
public record StorageSettings(
        List<Path> logDirs,
        long retentionCheckIntervalMs,
        long segmentDeleteDelayMs,
        long flushCheckIntervalMs,
        long checkpointIntervalMs,
        CleanerSettings cleaner) {

    public static final String LOG_DIRS = "log.dirs";
    public static final String LOG_DIR = "log.dir";
    public static final String RETENTION_CHECK_INTERVAL_MS = "log.retention.check.interval.ms";
    public static final String SEGMENT_DELETE_DELAY_MS = "log.segment.delete.delay.ms";
    public static final String FLUSH_SCHEDULER_INTERVAL_MS = "log.flush.scheduler.interval.ms";
    public static final String CHECKPOINT_INTERVAL_MS = "replica.high.watermark.checkpoint.interval.ms";

    public StorageSettings {
        logDirs = List.copyOf(logDirs);
        if (logDirs.isEmpty()) {
            throw new IllegalArgumentException(LOG_DIRS + " names no directory");
        }
        java.util.Objects.requireNonNull(cleaner, "cleaner");
    }

    /** Reads the settings from a configuration whose values are strings, filling in defaults. */
    public static StorageSettings from(Map<String, ?> properties) {
        String dirs = text(properties, LOG_DIRS);
        if (dirs == null) {
            dirs = text(properties, LOG_DIR);
        }
        if (dirs == null) {
            throw new IllegalArgumentException(LOG_DIRS + " (or " + LOG_DIR + ") is not set");
        }
        List<Path> paths = new ArrayList<>();
        for (String dir : dirs.split(",")) {
            if (!dir.isBlank()) {
                paths.add(Path.of(dir.trim()).toAbsolutePath().normalize());
            }
        }
        return new StorageSettings(
                List.copyOf(new java.util.LinkedHashSet<>(paths)),
                positive(properties, RETENTION_CHECK_INTERVAL_MS, 300_000L),
                atLeastZero(properties, SEGMENT_DELETE_DELAY_MS, 60_000L),
                positive(properties, FLUSH_SCHEDULER_INTERVAL_MS, 1_000L),
                positive(properties, CHECKPOINT_INTERVAL_MS, 5_000L),
                CleanerSettings.from(properties));
    }

    private static long positive(Map<String, ?> properties, String key, long defaultValue) {
        // 0 would make a scheduler spin: treat it as "as often as practical".
        return Math.max(1, atLeastZero(properties, key, defaultValue));
    }

    private static long atLeastZero(Map<String, ?> properties, String key, long defaultValue) {
        String value = text(properties, key);
        if (value == null) {
            return defaultValue;
        }
        try {
            long parsed = Long.parseLong(value);
            if (parsed < 0) {
                throw new IllegalArgumentException(key + " must be >= 0, was " + value);
            }
            return parsed;
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(key + " must be a whole number, was '" + value + "'", e);
        }
    }

    static String text(Map<String, ?> properties, String key) {
        Object value = properties.get(key);
        if (value == null) {
            return null;
        }
        String text = String.valueOf(value).trim();
        return text.isEmpty() ? null : text;
    }
}
