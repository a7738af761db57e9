package io.memorystreamer.broker.internal.admin;

import io.memorystreamer.broker.internal.topic.TopicConfigKey;
import io.memorystreamer.broker.internal.topic.TopicConfigKey.BrokerSynonym;
import io.memorystreamer.broker.internal.topic.TopicConfigKeys;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.apache.kafka.common.requests.DescribeConfigsResponse.ConfigType;

/**
 * What the broker knows about broker configuration keys: Kafka's defaults and types, Kafka's
 * synonym groups ({@code log.retention.ms}, {@code .minutes}, {@code .hours}), and which keys can
 * change at runtime.
 *
 * <p>A key is dynamic when Kafka allows changing it without a restart and this broker applies the
 * change at once: the broker default of each topic config (the first of its broker synonyms, as
 * in Kafka, so {@code log.retention.ms} is dynamic and {@code log.retention.hours} is not).
 * Stateless.
 */
final class BrokerConfigKeys {

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
    /**
     * Kafka broker keys that cannot change at runtime here (Kafka refuses most of them too), so
     * that changing one is refused as not dynamic rather than as unknown.
     */
    private static final Set<String> STATIC_KEYS = Set.of(
            "node.id", "broker.id", "process.roles", "listeners", "advertised.listeners",
            "listener.security.protocol.map", "inter.broker.listener.name", "controller.listener.names",
            "controller.quorum.voters", "controller.quorum.bootstrap.servers", "log.dirs", "log.dir",
            "metadata.log.dir", "num.partitions", "default.replication.factor", "auto.create.topics.enable",
            "delete.topic.enable", "num.io.threads", "num.network.threads", "num.replica.fetchers",
            "num.recovery.threads.per.data.dir", "background.threads", "socket.request.max.bytes",
            "socket.send.buffer.bytes", "socket.receive.buffer.bytes", "max.connections", "max.connections.per.ip",
            "connections.max.idle.ms", "fetch.max.bytes", "log.retention.check.interval.ms",
            "log.flush.scheduler.interval.ms", "log.flush.offset.checkpoint.interval.ms",
            "replica.high.watermark.checkpoint.interval.ms", "offsets.topic.replication.factor",
            "offsets.topic.num.partitions", "offsets.retention.minutes", "offsets.retention.check.interval.ms",
            "transaction.state.log.replication.factor", "transaction.state.log.min.isr",
            "transaction.max.timeout.ms", "transactional.id.expiration.ms", "producer.id.expiration.ms",
            "group.initial.rebalance.delay.ms", "group.min.session.timeout.ms", "group.max.session.timeout.ms",
            "group.max.size", "sasl.enabled.mechanisms", "super.users", "authorizer.class.name");

    private BrokerConfigKeys() {
    }

    /** Kafka's default of every broker key the broker knows one for. */
    static Map<String, String> defaults() {
        Map<String, String> defaults = new HashMap<>(OTHER_DEFAULTS);
        for (TopicConfigKey key : TopicConfigKeys.all()) {
            for (BrokerSynonym synonym : key.synonyms()) {
                if (synonym.defaultValue() != null) {
                    defaults.put(synonym.key(), synonym.defaultValue());
                }
            }
        }
        return defaults;
    }

    static ConfigType typeOf(String brokerKey) {
        if (isSensitive(brokerKey)) {
            return ConfigType.PASSWORD;
        }
        ConfigType other = OTHER_TYPES.get(brokerKey);
        if (other != null) {
            return other;
        }
        for (TopicConfigKey key : TopicConfigKeys.all()) {
            for (BrokerSynonym synonym : key.synonyms()) {
                if (synonym.key().equals(brokerKey)) {
                    return synonym.multiplier() == 1 ? key.type() : ConfigType.INT;
                }
            }
        }
        return ConfigType.STRING;
    }

    /** Whether a change of this key is applied at runtime. */
    static boolean isDynamic(String brokerKey) {
        return TopicConfigKeys.all().stream()
                .anyMatch(key -> !key.synonyms().isEmpty() && key.synonyms().getFirst().key().equals(brokerKey));
    }

    /** Whether this is a broker key at all (dynamic or not). */
    static boolean isKnown(String brokerKey, Map<String, String> staticConfig) {
        return STATIC_KEYS.contains(brokerKey) || staticConfig.containsKey(brokerKey)
                || topicKeyOf(brokerKey).isPresent();
    }

    /** The topic config whose broker default this key gives. */
    static Optional<TopicConfigKey> topicKeyOf(String brokerKey) {
        return TopicConfigKeys.all().stream()
                .filter(key -> key.synonyms().stream().anyMatch(s -> s.key().equals(brokerKey)))
                .findFirst();
    }

    /** The synonym group of a broker key, most specific first; just the key when it has none. */
    static List<String> synonymsOf(String brokerKey) {
        return topicKeyOf(brokerKey)
                .map(key -> key.synonyms().stream().map(BrokerSynonym::key).toList())
                .orElse(List.of(brokerKey));
    }

    /** Keys whose values are secrets, as Kafka's PASSWORD-typed keys and JAAS configurations. */
    static boolean isSensitive(String key) {
        String k = key.toLowerCase(Locale.ROOT);
        return k.contains("password") || k.contains("secret") || k.endsWith("jaas.config")
                || k.endsWith(".key") || k.contains("credential");
    }
}
