package io.memorystreamer.spi.storage;

/**
 * The first batch whose largest timestamp is at or after a target timestamp. The exact record is
 * inside this batch; callers that need it iterate the batch's records.
 *
 * @param batchBaseOffset base offset of the batch
 * @param batchMaxTimestamp the batch's largest record timestamp
 */
public record TimestampLookup(long batchBaseOffset, long batchMaxTimestamp) {
}
