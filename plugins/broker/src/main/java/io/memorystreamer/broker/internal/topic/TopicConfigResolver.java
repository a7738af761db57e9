package io.memorystreamer.broker.internal.topic;

import io.memorystreamer.broker.internal.ServerProperties;
import io.memorystreamer.broker.internal.topic.ResolvedConfig.Synonym;
import io.memorystreamer.broker.internal.topic.TopicConfigKey.BrokerSynonym;
import io.memorystreamer.spi.storage.LogConfig;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.apache.kafka.common.errors.InvalidConfigurationException;
import org.apache.kafka.common.requests.DescribeConfigsResponse.ConfigSource;

/**
 * Resolves topic settings: a topic override wins over the broker's {@code log.*} keys, which win
 * over Kafka's defaults. Immutable and thread-safe.
 */
public final class TopicConfigResolver {

    private final ServerProperties broker;
    /** Each key resolved with no topic override: the broker-wide defaults. */
    private final Map<String, ResolvedConfig> brokerDefaults;

    /**
     * @throws IllegalArgumentException naming the broker key when a broker default is invalid
     */
    public TopicConfigResolver(ServerProperties broker) {
        this.broker = broker;
        Map<String, ResolvedConfig> defaults = new HashMap<>();
        for (TopicConfigKey key : TopicConfigKeys.all()) {
            ResolvedConfig resolved = resolveFromBroker(key);
            defaults.put(key.name(), resolved);
        }
        this.brokerDefaults = Map.copyOf(defaults);
        try {
            logConfig(Map.of());
        } catch (InvalidConfigurationException e) {
            throw new IllegalArgumentException("Invalid broker log default: " + e.getMessage(), e);
        }
    }

    /** The effective value of one key for a topic with these overrides. */
    public ResolvedConfig resolve(TopicConfigKey key, Map<String, String> overrides) {
        ResolvedConfig fromBroker = brokerDefaults.get(key.name());
        String override = overrides.get(key.name());
        if (override == null) {
            return fromBroker;
        }
        List<Synonym> synonyms = new ArrayList<>();
        synonyms.add(new Synonym(key.name(), override, ConfigSource.TOPIC_CONFIG));
        synonyms.addAll(fromBroker.synonyms());
        return new ResolvedConfig(key, override, ConfigSource.TOPIC_CONFIG, synonyms);
    }

    /** Every known key resolved for a topic with these overrides. */
    public List<ResolvedConfig> resolveAll(Map<String, String> overrides) {
        List<ResolvedConfig> all = new ArrayList<>();
        for (TopicConfigKey key : TopicConfigKeys.all()) {
            all.add(resolve(key, overrides));
        }
        return all;
    }

    /**
     * The storage settings of a topic with these (validated) overrides.
     *
     * @throws InvalidConfigurationException when the combination is not a valid log configuration
     */
    public LogConfig logConfig(Map<String, String> overrides) {
        try {
            return new LogConfig(
                    Integer.parseInt(value("segment.bytes", overrides)),
                    Long.parseLong(value("segment.ms", overrides)),
                    Long.parseLong(value("retention.ms", overrides)),
                    Long.parseLong(value("retention.bytes", overrides)),
                    Long.parseLong(value("flush.messages", overrides)),
                    Long.parseLong(value("flush.ms", overrides)),
                    Integer.parseInt(value("index.interval.bytes", overrides)),
                    Integer.parseInt(value("segment.index.bytes", overrides)),
                    cleanup(overrides));
        } catch (IllegalArgumentException e) {
            throw new InvalidConfigurationException(e.getMessage());
        }
    }

    /**
     * The cleanup policy and compaction settings: {@code cleanup.policy} (a list of {@code delete}
     * and {@code compact}), {@code delete.retention.ms}, {@code min.cleanable.dirty.ratio},
     * {@code min.compaction.lag.ms} and {@code max.compaction.lag.ms}.
     *
     * @throws IllegalArgumentException when the policy is empty or the values are out of range
     */
    private LogConfig.Cleanup cleanup(Map<String, String> overrides) {
        List<String> policy = List.of(value("cleanup.policy", overrides).split(",")).stream()
                .map(String::trim).filter(item -> !item.isEmpty()).toList();
        long minLag = Long.parseLong(value("min.compaction.lag.ms", overrides));
        long maxLag = Long.parseLong(value("max.compaction.lag.ms", overrides));
        if (minLag > maxLag) {
            // Kafka refuses this combination too.
            throw new IllegalArgumentException("conflict topic config setting min.compaction.lag.ms (" + minLag
                    + ") > max.compaction.lag.ms (" + maxLag + ")");
        }
        return new LogConfig.Cleanup(
                policy.contains("delete"),
                policy.contains("compact"),
                Long.parseLong(value("delete.retention.ms", overrides)),
                Double.parseDouble(value("min.cleanable.dirty.ratio", overrides)),
                minLag,
                maxLag);
    }

    /** The settings the produce and fetch paths consult for a topic with these overrides. */
    public EffectiveTopicConfig effective(Map<String, String> overrides) {
        return new EffectiveTopicConfig(
                Integer.parseInt(value("max.message.bytes", overrides)),
                value("message.timestamp.type", overrides).equals("LogAppendTime"),
                value("cleanup.policy", overrides).contains("compact"));
    }

    /** The broker key's raw value when the operator (or the kernel's defaults) set it. */
    public Optional<String> brokerValue(String brokerKey) {
        return broker.get(brokerKey);
    }

    private String value(String name, Map<String, String> overrides) {
        String override = overrides.get(name);
        return override != null ? override : brokerDefaults.get(name).value();
    }

    private ResolvedConfig resolveFromBroker(TopicConfigKey key) {
        List<Synonym> synonyms = new ArrayList<>();
        for (BrokerSynonym synonym : key.synonyms()) {
            Optional<String> raw = broker.get(synonym.key());
            if (raw.isPresent()) {
                String value = toTopicValue(key, synonym, raw.get());
                boolean isDefault = raw.get().equals(synonym.defaultValue());
                synonyms.add(new Synonym(synonym.key(), value,
                        isDefault ? ConfigSource.DEFAULT_CONFIG : ConfigSource.STATIC_BROKER_CONFIG));
            } else if (synonym.defaultValue() != null) {
                synonyms.add(new Synonym(synonym.key(), synonym.toTopicValue(synonym.defaultValue()),
                        ConfigSource.DEFAULT_CONFIG));
            }
        }
        if (synonyms.isEmpty()) {
            return new ResolvedConfig(key, key.defaultValue(), ConfigSource.DEFAULT_CONFIG, List.of());
        }
        // A value set by the operator wins over a default, whatever the synonym order says.
        Synonym effective = synonyms.stream()
                .filter(s -> s.source() == ConfigSource.STATIC_BROKER_CONFIG)
                .findFirst()
                .orElse(synonyms.getFirst());
        return new ResolvedConfig(key, effective.value(), effective.source(), synonyms);
    }

    private static String toTopicValue(TopicConfigKey key, BrokerSynonym synonym, String raw) {
        try {
            String converted = synonym.toTopicValue(key.check().check(synonym.key(), raw));
            return key.check().check(key.name(), converted);
        } catch (NumberFormatException | ArithmeticException e) {
            throw new IllegalArgumentException("Invalid value " + raw + " for configuration " + synonym.key(), e);
        } catch (InvalidConfigurationException e) {
            throw new IllegalArgumentException(e.getMessage(), e);
        }
    }
}
