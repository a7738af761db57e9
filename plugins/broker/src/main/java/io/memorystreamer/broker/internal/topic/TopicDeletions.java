package io.memorystreamer.broker.internal.topic;

import io.memorystreamer.spi.state.StateNamespace;
import io.memorystreamer.spi.state.StateStore;
import io.memorystreamer.spi.state.WriteBatch;
import io.memorystreamer.spi.storage.PartitionId;
import io.memorystreamer.spi.storage.PartitionLogFactory;
import io.memorystreamer.spi.storage.StorageException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.apache.kafka.common.errors.KafkaStorageException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Crash-safe topic deletion: one atomic state store batch removes the topic's record and writes a
 * marker (namespace {@value #NAMESPACE}, same key and value encoding as the topic record); then the
 * logs are deleted and the marker dropped. A start, or a new topic of the same name, finishes any
 * deletion that a crash or an I/O error interrupted. Called under the {@link TopicManager} lock.
 */
final class TopicDeletions {

    static final String NAMESPACE = "topic-deletions";

    private static final Logger LOG = LoggerFactory.getLogger(TopicDeletions.class);

    private final StateStore state;
    private final PartitionLogFactory logFactory;

    TopicDeletions(StateStore state, PartitionLogFactory logFactory) {
        this.state = state;
        this.logFactory = logFactory;
    }

    /** Removes the topic's record and leaves the deletion marker, atomically. */
    void record(TopicInfo topic) {
        byte[] key = TopicRecordCodec.key(topic.name());
        state.write(new WriteBatch()
                .delete(TopicManager.TOPICS, key)
                .put(NAMESPACE, key, TopicRecordCodec.encode(topic)));
    }

    /**
     * Deletes the logs a deletion marker names, then the marker; does nothing without a marker.
     *
     * @throws KafkaStorageException when a log cannot be deleted; the marker stays for a retry
     */
    void finish(String name) {
        StateNamespace markers = state.namespace(NAMESPACE);
        byte[] key = TopicRecordCodec.key(name);
        Optional<byte[]> marker = markers.get(key);
        if (marker.isEmpty()) {
            return;
        }
        deleteLogs(name, TopicRecordCodec.decode(name, marker.get()).partitionCount());
        markers.delete(key);
    }

    /** Deletes partitions 0..count-1 of a topic and any other log on disk with its name. */
    void deleteLogs(String name, int partitionCount) {
        List<PartitionId> toDelete = new ArrayList<>();
        for (int p = 0; p < partitionCount; p++) {
            toDelete.add(new PartitionId(name, p));
        }
        for (PartitionId partition : logFactory.existing()) {
            if (partition.topic().equals(name) && !toDelete.contains(partition)) {
                toDelete.add(partition);
            }
        }
        for (PartitionId partition : toDelete) {
            try {
                logFactory.delete(partition);
            } catch (StorageException e) {
                throw new KafkaStorageException("Could not delete the log of " + partition + ": " + e.getMessage(), e);
            }
        }
    }

    /** Finishes every deletion a crash interrupted; run once at start, before topics are loaded. */
    void finishInterrupted() {
        List<String> pending = new ArrayList<>();
        state.namespace(NAMESPACE).scan(new byte[0], (key, value) -> pending.add(TopicRecordCodec.topicOfKey(key)));
        for (String name : pending) {
            byte[] key = TopicRecordCodec.key(name);
            if (state.namespace(TopicManager.TOPICS).get(key).isPresent()) {
                // Re-created after the interrupted deletion: its logs are the new topic's.
                state.namespace(NAMESPACE).delete(key);
                continue;
            }
            LOG.info("Finishing interrupted deletion of topic {}", name);
            try {
                finish(name);
            } catch (RuntimeException e) {
                LOG.warn("Could not finish the deletion of topic {}; will retry on the next start", name, e);
            }
        }
    }
}
