package io.memorystreamer.broker.internal.group;

import io.memorystreamer.broker.internal.topic.EffectiveTopicConfig;
import io.memorystreamer.broker.internal.topic.TopicCatalog;
import io.memorystreamer.broker.internal.topic.TopicInfo;
import io.memorystreamer.spi.storage.PartitionLog;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.kafka.common.Uuid;

/** A topic catalog with topic metadata only: the group coordinator never reads partition logs. */
final class TopicsInMemory implements TopicCatalog {

    private final Map<String, TopicInfo> topics = new ConcurrentHashMap<>();

    TopicInfo create(String name, int partitions) {
        TopicInfo info = new TopicInfo(name, Uuid.randomUuid(), partitions, Map.of());
        topics.put(name, info);
        return info;
    }

    /** Grows a topic to {@code partitions} partitions, keeping its id. */
    TopicInfo addPartitions(String name, int partitions) {
        TopicInfo old = topics.get(name);
        TopicInfo grown = new TopicInfo(name, old.id(), partitions, old.configs());
        topics.put(name, grown);
        return grown;
    }

    void delete(String name) {
        topics.remove(name);
    }

    @Override
    public Optional<TopicInfo> topic(String name) {
        return Optional.ofNullable(topics.get(name));
    }

    @Override
    public Optional<TopicInfo> topic(Uuid id) {
        return topics.values().stream().filter(t -> t.id().equals(id)).findFirst();
    }

    @Override
    public Collection<TopicInfo> topics() {
        return List.copyOf(topics.values());
    }

    @Override
    public Optional<PartitionLog> log(String topic, int partition) {
        return Optional.empty();
    }

    @Override
    public EffectiveTopicConfig config(String topic) {
        return new EffectiveTopicConfig(1024 * 1024, false);
    }
}
