package io.memorystreamer.broker.internal.produce;

import io.memorystreamer.broker.internal.fetch.AbortedTransaction;
import io.memorystreamer.broker.internal.fetch.TransactionIndex;
import io.memorystreamer.broker.internal.topic.TopicInfo;
import io.memorystreamer.spi.storage.PartitionId;
import io.memorystreamer.spi.storage.PartitionLog;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.LongSupplier;
import java.util.function.Supplier;

/**
 * The {@link PartitionWriter} of every partition written or read with read_committed since
 * start, created on first use; it also answers read_committed lookups from their transaction
 * state. Thread-safe.
 */
final class PartitionWriters implements TransactionIndex {

    private final ConcurrentHashMap<PartitionId, PartitionWriter> writers = new ConcurrentHashMap<>();
    private final ProducerStateSnapshots snapshots;
    private final Supplier<TransactionCoordination> coordination;
    private final LongSupplier clock;
    /** Orders snapshot writes against topic deletion so no snapshot outlives its topic. */
    private final Object snapshotLock = new Object();

    PartitionWriters(ProducerStateSnapshots snapshots, Supplier<TransactionCoordination> coordination,
            LongSupplier clock) {
        this.snapshots = snapshots;
        this.coordination = coordination;
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
                : new PartitionWriter(key, topic.id(), log, snapshots, coordination, clock));
    }

    @Override
    public long lastStableOffset(TopicInfo topic, int partition, PartitionLog log) {
        return writerFor(topic, partition, log).lastStableOffset();
    }

    @Override
    public List<AbortedTransaction> abortedTransactions(TopicInfo topic, int partition, PartitionLog log,
            long fromOffset, long toOffset) {
        return writerFor(topic, partition, log).abortedTransactions(fromOffset, toOffset);
    }

    /**
     * Stores the producer state and aborted-transaction changes of every partition that changed,
     * in one atomic write.
     *
     * @throws io.memorystreamer.spi.state.StateException if the store fails; the state is
     *     retried next time
     */
    void snapshotChanged() {
        synchronized (snapshotLock) {
            List<ProducerStateSnapshots.PartitionSnapshot> changed = new ArrayList<>();
            List<PartitionWriter> taken = new ArrayList<>();
            for (PartitionWriter writer : writers.values()) {
                ProducerStateSnapshots.PartitionSnapshot snapshot = writer.snapshotIfDirty();
                if (snapshot != null) {
                    changed.add(snapshot);
                    taken.add(writer);
                }
            }
            try {
                snapshots.save(changed);
            } catch (RuntimeException e) {
                for (int i = 0; i < taken.size(); i++) {
                    taken.get(i).snapshotFailed(changed.get(i));
                }
                throw e;
            }
        }
    }

    /**
     * Forgets producers idle longer than {@code expirationMs} and aborted transactions below the
     * log start offset, on every partition.
     */
    void maintain(long expirationMs) {
        long now = clock.getAsLong();
        for (PartitionWriter writer : writers.values()) {
            writer.maintain(now, expirationMs);
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
