package io.memorystreamer.spi.storage;

/**
 * Per-partition log settings. Names follow Kafka's topic configuration keys.
 *
 * @param segmentBytes {@code segment.bytes}: roll the active segment once it reaches this size
 * @param segmentMs {@code segment.ms}: roll the active segment once its first batch is this old
 * @param retentionMs {@code retention.ms}: delete closed segments older than this; -1 keeps forever
 * @param retentionBytes {@code retention.bytes}: delete oldest closed segments while the log is
 *     larger than this; -1 means no size limit
 * @param flushIntervalMessages {@code flush.messages}: fsync after this many appended records;
 *     1 means every append is durable before it returns
 * @param flushIntervalMs {@code flush.ms}: fsync at least this often; {@link Long#MAX_VALUE} to
 *     leave flushing to the operating system
 * @param indexIntervalBytes {@code index.interval.bytes}: add a sparse index entry after at least
 *     this many bytes of batches
 * @param maxIndexBytes {@code segment.index.bytes}: the most bytes an offset or time index holds
 *     before the segment is rolled
 * @param cleanup how old records are removed: deleted by retention, compacted by key, or both
 *     ({@code cleanup.policy} and the compaction settings)
 */
public record LogConfig(
        int segmentBytes,
        long segmentMs,
        long retentionMs,
        long retentionBytes,
        long flushIntervalMessages,
        long flushIntervalMs,
        int indexIntervalBytes,
        int maxIndexBytes,
        Cleanup cleanup) {

    /** Kafka's defaults. */
    public static final LogConfig DEFAULT = new LogConfig(
            1024 * 1024 * 1024, 7L * 24 * 60 * 60 * 1000, 7L * 24 * 60 * 60 * 1000, -1,
            Long.MAX_VALUE, Long.MAX_VALUE, 4096, 10 * 1024 * 1024, Cleanup.DELETE);

    /**
     * A log cleaned by retention only ({@code cleanup.policy=delete}).
     *
     * @since 1.1
     */
    public LogConfig(int segmentBytes, long segmentMs, long retentionMs, long retentionBytes,
            long flushIntervalMessages, long flushIntervalMs, int indexIntervalBytes, int maxIndexBytes) {
        this(segmentBytes, segmentMs, retentionMs, retentionBytes, flushIntervalMessages, flushIntervalMs,
                indexIntervalBytes, maxIndexBytes, Cleanup.DELETE);
    }

    /**
     * The cleanup policy of a log and the settings of compaction. Names follow Kafka's topic
     * configuration keys.
     *
     * @param delete {@code cleanup.policy} contains {@code delete}: segments past retention are deleted
     * @param compact {@code cleanup.policy} contains {@code compact}: only the latest record per key
     *     is kept in closed segments
     * @param deleteRetentionMs {@code delete.retention.ms}: how long a tombstone (null value) is kept
     *     after compaction reached it
     * @param minCleanableDirtyRatio {@code min.cleanable.dirty.ratio}: compact once this share of the
     *     closed segments' bytes has not been compacted yet
     * @param minCompactionLagMs {@code min.compaction.lag.ms}: records younger than this stay
     *     uncompacted
     * @param maxCompactionLagMs {@code max.compaction.lag.ms}: records older than this are compacted
     *     whatever the dirty ratio
     * @since 1.1
     */
    public record Cleanup(
            boolean delete,
            boolean compact,
            long deleteRetentionMs,
            double minCleanableDirtyRatio,
            long minCompactionLagMs,
            long maxCompactionLagMs) {

        /** {@code cleanup.policy=delete}, Kafka's default. */
        public static final Cleanup DELETE = new Cleanup(true, false, 24L * 60 * 60 * 1000, 0.5, 0, Long.MAX_VALUE);

        public Cleanup {
            if (!delete && !compact) {
                throw new IllegalArgumentException("cleanup.policy must contain delete, compact or both");
            }
            if (deleteRetentionMs < 0) {
                throw new IllegalArgumentException("delete.retention.ms must be >= 0, was " + deleteRetentionMs);
            }
            if (minCleanableDirtyRatio < 0 || minCleanableDirtyRatio > 1) {
                throw new IllegalArgumentException("min.cleanable.dirty.ratio must be in [0, 1], was " + minCleanableDirtyRatio);
            }
            if (minCompactionLagMs < 0 || maxCompactionLagMs < 1) {
                throw new IllegalArgumentException("min.compaction.lag.ms must be >= 0 and max.compaction.lag.ms >= 1");
            }
        }
    }

    public LogConfig {
        if (segmentBytes < 14) {
            throw new IllegalArgumentException("segment.bytes must be >= 14, was " + segmentBytes);
        }
        if (segmentMs < 1) {
            throw new IllegalArgumentException("segment.ms must be >= 1, was " + segmentMs);
        }
        if (flushIntervalMessages < 1) {
            throw new IllegalArgumentException("flush.messages must be >= 1, was " + flushIntervalMessages);
        }
        if (flushIntervalMs < 0) {
            throw new IllegalArgumentException("flush.ms must be >= 0, was " + flushIntervalMs);
        }
        if (indexIntervalBytes < 0) {
            throw new IllegalArgumentException("index.interval.bytes must be >= 0, was " + indexIntervalBytes);
        }
        if (maxIndexBytes < 4096) {
            throw new IllegalArgumentException("segment.index.bytes must be >= 4096, was " + maxIndexBytes);
        }
        java.util.Objects.requireNonNull(cleanup, "cleanup");
    }

    /** Whether every append must be on stable storage before it returns. */
    public boolean flushEveryAppend() {
        return flushIntervalMessages == 1;
    }
}
