package io.memorystreamer.broker.internal.topic;

import io.memorystreamer.spi.state.StateStore;
import io.memorystreamer.spi.storage.LogConfig;
import io.memorystreamer.spi.storage.PartitionId;
import io.memorystreamer.spi.storage.PartitionLog;
import io.memorystreamer.spi.storage.PartitionLogFactory;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;
import org.apache.kafka.common.Uuid;
import org.apache.kafka.common.errors.InvalidPartitionsException;
import org.apache.kafka.common.errors.InvalidTopicException;
import org.apache.kafka.common.errors.KafkaStorageException;
import org.apache.kafka.common.errors.TopicExistsException;
import org.apache.kafka.common.errors.UnknownTopicIdException;
import org.apache.kafka.common.errors.UnknownTopicOrPartitionException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Owns the topics of this broker: their records in the state store (namespace {@value #TOPICS}),
 * their ids, and the open logs of their partitions.
 *
 * <p>Thread-safe. Lookups ({@link #topic}, {@link #log}, {@link #config}) are lock-free reads of
 * concurrent maps; create, delete and close are serialised on one lock and may block on disk I/O,
 * so they run on request threads only.
 *
 * <p>Crash safety: a topic's record is written before its logs are created, so a crash leaves
 * either no topic or a topic whose missing logs are created on the next start. Deletions are
 * crash-safe too (see {@link TopicDeletions}).
 */
public final class TopicManager implements TopicCatalog, AutoCloseable {

    public static final String TOPICS = "topics";
    public static final String DELETIONS = TopicDeletions.NAMESPACE;
    /** A guard against requests that would open an absurd number of logs at once. */
    public static final int MAX_PARTITIONS_PER_TOPIC = 10_000;

    private static final Logger LOG = LoggerFactory.getLogger(TopicManager.class);

    private record TopicState(TopicInfo info, PartitionLog[] logs, EffectiveTopicConfig effective) {
    }

    private final StateStore state;
    private final PartitionLogFactory logFactory;
    /** Replaced when the broker-wide defaults change (dynamic broker configs); written under {@link #lock}. */
    private volatile TopicConfigResolver resolver;
    private final TopicDeletions deletions;
    private final ConcurrentHashMap<String, TopicState> byName = new ConcurrentHashMap<>();
    private final ConcurrentHashMap<Uuid, TopicState> byId = new ConcurrentHashMap<>();
    private final List<Consumer<String>> deletionListeners = new CopyOnWriteArrayList<>();
    private final Object lock = new Object();
    private volatile String clusterId;
    private boolean closed;

    public TopicManager(StateStore state, PartitionLogFactory logFactory, TopicConfigResolver resolver) {
        this.state = Objects.requireNonNull(state, "state");
        this.logFactory = Objects.requireNonNull(logFactory, "logFactory");
        this.resolver = Objects.requireNonNull(resolver, "resolver");
        this.deletions = new TopicDeletions(state, logFactory);
    }

    /**
     * Loads the cluster id and every topic, finishes interrupted deletions and opens (recovering)
     * every partition log.
     */
    public void start() {
        synchronized (lock) {
            clusterId = ClusterIdStore.loadOrCreate(state);
            deletions.finishInterrupted();
            List<TopicInfo> stored = new ArrayList<>();
            state.namespace(TOPICS).scan(new byte[0],
                    (key, value) -> stored.add(TopicRecordCodec.decode(TopicRecordCodec.topicOfKey(key), value)));
            for (TopicInfo topic : stored) {
                TopicState opened = open(topic);
                byName.put(topic.name(), opened);
                byId.put(topic.id(), opened);
            }
            warnAboutOrphanLogs();
            LOG.info("Topics loaded: count={} partitions={} clusterId={}", stored.size(),
                    stored.stream().mapToInt(TopicInfo::partitionCount).sum(), clusterId);
        }
    }

    /** The cluster id, persisted on first start. */
    public String clusterId() {
        return clusterId;
    }

    public TopicConfigResolver resolver() {
        return resolver;
    }

    /** Called with the name of each deleted topic, after it left the catalog and before its files go. */
    public void addDeletionListener(Consumer<String> listener) {
        deletionListeners.add(Objects.requireNonNull(listener, "listener"));
    }

    @Override
    public Optional<TopicInfo> topic(String name) {
        TopicState t = byName.get(name);
        return t == null ? Optional.empty() : Optional.of(t.info());
    }

    @Override
    public Optional<TopicInfo> topic(Uuid id) {
        TopicState t = byId.get(id);
        return t == null ? Optional.empty() : Optional.of(t.info());
    }

    @Override
    public Collection<TopicInfo> topics() {
        return byName.values().stream().map(TopicState::info).toList();
    }

    @Override
    public Optional<PartitionLog> log(String topic, int partition) {
        TopicState t = byName.get(topic);
        if (t == null || partition < 0 || partition >= t.logs().length) {
            return Optional.empty();
        }
        return Optional.of(t.logs()[partition]);
    }

    @Override
    public EffectiveTopicConfig config(String topic) {
        TopicState t = byName.get(topic);
        return t != null ? t.effective() : resolver.effective(Map.of());
    }

    /**
     * Checks and, unless {@code validateOnly}, creates a topic and its partition logs.
     *
     * @param name the topic name
     * @param partitions the number of partitions, at least 1
     * @param configs topic overrides (Kafka topic keys)
     * @param validateOnly only check; nothing is created
     * @return the topic (with the id it got, or would get)
     * @throws org.apache.kafka.common.errors.ApiException with the Kafka error to report:
     *     INVALID_TOPIC_EXCEPTION, TOPIC_ALREADY_EXISTS, INVALID_PARTITIONS, INVALID_CONFIG,
     *     KAFKA_STORAGE_ERROR
     */
    public TopicInfo create(String name, int partitions, Map<String, String> configs, boolean validateOnly) {
        TopicNames.validate(name);
        synchronized (lock) {
            ensureOpen();
            if (byName.containsKey(name)) {
                throw new TopicExistsException("Topic '" + name + "' already exists.");
            }
            for (String existing : byName.keySet()) {
                if (TopicNames.collide(name, existing)) {
                    throw new InvalidTopicException("Topic '" + name + "' collides with existing topic: " + existing);
                }
            }
            if (partitions < 1) {
                throw new InvalidPartitionsException("Number of partitions was set to an invalid non-positive value.");
            }
            if (partitions > MAX_PARTITIONS_PER_TOPIC) {
                throw new InvalidPartitionsException("Number of partitions " + partitions
                        + " is more than this broker allows per topic (" + MAX_PARTITIONS_PER_TOPIC + ").");
            }
            Map<String, String> overrides = TopicConfigKeys.validate(configs);
            resolver.logConfig(overrides);
            TopicInfo topic = new TopicInfo(name, newTopicId(), partitions, overrides);
            if (validateOnly) {
                return topic;
            }
            deletions.finish(name);
            state.namespace(TOPICS).put(TopicRecordCodec.key(name), TopicRecordCodec.encode(topic));
            TopicState opened;
            try {
                opened = open(topic);
            } catch (RuntimeException e) {
                state.namespace(TOPICS).delete(TopicRecordCodec.key(name));
                try {
                    deletions.deleteLogs(name, partitions);
                } catch (RuntimeException cleanup) {
                    e.addSuppressed(cleanup);
                }
                throw new KafkaStorageException("Could not create the logs of topic " + name + ": " + e.getMessage(), e);
            }
            byName.put(name, opened);
            byId.put(topic.id(), opened);
            LOG.info("Topic created: topic={} id={} partitions={} configs={}", name, topic.id(), partitions, overrides);
            return topic;
        }
    }

    /**
     * Grows a topic to {@code totalCount} partitions, creating the new partitions' logs.
     *
     * @param validateOnly only check; nothing changes
     * @return the topic with its new partition count
     * @throws org.apache.kafka.common.errors.ApiException UNKNOWN_TOPIC_OR_PARTITION,
     *     INVALID_PARTITIONS (not more than now) or KAFKA_STORAGE_ERROR
     */
    public TopicInfo createPartitions(String name, int totalCount, boolean validateOnly) {
        synchronized (lock) {
            ensureOpen();
            TopicState t = byName.get(name);
            if (t == null) {
                throw new UnknownTopicOrPartitionException("Topic '" + name + "' does not exist.");
            }
            TopicInfo topic = t.info();
            int current = topic.partitionCount();
            if (totalCount < current) {
                throw new InvalidPartitionsException("Topic currently has " + current
                        + " partitions, which is higher than the requested " + totalCount + ".");
            }
            if (totalCount == current) {
                throw new InvalidPartitionsException("Topic already has " + current + " partitions.");
            }
            if (totalCount > MAX_PARTITIONS_PER_TOPIC) {
                throw new InvalidPartitionsException("Number of partitions " + totalCount
                        + " is more than this broker allows per topic (" + MAX_PARTITIONS_PER_TOPIC + ").");
            }
            TopicInfo grown = new TopicInfo(name, topic.id(), totalCount, topic.configs());
            if (validateOnly) {
                return grown;
            }
            byte[] key = TopicRecordCodec.key(name);
            state.namespace(TOPICS).put(key, TopicRecordCodec.encode(grown));
            PartitionLog[] logs = java.util.Arrays.copyOf(t.logs(), totalCount);
            LogConfig logConfig = logConfigOf(grown);
            try {
                for (int p = current; p < totalCount; p++) {
                    logs[p] = openAsLeader(new PartitionId(name, p), logConfig);
                }
            } catch (RuntimeException e) {
                state.namespace(TOPICS).put(key, TopicRecordCodec.encode(topic));
                for (int p = current; p < totalCount; p++) {
                    try {
                        logFactory.delete(new PartitionId(name, p));
                    } catch (RuntimeException cleanup) {
                        e.addSuppressed(cleanup);
                    }
                }
                throw new KafkaStorageException("Could not create the new partitions of topic " + name + ": "
                        + e.getMessage(), e);
            }
            TopicState updated = new TopicState(grown, logs, t.effective());
            byName.put(name, updated);
            byId.put(grown.id(), updated);
            LOG.info("Partitions added: topic={} partitions={}->{}", name, current, totalCount);
            return grown;
        }
    }

    /**
     * Replaces a topic's configuration overrides; the logs pick up the new settings for their next
     * roll, flush or retention pass.
     *
     * @param overrides the complete new set of overrides (an absent key falls back to the broker)
     * @param validateOnly only check; nothing changes
     * @return the topic with its new overrides
     * @throws org.apache.kafka.common.errors.ApiException UNKNOWN_TOPIC_OR_PARTITION or INVALID_CONFIG
     */
    public TopicInfo alterConfigs(String name, Map<String, String> overrides, boolean validateOnly) {
        synchronized (lock) {
            ensureOpen();
            TopicState t = byName.get(name);
            if (t == null) {
                throw new UnknownTopicOrPartitionException("Topic '" + name + "' does not exist.");
            }
            Map<String, String> normalised = TopicConfigKeys.validate(overrides);
            LogConfig logConfig = resolver.logConfig(normalised);
            TopicInfo altered = new TopicInfo(name, t.info().id(), t.info().partitionCount(), normalised);
            if (validateOnly) {
                return altered;
            }
            state.namespace(TOPICS).put(TopicRecordCodec.key(name), TopicRecordCodec.encode(altered));
            for (PartitionLog log : t.logs()) {
                logFactory.reconfigure(log.partition(), logConfig);
            }
            TopicState updated = new TopicState(altered, t.logs(), resolver.effective(normalised));
            byName.put(name, updated);
            byId.put(altered.id(), updated);
            LOG.info("Topic configs altered: topic={} configs={}", name, normalised);
            return altered;
        }
    }

    /**
     * Replaces the broker-wide defaults (after a dynamic broker config change): every topic
     * re-resolves its settings, so topics without an override pick up the new defaults, and every
     * open log is reconfigured for its next roll, flush or retention pass.
     *
     * @param newResolver the resolver over the new effective broker configuration
     */
    public void reconfigureDefaults(TopicConfigResolver newResolver) {
        Objects.requireNonNull(newResolver, "newResolver");
        synchronized (lock) {
            ensureOpen();
            resolver = newResolver;
            for (TopicState t : byName.values()) {
                LogConfig logConfig = logConfigOf(t.info());
                for (PartitionLog log : t.logs()) {
                    logFactory.reconfigure(log.partition(), logConfig);
                }
                TopicState updated = new TopicState(t.info(), t.logs(), effectiveOf(t.info()));
                byName.put(t.info().name(), updated);
                byId.put(t.info().id(), updated);
            }
            LOG.info("Broker topic defaults reconfigured: topics={}", byName.size());
        }
    }

    /**
     * Deletes a topic and its logs.
     *
     * @return the deleted topic
     * @throws UnknownTopicOrPartitionException when there is no such topic
     */
    public TopicInfo delete(String name) {
        synchronized (lock) {
            TopicState t = byName.get(name);
            if (t == null) {
                throw new UnknownTopicOrPartitionException((String) null);
            }
            return delete(t);
        }
    }

    /**
     * Deletes a topic by id.
     *
     * @throws UnknownTopicIdException when there is no such topic
     */
    public TopicInfo delete(Uuid id) {
        synchronized (lock) {
            TopicState t = byId.get(id);
            if (t == null) {
                throw new UnknownTopicIdException((String) null);
            }
            return delete(t);
        }
    }

    /** Closes every open log (flushing it). Idempotent. */
    @Override
    public void close() {
        synchronized (lock) {
            if (closed) {
                return;
            }
            closed = true;
            for (TopicState t : byName.values()) {
                closeQuietly(t.logs());
            }
            byName.clear();
            byId.clear();
        }
    }

    private static void closeQuietly(PartitionLog[] logs) {
        for (PartitionLog log : logs) {
            try {
                log.close();
            } catch (RuntimeException e) {
                LOG.warn("Closing log failed: partition={}", log.partition(), e);
            }
        }
    }

    private TopicInfo delete(TopicState t) {
        ensureOpen();
        TopicInfo topic = t.info();
        deletions.record(topic);
        byName.remove(topic.name());
        byId.remove(topic.id());
        for (Consumer<String> listener : deletionListeners) {
            try {
                listener.accept(topic.name());
            } catch (RuntimeException e) {
                LOG.warn("Topic deletion listener failed: topic={}", topic.name(), e);
            }
        }
        try {
            // The storage plugin closes each open log without flushing: forcing data that is about
            // to be deleted would only write it to disk.
            deletions.finish(topic.name());
        } catch (RuntimeException e) {
            // The topic is gone; its files are retried on the next create of the name or start.
            LOG.warn("Deleting the logs of topic {} failed; will retry", topic.name(), e);
            closeQuietly(t.logs());
        }
        LOG.info("Topic deleted: topic={} id={}", topic.name(), topic.id());
        return topic;
    }

    private TopicState open(TopicInfo topic) {
        LogConfig logConfig = logConfigOf(topic);
        PartitionLog[] logs = new PartitionLog[topic.partitionCount()];
        for (int p = 0; p < logs.length; p++) {
            logs[p] = openAsLeader(new PartitionId(topic.name(), p), logConfig);
        }
        return new TopicState(topic, logs, resolver.effective(topic.configs()));
    }

    /**
     * Opens a partition's log as its only replica. Every batch that survived recovery is committed
     * (a single-node leader's in-sync set is itself, as in Kafka), so the high watermark moves to the
     * log end: after a kill -9 the persisted watermark can lag the records that were acknowledged.
     */
    private PartitionLog openAsLeader(PartitionId partition, LogConfig logConfig) {
        PartitionLog log = logFactory.open(partition, logConfig);
        log.updateHighWatermark(log.logEndOffset());
        return log;
    }

    private LogConfig logConfigOf(TopicInfo topic) {
        try {
            return resolver.logConfig(topic.configs());
        } catch (RuntimeException e) {
            // Stored overrides were valid when written; keep the topic usable if a rule tightened.
            LOG.warn("Stored configs of topic {} are no longer valid, using broker defaults: {}",
                    topic.name(), e.getMessage());
            return resolver.logConfig(Map.of());
        }
    }

    private EffectiveTopicConfig effectiveOf(TopicInfo topic) {
        try {
            return resolver.effective(topic.configs());
        } catch (RuntimeException e) {
            LOG.warn("Stored configs of topic {} are no longer valid, using broker defaults: {}",
                    topic.name(), e.getMessage());
            return resolver.effective(Map.of());
        }
    }

    private void warnAboutOrphanLogs() {
        for (PartitionId partition : logFactory.existing()) {
            TopicState t = byName.get(partition.topic());
            if (t == null || partition.partition() >= t.logs().length) {
                // Never deleted automatically: a lost state store must not cost the data.
                LOG.warn("Log without a topic left untouched: partition={}", partition);
            }
        }
    }

    private Uuid newTopicId() {
        Uuid id;
        do {
            id = Uuid.randomUuid();
        } while (byId.containsKey(id));
        return id;
    }

    private void ensureOpen() {
        if (closed) {
            throw new KafkaStorageException("The broker is shutting down");
        }
    }
}
