package io.memorystreamer.broker.internal.produce;

import io.memorystreamer.broker.internal.fetch.AbortedTransaction;
import io.memorystreamer.spi.state.StateNamespace;
import io.memorystreamer.spi.state.StateStore;
import io.memorystreamer.spi.state.WriteBatch;
import io.memorystreamer.spi.storage.PartitionId;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Optional;
import org.apache.kafka.common.Uuid;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Producer-state snapshots and aborted-transaction index entries in the state store. A
 * partition's snapshot key is the topic name (UTF-8), a zero byte (never part of a topic name),
 * then the partition index as a big-endian int32; see {@link AbortedTransactionCodec} for the
 * index. A snapshot and the index entries it accounts for are written in one atomic batch.
 * Thread-safe.
 */
final class ProducerStateSnapshots {

    static final String NAMESPACE = "producer-state";

    private static final Logger LOG = LoggerFactory.getLogger(ProducerStateSnapshots.class);

    /**
     * What one partition stores at once.
     *
     * @param partition the partition
     * @param topicId the topic incarnation
     * @param producerState the encoded producer state
     * @param aborted index entries added and removed since the last store
     */
    record PartitionSnapshot(PartitionId partition, Uuid topicId, byte[] producerState,
            AbortedTransactions.Changes aborted) {
    }

    private final StateStore store;
    private final StateNamespace namespace;
    private final StateNamespace abortedNamespace;

    ProducerStateSnapshots(StateStore store) {
        this.store = store;
        this.namespace = store.namespace(NAMESPACE);
        this.abortedNamespace = store.namespace(AbortedTransactionCodec.NAMESPACE);
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

    /**
     * The stored aborted transactions of a partition, by marker offset, including entries of an
     * earlier topic with the same name (the caller drops those).
     */
    List<AbortedTransactionCodec.Stored> loadAborted(PartitionId partition) {
        List<AbortedTransactionCodec.Stored> entries = new ArrayList<>();
        abortedNamespace.scan(AbortedTransactionCodec.partitionPrefix(partition), (key, value) -> {
            try {
                entries.add(AbortedTransactionCodec.decode(value));
            } catch (IllegalArgumentException e) {
                LOG.warn("Ignoring an unreadable aborted transaction entry: partition={}, reason={}", partition,
                        e.getMessage());
            }
        });
        return entries;
    }

    /** Stores the snapshots of several partitions, with their index changes, in one atomic write. */
    void save(Collection<PartitionSnapshot> snapshots) {
        if (snapshots.isEmpty()) {
            return;
        }
        WriteBatch batch = new WriteBatch();
        for (PartitionSnapshot snapshot : snapshots) {
            batch.put(NAMESPACE, key(snapshot.partition()), snapshot.producerState());
            // Removals first: a marker offset lost in a crash may be taken again by a new marker.
            for (AbortedTransaction removed : snapshot.aborted().removed()) {
                batch.delete(AbortedTransactionCodec.NAMESPACE,
                        AbortedTransactionCodec.key(snapshot.partition(), removed.lastOffset()));
            }
            for (AbortedTransaction added : snapshot.aborted().added()) {
                batch.put(AbortedTransactionCodec.NAMESPACE,
                        AbortedTransactionCodec.key(snapshot.partition(), added.lastOffset()),
                        AbortedTransactionCodec.encode(snapshot.topicId(), added));
            }
        }
        store.write(batch);
    }

    /** Removes the snapshots and index entries of every partition of a topic. */
    void deleteTopic(String topic) {
        WriteBatch batch = new WriteBatch();
        namespace.scan(topicPrefix(topic), (key, value) -> batch.delete(NAMESPACE, key));
        abortedNamespace.scan(AbortedTransactionCodec.topicPrefix(topic),
                (key, value) -> batch.delete(AbortedTransactionCodec.NAMESPACE, key));
        if (!batch.isEmpty()) {
            store.write(batch);
        }
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
