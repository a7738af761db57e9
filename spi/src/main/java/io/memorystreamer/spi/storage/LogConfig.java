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
 */
public record LogConfig(
        int segmentBytes,
        long segmentMs,
        long retentionMs,
        long retentionBytes,
        long flushIntervalMessages,
        long flushIntervalMs,
        int indexIntervalBytes,
        int maxIndexBytes) {

    /** Kafka's defaults. */
    public static final LogConfig DEFAULT = new LogConfig(
            1024 * 1024 * 1024, 7L * 24 * 60 * 60 * 1000, 7L * 24 * 60 * 60 * 1000, -1,
            Long.MAX_VALUE, Long.MAX_VALUE, 4096, 10 * 1024 * 1024);

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
    }

    /** Whether every append must be on stable storage before it returns. */
    public boolean flushEveryAppend() {
        return flushIntervalMessages == 1;
    }
}
