package io.memorystreamer.broker.internal.group;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The settings of the consumer group protocol (KIP-848), read with Kafka's key names and defaults.
 *
 * @param enabled whether {@code group.coordinator.rebalance.protocols} lists {@code consumer}:
 *     otherwise ConsumerGroupHeartbeat and ConsumerGroupDescribe are not served
 * @param heartbeatIntervalMs {@code group.consumer.heartbeat.interval.ms}: how often members heartbeat
 * @param sessionTimeoutMs {@code group.consumer.session.timeout.ms}: a member without a heartbeat for
 *     this long is removed
 * @param maxSize {@code group.consumer.max.size}
 * @param assignors the names of {@code group.consumer.assignors} in order; the first is the default
 */
record ConsumerGroupConfig(boolean enabled, int heartbeatIntervalMs, int sessionTimeoutMs, int maxSize,
        List<String> assignors) {

    static final String PROTOCOLS = "group.coordinator.rebalance.protocols";
    static final String HEARTBEAT_INTERVAL = "group.consumer.heartbeat.interval.ms";
    static final String MIN_HEARTBEAT_INTERVAL = "group.consumer.min.heartbeat.interval.ms";
    static final String MAX_HEARTBEAT_INTERVAL = "group.consumer.max.heartbeat.interval.ms";
    static final String SESSION_TIMEOUT = "group.consumer.session.timeout.ms";
    static final String MIN_SESSION_TIMEOUT = "group.consumer.min.session.timeout.ms";
    static final String MAX_SESSION_TIMEOUT = "group.consumer.max.session.timeout.ms";
    static final String MAX_SIZE = "group.consumer.max.size";
    static final String ASSIGNORS = "group.consumer.assignors";

    ConsumerGroupConfig {
        assignors = List.copyOf(assignors);
    }

    /**
     * @throws IllegalArgumentException naming the key of a value that is not a number, is out of
     *     its bounds, or names an unknown assignor
     */
    static ConsumerGroupConfig from(Map<String, String> raw) {
        String protocols = raw.getOrDefault(PROTOCOLS, "classic,consumer");
        boolean enabled = List.of(protocols.toLowerCase(Locale.ROOT).split("\\s*,\\s*")).contains("consumer");
        int heartbeat = bounded(raw, HEARTBEAT_INTERVAL, 5_000, MIN_HEARTBEAT_INTERVAL, 5_000,
                MAX_HEARTBEAT_INTERVAL, 15_000);
        int session = bounded(raw, SESSION_TIMEOUT, 45_000, MIN_SESSION_TIMEOUT, 45_000, MAX_SESSION_TIMEOUT, 60_000);
        if (heartbeat >= session) {
            throw new IllegalArgumentException("Invalid value " + heartbeat + " for configuration " + HEARTBEAT_INTERVAL
                    + ": must be less than " + SESSION_TIMEOUT + " (" + session + ")");
        }
        int maxSize = GroupConfig.intValue(raw, MAX_SIZE, Integer.MAX_VALUE, 1);
        return new ConsumerGroupConfig(enabled, heartbeat, session, maxSize,
                assignorNames(raw.getOrDefault(ASSIGNORS, "uniform,range")));
    }

    /** The default assignor: the first configured. */
    String defaultAssignor() {
        return assignors.getFirst();
    }

    private static int bounded(Map<String, String> raw, String key, int defaultValue, String minKey, int minDefault,
            String maxKey, int maxDefault) {
        int min = GroupConfig.intValue(raw, minKey, minDefault, 1);
        int max = GroupConfig.intValue(raw, maxKey, maxDefault, 1);
        int value = GroupConfig.intValue(raw, key, defaultValue, 1);
        if (value < min || value > max) {
            throw new IllegalArgumentException("Invalid value " + value + " for configuration " + key
                    + ": must be between " + minKey + " (" + min + ") and " + maxKey + " (" + max + ")");
        }
        return value;
    }

    /** Short names, or Kafka's assignor class names (any package) for the same assignors. */
    private static List<String> assignorNames(String text) {
        List<String> names = new ArrayList<>();
        for (String entry : text.split(",")) {
            String name = entry.trim();
            if (name.isEmpty()) {
                continue;
            }
            String simple = name.substring(name.lastIndexOf('.') + 1);
            String resolved = switch (simple) {
                case UniformAssignor.NAME, "UniformAssignor" -> UniformAssignor.NAME;
                case RangeAssignor.NAME, "RangeAssignor" -> RangeAssignor.NAME;
                default -> throw new IllegalArgumentException("Invalid value " + text + " for configuration " + ASSIGNORS
                        + ": unknown assignor " + name + " (known: uniform, range)");
            };
            if (!names.contains(resolved)) {
                names.add(resolved);
            }
        }
        if (names.isEmpty()) {
            throw new IllegalArgumentException("Invalid value " + text + " for configuration " + ASSIGNORS
                    + ": at least one assignor is needed");
        }
        return names;
    }
}
