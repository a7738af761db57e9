package io.memorystreamer.broker.internal.topic;

import static io.memorystreamer.broker.internal.topic.ConfigValueCheck.bool;
import static io.memorystreamer.broker.internal.topic.ConfigValueCheck.doubleBetween;
import static io.memorystreamer.broker.internal.topic.ConfigValueCheck.intAtLeast;
import static io.memorystreamer.broker.internal.topic.ConfigValueCheck.listOf;
import static io.memorystreamer.broker.internal.topic.ConfigValueCheck.longAtLeast;
import static io.memorystreamer.broker.internal.topic.ConfigValueCheck.oneOf;

import io.memorystreamer.broker.internal.topic.TopicConfigKey.BrokerSynonym;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import org.apache.kafka.common.errors.InvalidConfigurationException;
import org.apache.kafka.common.requests.DescribeConfigsResponse.ConfigType;

/**
 * The topic configuration keys the broker knows, with Kafka's names, types, defaults and broker
 * synonyms. Keys outside this list are rejected with INVALID_CONFIG.
 */
public final class TopicConfigKeys {

    private static final String LONG_MAX = String.valueOf(Long.MAX_VALUE);
    private static final long HOUR_MS = 3_600_000L;
    private static final long MINUTE_MS = 60_000L;

    private static final List<TopicConfigKey> KEYS = List.of(
            // Enforced: they make the LogConfig (with its cleanup policy and compaction settings) and
            // the produce path's EffectiveTopicConfig.
            key("segment.bytes", ConfigType.INT, "1073741824", true, intAtLeast(14),
                    syn("log.segment.bytes", 1, "1073741824")),
            key("segment.ms", ConfigType.LONG, "604800000", true, longAtLeast(1),
                    syn("log.roll.ms", 1, null), syn("log.roll.hours", HOUR_MS, "168")),
            key("retention.ms", ConfigType.LONG, "604800000", true, longAtLeast(-1),
                    syn("log.retention.ms", 1, null), syn("log.retention.minutes", MINUTE_MS, null),
                    syn("log.retention.hours", HOUR_MS, "168")),
            key("retention.bytes", ConfigType.LONG, "-1", true, longAtLeast(-1),
                    syn("log.retention.bytes", 1, "-1")),
            key("flush.messages", ConfigType.LONG, LONG_MAX, true, longAtLeast(1),
                    syn("log.flush.interval.messages", 1, LONG_MAX)),
            key("flush.ms", ConfigType.LONG, LONG_MAX, true, longAtLeast(0),
                    syn("log.flush.interval.ms", 1, null)),
            key("index.interval.bytes", ConfigType.INT, "4096", true, intAtLeast(0),
                    syn("log.index.interval.bytes", 1, "4096")),
            key("segment.index.bytes", ConfigType.INT, "10485760", true, intAtLeast(4096),
                    syn("log.index.size.max.bytes", 1, "10485760")),
            key("max.message.bytes", ConfigType.INT, "1048588", true, intAtLeast(0),
                    syn("message.max.bytes", 1, "1048588")),
            key("message.timestamp.type", ConfigType.STRING, "CreateTime", true, oneOf("CreateTime", "LogAppendTime"),
                    syn("log.message.timestamp.type", 1, "CreateTime")),
            key("cleanup.policy", ConfigType.LIST, "delete", true, listOf("delete", "compact"),
                    syn("log.cleanup.policy", 1, "delete")),
            key("delete.retention.ms", ConfigType.LONG, "86400000", true, longAtLeast(0),
                    syn("log.cleaner.delete.retention.ms", 1, "86400000")),
            key("min.compaction.lag.ms", ConfigType.LONG, "0", true, longAtLeast(0),
                    syn("log.cleaner.min.compaction.lag.ms", 1, "0")),
            key("max.compaction.lag.ms", ConfigType.LONG, LONG_MAX, true, longAtLeast(1),
                    syn("log.cleaner.max.compaction.lag.ms", 1, LONG_MAX)),
            key("min.cleanable.dirty.ratio", ConfigType.DOUBLE, "0.5", true, doubleBetween(0, 1),
                    syn("log.cleaner.min.cleanable.ratio", 1, "0.5")),
            // Accepted and described, not acted on (replication, recompression, preallocation).
            key("compression.type", ConfigType.STRING, "producer", false,
                    oneOf("uncompressed", "zstd", "lz4", "snappy", "gzip", "producer"),
                    syn("compression.type", 1, "producer")),
            key("min.insync.replicas", ConfigType.INT, "1", false, intAtLeast(1),
                    syn("min.insync.replicas", 1, "1")),
            key("unclean.leader.election.enable", ConfigType.BOOLEAN, "false", false, bool(),
                    syn("unclean.leader.election.enable", 1, "false")),
            key("file.delete.delay.ms", ConfigType.LONG, "60000", false, longAtLeast(0),
                    syn("log.segment.delete.delay.ms", 1, "60000")),
            key("segment.jitter.ms", ConfigType.LONG, "0", false, longAtLeast(0),
                    syn("log.roll.jitter.ms", 1, null), syn("log.roll.jitter.hours", HOUR_MS, "0")),
            key("preallocate", ConfigType.BOOLEAN, "false", false, bool(),
                    syn("log.preallocate", 1, "false")),
            key("message.timestamp.before.max.ms", ConfigType.LONG, LONG_MAX, false, longAtLeast(0),
                    syn("log.message.timestamp.before.max.ms", 1, LONG_MAX)),
            key("message.timestamp.after.max.ms", ConfigType.LONG, "3600000", false, longAtLeast(0),
                    syn("log.message.timestamp.after.max.ms", 1, "3600000")));

    private static final Map<String, TopicConfigKey> BY_NAME = byName();

    private TopicConfigKeys() {
    }

    /** Every known key, in a stable order. */
    public static List<TopicConfigKey> all() {
        return KEYS;
    }

    public static Optional<TopicConfigKey> find(String name) {
        return Optional.ofNullable(BY_NAME.get(name));
    }

    /**
     * Validates topic overrides and returns them normalised, sorted by key.
     *
     * @throws InvalidConfigurationException for an unknown key, a null value or an invalid value
     */
    public static Map<String, String> validate(Map<String, String> overrides) {
        Map<String, String> normalised = new TreeMap<>();
        List<String> nulls = new ArrayList<>();
        for (Map.Entry<String, String> e : overrides.entrySet()) {
            TopicConfigKey key = BY_NAME.get(e.getKey());
            if (key == null) {
                throw new InvalidConfigurationException("Unknown topic config name: " + e.getKey());
            }
            if (e.getValue() == null) {
                nulls.add(e.getKey());
                continue;
            }
            normalised.put(key.name(), key.check().check(key.name(), e.getValue()));
        }
        if (!nulls.isEmpty()) {
            throw new InvalidConfigurationException("Null value not supported for topic configs: " + String.join(",", nulls));
        }
        return normalised;
    }

    private static TopicConfigKey key(String name, ConfigType type, String defaultValue, boolean enforced,
            ConfigValueCheck check, BrokerSynonym... synonyms) {
        return new TopicConfigKey(name, type, defaultValue, List.of(synonyms), enforced, check);
    }

    private static BrokerSynonym syn(String key, long multiplier, String defaultValue) {
        return new BrokerSynonym(key, multiplier, defaultValue);
    }

    private static Map<String, TopicConfigKey> byName() {
        Map<String, TopicConfigKey> map = new LinkedHashMap<>();
        for (TopicConfigKey key : KEYS) {
            map.put(key.name(), key);
        }
        return Map.copyOf(map);
    }
}
