package io.memorystreamer.broker.internal.produce;

/**
 * One producer's state on a partition, as DescribeProducers reports it.
 *
 * @param producerId the producer id
 * @param epoch its epoch
 * @param lastSequence the sequence of its last record, or -1
 * @param lastTimestamp the timestamp of its last batch, or -1
 * @param coordinatorEpoch the coordinator epoch of its last transaction marker, or -1
 * @param currentTxnStartOffset the first offset of its open transaction, or -1
 */
record ProducerView(long producerId, short epoch, int lastSequence, long lastTimestamp, int coordinatorEpoch,
        long currentTxnStartOffset) {
}
