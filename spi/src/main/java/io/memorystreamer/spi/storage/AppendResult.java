package io.memorystreamer.spi.storage;

/**
 * What an append wrote.
 *
 * @param firstOffset the offset assigned to the first record of the appended batches
 * @param lastOffset the offset of the last record appended
 * @param logAppendTimeMs the broker time of the append, in epoch milliseconds
 * @param logStartOffset the log start offset after the append
 */
public record AppendResult(long firstOffset, long lastOffset, long logAppendTimeMs, long logStartOffset) {
}
