package io.memorystreamer.broker.internal.produce;

import io.memorystreamer.spi.state.StateNamespace;
import io.memorystreamer.spi.state.StateStore;
import io.memorystreamer.spi.state.WriteBatch;
import io.memorystreamer.spi.storage.PartitionId;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Producer-state snapshots in the state store, one key per partition: the topic name (UTF-8), a
 * zero byte (never part of a topic name), then the partition index as a big-endian int32.
 * Thread-safe.
 */
final class ProducerStateSnapshots {

    static final String NAMESPACE = "producer-state";

    private static final Logger LOG = LoggerFactory.getLogger(ProducerStateSnapshots.class);

    private final StateStore store;
    private final StateNamespace namespace;

    ProducerStateSnapshots(StateStore store) {
        this.store = store;
        this.namespace = store.namespace(NAMESPACE);
    }

    /** The stored snapshot of a partition; empty when absent or unreadable (the log is replayed). */
    Optional<ProducerStateCodec.Snapshot> load(PartitionId partition) {
        Optional<byte[]> value = namespace.get(key(partition));
        if (value.isEmpty()) {
            return Optional.empty();
        }
        try {
            return Optional.of(ProducerStateCodec.decode(value.get()));
        } catch (IllegalArgumentException e) {
            LOG.warn("Ignoring unreadable producer state snapshot, rebuilding from the log: partition={}, reason={}",
                    partition, e.getMessage());
            return Optional.empty();
        }
    }

    /** Stores snapshots of several partitions in one atomic write. */
    void save(Map<PartitionId, byte[]> snapshots) {
        if (snapshots.isEmpty()) {
            return;
        }
        WriteBatch batch = new WriteBatch();
        snapshots.forEach((partition, value) -> batch.put(NAMESPACE, key(partition), value));
        store.write(batch);
    }

    /** Removes the snapshots of every partition of a topic. */
    void deleteTopic(String topic) {
        List<byte[]> keys = new ArrayList<>();
        namespace.scan(topicPrefix(topic), (key, value) -> keys.add(key));
        if (keys.isEmpty()) {
            return;
        }
        WriteBatch batch = new WriteBatch();
        keys.forEach(key -> batch.delete(NAMESPACE, key));
        store.write(batch);
    }

    static byte[] key(PartitionId partition) {
        byte[] prefix = topicPrefix(partition.topic());
        return ByteBuffer.allocate(prefix.length + 4).put(prefix).putInt(partition.partition()).array();
    }

    private static byte[] topicPrefix(String topic) {
        byte[] name = topic.getBytes(StandardCharsets.UTF_8);
        return ByteBuffer.allocate(name.length + 1).put(name).put((byte) 0).array();
    }
}
