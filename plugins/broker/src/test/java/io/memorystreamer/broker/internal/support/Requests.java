package io.memorystreamer.broker.internal.support;

import java.util.List;
import java.util.Map;
import org.apache.kafka.common.message.CreateTopicsRequestData;
import org.apache.kafka.common.message.CreateTopicsRequestData.CreatableTopic;
import org.apache.kafka.common.message.CreateTopicsRequestData.CreatableTopicCollection;
import org.apache.kafka.common.message.CreateTopicsRequestData.CreatableTopicConfig;
import org.apache.kafka.common.message.CreateTopicsRequestData.CreatableTopicConfigCollection;
import org.apache.kafka.common.message.MetadataRequestData;
import org.apache.kafka.common.message.MetadataRequestData.MetadataRequestTopic;

/** Request bodies as admin clients build them. */
public final class Requests {

    private Requests() {
    }

    public static CreatableTopic topic(String name, int partitions, int replicationFactor, Map<String, String> configs) {
        CreatableTopicConfigCollection configCollection = new CreatableTopicConfigCollection();
        configs.forEach((k, v) -> configCollection.add(new CreatableTopicConfig().setName(k).setValue(v)));
        return new CreatableTopic().setName(name).setNumPartitions(partitions)
                .setReplicationFactor((short) replicationFactor).setConfigs(configCollection);
    }

    public static CreateTopicsRequestData createTopics(CreatableTopic... topics) {
        CreatableTopicCollection collection = new CreatableTopicCollection();
        for (CreatableTopic topic : topics) {
            collection.add(topic);
        }
        return new CreateTopicsRequestData().setTopics(collection).setTimeoutMs(30_000);
    }

    public static CreateTopicsRequestData createTopic(String name, int partitions) {
        return createTopics(topic(name, partitions, 1, Map.of()));
    }

    public static MetadataRequestData metadata(boolean allowAutoCreate, String... topics) {
        return new MetadataRequestData()
                .setTopics(List.of(topics).stream().map(t -> new MetadataRequestTopic().setName(t)).toList())
                .setAllowAutoTopicCreation(allowAutoCreate);
    }
}
