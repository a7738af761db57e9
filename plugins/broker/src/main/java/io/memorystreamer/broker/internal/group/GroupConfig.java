package io.memorystreamer.broker.internal.group;

import java.util.Map;

/**
 * The consumer group settings, read from the server configuration with Kafka's key names and
 * defaults.
 *
 * @param minSessionTimeoutMs {@code group.min.session.timeout.ms}
 * @param maxSessionTimeoutMs {@code group.max.session.timeout.ms}
 * @param initialRebalanceDelayMs {@code group.initial.rebalance.delay.ms}: how long a new group
 *     waits for more members before its first generation
 * @param maxSize {@code group.max.size}
 * @param offsetsRetentionMs {@code offsets.retention.minutes} in milliseconds
 * @param retentionCheckIntervalMs {@code offsets.retention.check.interval.ms}
 * @param newMemberJoinTimeoutMs how long a new member's parked JoinGroup may wait (Kafka's fixed
 *     five minutes): a client that gave up must not stay a member forever
 * @param offsetMetadataMaxBytes the longest commit metadata accepted (Kafka's
 *     {@code offset.metadata.max.bytes} default)
 */
record GroupConfig(
        int minSessionTimeoutMs,
        int maxSessionTimeoutMs,
        int initialRebalanceDelayMs,
        int maxSize,
        long offsetsRetentionMs,
        long retentionCheckIntervalMs,
        int newMemberJoinTimeoutMs,
        int offsetMetadataMaxBytes) {

    static final String MIN_SESSION_TIMEOUT = "group.min.session.timeout.ms";
    static final String MAX_SESSION_TIMEOUT = "group.max.session.timeout.ms";
    static final String INITIAL_REBALANCE_DELAY = "group.initial.rebalance.delay.ms";
    static final String MAX_SIZE = "group.max.size";
    static final String RETENTION_MINUTES = "offsets.retention.minutes";
    static final String RETENTION_CHECK_INTERVAL = "offsets.retention.check.interval.ms";

    /**
     * @throws IllegalArgumentException naming the key of a value that is not a number or is out of range
     */
    static GroupConfig from(Map<String, String> raw) {
        return new GroupConfig(
                intValue(raw, MIN_SESSION_TIMEOUT, 6_000, 0),
                intValue(raw, MAX_SESSION_TIMEOUT, 1_800_000, 0),
                intValue(raw, INITIAL_REBALANCE_DELAY, 3_000, 0),
                intValue(raw, MAX_SIZE, Integer.MAX_VALUE, 1),
                intValue(raw, RETENTION_MINUTES, 10_080, 1) * 60_000L,
                longValue(raw, RETENTION_CHECK_INTERVAL, 600_000L, 1),
                5 * 60 * 1000,
                4096);
    }

    static int intValue(Map<String, String> raw, String key, int defaultValue, int min) {
        long value = longValue(raw, key, defaultValue, min);
        if (value > Integer.MAX_VALUE) {
            throw new IllegalArgumentException("Invalid value " + value + " for configuration " + key
                    + ": must be at most " + Integer.MAX_VALUE);
        }
        return (int) value;
    }

    static long longValue(Map<String, String> raw, String key, long defaultValue, long min) {
        String text = raw.get(key);
        if (text == null || text.isBlank()) {
            return defaultValue;
        }
        long value;
        try {
            value = Long.parseLong(text.trim());
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("Invalid value " + text + " for configuration " + key
                    + ": not a number");
        }
        if (value < min) {
            throw new IllegalArgumentException("Invalid value " + text + " for configuration " + key
                    + ": must be at least " + min);
        }
        return value;
    }
}
