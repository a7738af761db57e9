package io.memorystreamer.broker.internal.produce;

import io.memorystreamer.broker.internal.topic.TopicInfo;
import io.memorystreamer.spi.storage.PartitionId;
import io.memorystreamer.spi.storage.PartitionLog;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.LongSupplier;

/**
 * The {@link PartitionWriter} of every partition written since start, created on first use.
 * Thread-safe.
 */
final class PartitionWriters {

    private final ConcurrentHashMap<PartitionId, PartitionWriter> writers = new ConcurrentHashMap<>();
    private final ProducerStateSnapshots snapshots;
    private final LongSupplier clock;
    /** Orders snapshot writes against topic deletion so no snapshot outlives its topic. */
    private final Object snapshotLock = new Object();

    PartitionWriters(ProducerStateSnapshots snapshots, LongSupplier clock) {
        this.snapshots = snapshots;
        this.clock = clock;
    }

    /**
     * The writer of a partition's current log. A topic deleted and created again under the same
     * name has a new log and a new topic id, and so gets a fresh writer.
     */
    PartitionWriter writerFor(TopicInfo topic, int partition, PartitionLog log) {
        PartitionId id = new PartitionId(topic.name(), partition);
        PartitionWriter current = writers.get(id);
        if (current != null && current.serves(log, topic.id())) {
            return current;
        }
        return writers.compute(id, (key, existing) -> existing != null && existing.serves(log, topic.id())
                ? existing
                : new PartitionWriter(key, topic.id(), log, snapshots, clock));
    }

    /**
     * Stores the producer state of every partition that changed, in one atomic write.
     *
     * @throws io.memorystreamer.spi.state.StateException if the store fails; the state is
     *     retried next time
     */
    void snapshotChanged() {
        synchronized (snapshotLock) {
            Map<PartitionId, byte[]> changed = new HashMap<>();
            Map<PartitionId, PartitionWriter> taken = new HashMap<>();
            for (PartitionWriter writer : writers.values()) {
                byte[] value = writer.snapshotIfDirty();
                if (value != null) {
                    changed.put(writer.partition(), value);
                    taken.put(writer.partition(), writer);
                }
            }
            try {
                snapshots.save(changed);
            } catch (RuntimeException e) {
                taken.values().forEach(PartitionWriter::markDirty);
                throw e;
            }
        }
    }

    /** Forgets producers idle longer than {@code expirationMs} on every partition. */
    void expireProducers(long expirationMs) {
        long now = clock.getAsLong();
        for (PartitionWriter writer : writers.values()) {
            writer.expireProducers(now, expirationMs);
        }
    }

    /** Drops the writers and stored producer state of a deleted topic. */
    void forgetTopic(String topic) {
        synchronized (snapshotLock) {
            writers.keySet().removeIf(id -> id.topic().equals(topic));
            snapshots.deleteTopic(topic);
        }
    }
}
