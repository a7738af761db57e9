package io.memorystreamer.broker.internal.produce;

import io.memorystreamer.broker.internal.fetch.DelayedFetches;
import io.memorystreamer.broker.internal.topic.TopicCatalog;
import io.memorystreamer.broker.internal.topic.TopicInfo;
import io.memorystreamer.spi.storage.PartitionId;
import io.memorystreamer.spi.storage.PartitionLog;
import io.memorystreamer.spi.storage.StorageException;
import java.util.Optional;
import org.apache.kafka.common.protocol.Errors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@link TransactionMarkers} over the partition writers: a marker is appended like a batch, and
 * fetches waiting on the partition are woken (the last stable offset may have moved).
 */
final class MarkerWriter implements TransactionMarkers {

    private static final Logger LOG = LoggerFactory.getLogger(MarkerWriter.class);

    private final TopicCatalog catalog;
    private final PartitionWriters writers;
    private final DelayedFetches delayedFetches;

    MarkerWriter(TopicCatalog catalog, PartitionWriters writers, DelayedFetches delayedFetches) {
        this.catalog = catalog;
        this.writers = writers;
        this.delayedFetches = delayedFetches;
    }

    @Override
    public Errors writeMarker(PartitionId partition, long producerId, short producerEpoch, boolean commit,
            int coordinatorEpoch) {
        Optional<TopicInfo> topic = catalog.topic(partition.topic());
        Optional<PartitionLog> log = catalog.log(partition.topic(), partition.partition());
        if (topic.isEmpty() || log.isEmpty()) {
            return Errors.UNKNOWN_TOPIC_OR_PARTITION;
        }
        try {
            int bytes = writers.writerFor(topic.get(), partition.partition(), log.get())
                    .writeMarker(producerId, producerEpoch, commit, coordinatorEpoch);
            delayedFetches.onAppend(partition, bytes);
            return Errors.NONE;
        } catch (StorageException e) {
            LOG.warn("Could not write a transaction marker, will retry: partition={}, producerId={}, commit={}, "
                    + "reason={}", partition, producerId, commit, e.getMessage());
            return Errors.KAFKA_STORAGE_ERROR;
        }
    }
}
