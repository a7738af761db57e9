package io.memorystreamer.storage.log.internal;

import java.util.Map;

/**
 * Broker-wide settings of the log cleaner, which compacts logs whose {@code cleanup.policy}
 * contains {@code compact}. Kafka's key names and defaults.
 *
 * @param enabled whether the cleaner runs ({@code log.cleaner.enable})
 * @param threads how many logs are compacted at once ({@code log.cleaner.threads})
 * @param backoffMs how long an idle cleaner thread waits before looking again
 *     ({@code log.cleaner.backoff.ms})
 * @param dedupeBufferBytes memory for the key-to-offset maps, shared by all threads
 *     ({@code log.cleaner.dedupe.buffer.size})
 * @param ioBufferBytes memory for reading and writing segments, shared by all threads
 *     ({@code log.cleaner.io.buffer.size})
 * @param loadFactor how full a key-to-offset map may get ({@code log.cleaner.io.buffer.load.factor})
 * @param producerIdExpirationMs how long an idle producer's last batch is kept, emptied, so that its
 *     sequence state survives compaction ({@code producer.id.expiration.ms})
 */
public record CleanerSettings(
        boolean enabled,
        int threads,
        long backoffMs,
        long dedupeBufferBytes,
        int ioBufferBytes,
        double loadFactor,
        long producerIdExpirationMs) {

    public static final String ENABLE = "log.cleaner.enable";
    public static final String THREADS = "log.cleaner.threads";
    public static final String BACKOFF_MS = "log.cleaner.backoff.ms";
    public static final String DEDUPE_BUFFER_SIZE = "log.cleaner.dedupe.buffer.size";
    public static final String IO_BUFFER_SIZE = "log.cleaner.io.buffer.size";
    public static final String IO_BUFFER_LOAD_FACTOR = "log.cleaner.io.buffer.load.factor";
    public static final String PRODUCER_ID_EXPIRATION_MS = "producer.id.expiration.ms";

    /** Kafka's defaults. */
    public static final CleanerSettings DEFAULT =
            new CleanerSettings(true, 1, 15_000, 128L * 1024 * 1024, 512 * 1024, 0.9, 86_400_000L);

    public CleanerSettings {
        if (threads < 1) {
            throw new IllegalArgumentException(THREADS + " must be >= 1, was " + threads);
        }
        if (backoffMs < 1) {
            throw new IllegalArgumentException(BACKOFF_MS + " must be >= 1, was " + backoffMs);
        }
        if (dedupeBufferBytes < 1024) {
            throw new IllegalArgumentException(DEDUPE_BUFFER_SIZE + " must be >= 1024, was " + dedupeBufferBytes);
        }
        if (ioBufferBytes < 1024) {
            throw new IllegalArgumentException(IO_BUFFER_SIZE + " must be >= 1024, was " + ioBufferBytes);
        }
        if (!(loadFactor > 0 && loadFactor <= 1)) {
            throw new IllegalArgumentException(IO_BUFFER_LOAD_FACTOR + " must be in (0, 1], was " + loadFactor);
        }
        if (producerIdExpirationMs < 1) {
            throw new IllegalArgumentException(PRODUCER_ID_EXPIRATION_MS + " must be >= 1, was "
                    + producerIdExpirationMs);
        }
    }

    /** Reads the settings from a configuration whose values are strings, filling in defaults. */
    public static CleanerSettings from(Map<String, ?> properties) {
        CleanerSettings d = DEFAULT;
        return new CleanerSettings(
                bool(properties, ENABLE, d.enabled()),
                (int) number(properties, THREADS, d.threads(), Integer.MAX_VALUE),
                number(properties, BACKOFF_MS, d.backoffMs(), Long.MAX_VALUE),
                number(properties, DEDUPE_BUFFER_SIZE, d.dedupeBufferBytes(), Long.MAX_VALUE),
                (int) number(properties, IO_BUFFER_SIZE, d.ioBufferBytes(), Integer.MAX_VALUE),
                fraction(properties, IO_BUFFER_LOAD_FACTOR, d.loadFactor()),
                number(properties, PRODUCER_ID_EXPIRATION_MS, d.producerIdExpirationMs(), Long.MAX_VALUE));
    }

    /** The key-to-offset map budget of one thread, in bytes. */
    long dedupeBytesPerThread() {
        return dedupeBufferBytes / threads;
    }

    /** The read (and write) buffer size of one thread, in bytes: half of its share of the I/O buffer. */
    int ioBytesPerThread() {
        return Math.max(1024, ioBufferBytes / threads / 2);
    }

    private static boolean bool(Map<String, ?> properties, String key, boolean defaultValue) {
        String value = StorageSettings.text(properties, key);
        if (value == null) {
            return defaultValue;
        }
        if (!value.equalsIgnoreCase("true") && !value.equalsIgnoreCase("false")) {
            throw new IllegalArgumentException(key + " must be true or false, was '" + value + "'");
        }
        return Boolean.parseBoolean(value);
    }

    private static long number(Map<String, ?> properties, String key, long defaultValue, long max) {
        String value = StorageSettings.text(properties, key);
        if (value == null) {
            return defaultValue;
        }
        try {
            long parsed = Long.parseLong(value);
            if (parsed > max) {
                throw new IllegalArgumentException(key + " must be at most " + max + ", was " + value);
            }
            return parsed;
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(key + " must be a whole number, was '" + value + "'", e);
        }
    }

    private static double fraction(Map<String, ?> properties, String key, double defaultValue) {
        String value = StorageSettings.text(properties, key);
        if (value == null) {
            return defaultValue;
        }
        try {
            return Double.parseDouble(value);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(key + " must be a number, was '" + value + "'", e);
        }
    }
}
