package io.memorystreamer.broker.internal.topic;

import java.util.List;
import java.util.Objects;
import org.apache.kafka.common.requests.DescribeConfigsResponse.ConfigType;

/**
 * A topic configuration key as Kafka defines it.
 *
 * @param name the topic key, for example {@code retention.ms}
 * @param type its type, as DescribeConfigs reports it
 * @param defaultValue Kafka's default when neither the topic nor the broker sets it
 * @param synonyms the broker keys that give the default, most specific first
 * @param enforced whether the broker acts on it; other keys are accepted, stored and described
 *     (so Kafka tools and frameworks that set them keep working) but do not change behaviour
 * @param check validates and normalises a value
 */
public record TopicConfigKey(
        String name,
        ConfigType type,
        String defaultValue,
        List<BrokerSynonym> synonyms,
        boolean enforced,
        ConfigValueCheck check) {

    public TopicConfigKey {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(type, "type");
        Objects.requireNonNull(defaultValue, "defaultValue");
        synonyms = List.copyOf(synonyms);
        Objects.requireNonNull(check, "check");
    }

    /**
     * A broker key whose value is the default of a topic key.
     *
     * @param key the broker key, for example {@code log.retention.hours}
     * @param multiplier what one unit of the broker key is in the topic key's unit (3,600,000 for
     *     hours to milliseconds); 1 for the same unit. Negative values are never multiplied: -1
     *     means "unlimited" in every unit.
     * @param defaultValue Kafka's default of the broker key, or {@code null} when it has none
     */
    public record BrokerSynonym(String key, long multiplier, String defaultValue) {
        public BrokerSynonym {
            Objects.requireNonNull(key, "key");
        }

        /** The broker value converted to the topic key's unit. */
        public String toTopicValue(String brokerValue) {
            if (multiplier == 1) {
                return brokerValue;
            }
            long v = Long.parseLong(brokerValue.trim());
            return v < 0 ? "-1" : String.valueOf(Math.multiplyExact(v, multiplier));
        }
    }
}
