package io.memorystreamer.broker.internal.topic;

import java.util.List;
import org.apache.kafka.common.requests.DescribeConfigsResponse.ConfigSource;

/**
 * The effective value of one configuration key and where it comes from.
 *
 * @param key the key definition
 * @param value the effective value, in the topic key's unit
 * @param source where the value comes from
 * @param synonyms every place that gives the key a value, highest precedence first (Kafka's
 *     DescribeConfigs synonyms); the first is the effective one
 */
public record ResolvedConfig(TopicConfigKey key, String value, ConfigSource source, List<Synonym> synonyms) {

    public ResolvedConfig {
        synonyms = List.copyOf(synonyms);
    }

    /** One source of a value: a topic override, a broker key or a default. */
    public record Synonym(String name, String value, ConfigSource source) {
    }
}
