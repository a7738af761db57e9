package io.memorystreamer.broker.internal.produce;

/**
 * What the broker remembers of one appended batch of an idempotent producer, enough to recognise
 * a retry of it and answer with the offsets it got the first time.
 *
 * @param firstSequence sequence of the first record
 * @param lastSequence sequence of the last record
 * @param firstOffset offset assigned to the first record
 * @param lastOffset offset assigned to the last record
 * @param timestamp the batch's max timestamp as stored (the append time for LogAppendTime)
 */
record BatchMetadata(int firstSequence, int lastSequence, long firstOffset, long lastOffset, long timestamp) {
}
