package io.memorystreamer.broker.internal.admin;

import io.memorystreamer.broker.internal.BrokerSettings;
import io.memorystreamer.broker.internal.topic.TopicConfigKey;
import io.memorystreamer.broker.internal.topic.TopicConfigKey.BrokerSynonym;
import io.memorystreamer.broker.internal.topic.TopicConfigKeys;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import org.apache.kafka.common.requests.DescribeConfigsResponse.ConfigSource;
import org.apache.kafka.common.requests.DescribeConfigsResponse.ConfigType;

/**
 * The broker's static configuration as DescribeConfigs shows it for a BROKER resource: every
 * server key with its value, DEFAULT_CONFIG when it equals Kafka's default and STATIC_BROKER_CONFIG
 * otherwise, secrets hidden. Nothing is dynamically updatable, so every entry is read-only.
 * Immutable.
 */
final class BrokerConfigs {

    /** One broker config entry; {@code value} is null for sensitive keys. */
    record Entry(String name, String value, ConfigSource source, ConfigType type, boolean sensitive) {
    }

    private static final Map<String, String> OTHER_DEFAULTS = Map.of(
            "num.partitions", "1",
            "num.io.threads", "8",
            "auto.create.topics.enable", "true",
            "delete.topic.enable", "true",
            "default.replication.factor", "1",
            "producer.id.expiration.ms", "86400000");
    private static final Map<String, ConfigType> OTHER_TYPES = Map.of(
            "node.id", ConfigType.INT,
            "num.partitions", ConfigType.INT,
            "num.io.threads", ConfigType.INT,
            "num.network.threads", ConfigType.INT,
            "auto.create.topics.enable", ConfigType.BOOLEAN,
            "delete.topic.enable", ConfigType.BOOLEAN,
            "default.replication.factor", ConfigType.INT,
            "producer.id.expiration.ms", ConfigType.INT,
            "listeners", ConfigType.STRING,
            "log.dirs", ConfigType.STRING);

    private final List<Entry> entries;

    BrokerConfigs(BrokerSettings settings) {
        Map<String, String> defaults = new HashMap<>(OTHER_DEFAULTS);
        Map<String, ConfigType> types = new HashMap<>(OTHER_TYPES);
        for (TopicConfigKey key : TopicConfigKeys.all()) {
            for (BrokerSynonym synonym : key.synonyms()) {
                if (synonym.defaultValue() != null) {
                    defaults.put(synonym.key(), synonym.defaultValue());
                }
                types.put(synonym.key(), synonym.multiplier() == 1 ? key.type() : ConfigType.INT);
            }
        }
        Map<String, String> all = new TreeMap<>(defaults);
        all.putAll(settings.raw());
        this.entries = all.entrySet().stream().map(e -> {
            String name = e.getKey();
            boolean sensitive = isSensitive(name);
            ConfigSource source = e.getValue().equals(defaults.get(name)) ? ConfigSource.DEFAULT_CONFIG
                    : ConfigSource.STATIC_BROKER_CONFIG;
            ConfigType type = sensitive ? ConfigType.PASSWORD : types.getOrDefault(name, ConfigType.STRING);
            return new Entry(name, sensitive ? null : e.getValue(), source, type, sensitive);
        }).toList();
    }

    List<Entry> entries() {
        return entries;
    }

    /** Keys whose values are secrets, as Kafka's PASSWORD-typed keys and JAAS configurations. */
    static boolean isSensitive(String key) {
        String k = key.toLowerCase(Locale.ROOT);
        return k.contains("password") || k.contains("secret") || k.endsWith("jaas.config")
                || k.endsWith(".key") || k.contains("credential");
    }
}
