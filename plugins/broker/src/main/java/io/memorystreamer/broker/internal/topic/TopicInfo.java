package io.memorystreamer.broker.internal.topic;

import java.util.Map;
import org.apache.kafka.common.Uuid;

/**
 * A topic as the broker knows it.
 *
 * @param name topic name
 * @param id topic id (KIP-516)
 * @param partitionCount number of partitions
 * @param configs topic-level configuration overrides (Kafka topic config keys)
 */
public record TopicInfo(String name, Uuid id, int partitionCount, Map<String, String> configs) {

    public TopicInfo {
        configs = Map.copyOf(configs);
    }
}
