package io.memorystreamer.broker.internal.produce;

import io.memorystreamer.spi.storage.PartitionId;
import org.apache.kafka.common.protocol.Errors;

/**
 * Writes the COMMIT and ABORT markers that end a transaction on a partition, through the same
 * per-partition writer as produced batches. Thread-safe; blocks on the partition's write lock and
 * on storage.
 */
public interface TransactionMarkers {

    /**
     * Appends an end-transaction control batch for the producer and moves the partition's last
     * stable offset; an ABORT marker also records the aborted transaction in the index.
     *
     * @param producerEpoch the producer's epoch at the coordinator (higher than the batches' when
     *     the coordinator fenced the producer; the partition then refuses older batches)
     * @return {@link Errors#NONE} when written; {@link Errors#UNKNOWN_TOPIC_OR_PARTITION} when
     *     the partition no longer exists (nothing to mark); {@link Errors#KAFKA_STORAGE_ERROR}
     *     when the log failed (try again)
     */
    Errors writeMarker(PartitionId partition, long producerId, short producerEpoch, boolean commit,
            int coordinatorEpoch);
}
