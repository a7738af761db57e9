package io.memorystreamer.kernel.config;

import static io.memorystreamer.kernel.config.ConfigKey.directories;
import static io.memorystreamer.kernel.config.ConfigKey.key;
import static io.memorystreamer.kernel.config.ValueRule.bool;
import static io.memorystreamer.kernel.config.ValueRule.intAtLeast;
import static io.memorystreamer.kernel.config.ValueRule.listOf;
import static io.memorystreamer.kernel.config.ValueRule.listeners;
import static io.memorystreamer.kernel.config.ValueRule.longAtLeast;
import static io.memorystreamer.kernel.config.ValueRule.longBetween;
import static io.memorystreamer.kernel.config.ValueRule.oneOf;
import static io.memorystreamer.kernel.config.ValueRule.protocolMap;
import static io.memorystreamer.kernel.config.ValueRule.text;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * Every key {@code server.properties} accepts: Kafka's names, defaults and ranges, plus a few of
 * MemoryStreamer's own. A key missing here is refused at startup, so a plugin that needs a new key
 * adds one line here.
 */
public final class ServerConfigSchema {

    /** The ConfigAdmin PID under which the effective configuration is published. */
    public static final String PID = "io.memorystreamer.server";

    public static final String LISTENERS = "listeners";
    public static final String ADVERTISED_LISTENERS = "advertised.listeners";
    public static final String LISTENER_SECURITY_PROTOCOL_MAP = "listener.security.protocol.map";
    public static final String LOG_DIRS = "log.dirs";
    public static final String LOG_DIR = "log.dir";
    public static final String PLUGIN_DIR_POLL_INTERVAL_MS = "plugin.dir.poll.interval.ms";
    public static final String STARTUP_TIMEOUT_MS = "startup.timeout.ms";
    public static final String SHUTDOWN_TIMEOUT_MS = "shutdown.timeout.ms";

    private static final String MAX_INT = String.valueOf(Integer.MAX_VALUE);
    private static final String MAX_LONG = String.valueOf(Long.MAX_VALUE);

    private static final List<ConfigKey> KEYS = List.of(
            // Identity and network
            key("node.id", "1", intAtLeast(0)),
            key(LISTENERS, "PLAINTEXT://localhost:9092", listeners()),
            key(ADVERTISED_LISTENERS, null, listeners()),
            key(LISTENER_SECURITY_PROTOCOL_MAP,
                    "PLAINTEXT:PLAINTEXT,SSL:SSL,SASL_PLAINTEXT:SASL_PLAINTEXT,SASL_SSL:SASL_SSL", protocolMap()),
            key("num.network.threads", "3", intAtLeast(1)),
            key("num.io.threads", "8", intAtLeast(1)),
            key("socket.request.max.bytes", "104857600", intAtLeast(1)),
            key("socket.send.buffer.bytes", "102400", intAtLeast(-1)),
            key("socket.receive.buffer.bytes", "102400", intAtLeast(-1)),
            key("max.connections", MAX_INT, intAtLeast(0)),
            key("connections.max.idle.ms", "600000", longAtLeast(-1)),
            key("message.max.bytes", "1048588", intAtLeast(0)),
            key("fetch.max.bytes", "57671680", intAtLeast(1024)),
            // Topics
            key("auto.create.topics.enable", "true", bool()),
            key("num.partitions", "1", intAtLeast(1)),
            key("default.replication.factor", "1", intAtLeast(1)),
            key("delete.topic.enable", "true", bool()),
            // Logs (a relative directory is under the distribution home)
            directories(LOG_DIRS, "data"),
            directories(LOG_DIR, null),
            directories("state.dir", null),
            key("log.segment.bytes", "1073741824", intAtLeast(14)),
            key("log.roll.ms", null, longAtLeast(1)),
            key("log.roll.hours", "168", intAtLeast(1)),
            key("log.retention.ms", null, longAtLeast(-1)),
            key("log.retention.minutes", null, intAtLeast(-1)),
            key("log.retention.hours", "168", intAtLeast(-1)),
            key("log.retention.bytes", "-1", longAtLeast(-1)),
            key("log.retention.check.interval.ms", "300000", longAtLeast(1)),
            key("log.flush.interval.messages", MAX_LONG, longAtLeast(1)),
            key("log.flush.interval.ms", null, longAtLeast(0)),
            // Kafka's default (never) silently disables flush.ms; checking every second costs nothing.
            key("log.flush.scheduler.interval.ms", "1000", longAtLeast(0)),
            key("replica.high.watermark.checkpoint.interval.ms", "5000", longAtLeast(1)),
            key("log.index.interval.bytes", "4096", intAtLeast(0)),
            key("log.index.size.max.bytes", "10485760", intAtLeast(4)),
            key("log.segment.delete.delay.ms", "60000", longAtLeast(0)),
            key("log.message.timestamp.type", "CreateTime", oneOf("CreateTime", "LogAppendTime")),
            key("log.cleanup.policy", "delete", listOf("delete", "compact")),
            // Log compaction (the cleaner) and its topic defaults
            key("log.cleaner.enable", "true", bool()),
            key("log.cleaner.threads", "1", intAtLeast(1)),
            key("log.cleaner.backoff.ms", "15000", longAtLeast(1)),
            key("log.cleaner.dedupe.buffer.size", "134217728", longAtLeast(1024)),
            key("log.cleaner.io.buffer.size", "524288", intAtLeast(1024)),
            key("log.cleaner.io.buffer.load.factor", "0.9", new ValueRule("a number > 0 and <= 1",
                    v -> v.matches("[0-9]*\\.?[0-9]+") && Double.parseDouble(v) > 0 && Double.parseDouble(v) <= 1)),
            key("log.cleaner.delete.retention.ms", "86400000", longAtLeast(0)),
            key("log.cleaner.min.cleanable.ratio", "0.5", new ValueRule("a number between 0 and 1",
                    v -> v.matches("[0-9]*\\.?[0-9]+") && Double.parseDouble(v) <= 1)),
            key("log.cleaner.min.compaction.lag.ms", "0", longAtLeast(0)),
            key("log.cleaner.max.compaction.lag.ms", MAX_LONG, longAtLeast(1)),
            key("producer.id.expiration.ms", "86400000", intAtLeast(1)),
            // Accepted so that common Kafka configurations start unchanged
            key("offsets.topic.replication.factor", "3", intAtLeast(1)),
            key("offsets.topic.num.partitions", "50", intAtLeast(1)),
            key("transaction.state.log.replication.factor", "3", intAtLeast(1)),
            key("transaction.state.log.min.isr", "2", intAtLeast(1)),
            // Transactions
            key("transaction.max.timeout.ms", "900000", intAtLeast(1)),
            key("transactional.id.expiration.ms", "604800000", intAtLeast(1)),
            key("transaction.abort.timed.out.transaction.cleanup.interval.ms", "10000", intAtLeast(1)),
            key("transaction.remove.expired.transaction.cleanup.interval.ms", "3600000", intAtLeast(1)),
            key("transaction.partition.verification.enable", "true", bool()),
            key("group.initial.rebalance.delay.ms", "3000", intAtLeast(0)),
            // Consumer groups and committed offsets
            key("group.min.session.timeout.ms", "6000", intAtLeast(0)),
            key("group.max.session.timeout.ms", "1800000", intAtLeast(0)),
            key("group.max.size", MAX_INT, intAtLeast(1)),
            key("offsets.retention.minutes", "10080", intAtLeast(1)),
            key("offsets.retention.check.interval.ms", "600000", longAtLeast(1)),
            // Consumer group protocol (KIP-848)
            key("group.coordinator.rebalance.protocols", "classic,consumer",
                    listOf("classic", "consumer", "share", "streams")),
            key("group.consumer.heartbeat.interval.ms", "5000", intAtLeast(1)),
            key("group.consumer.min.heartbeat.interval.ms", "5000", intAtLeast(1)),
            key("group.consumer.max.heartbeat.interval.ms", "15000", intAtLeast(1)),
            key("group.consumer.session.timeout.ms", "45000", intAtLeast(1)),
            key("group.consumer.min.session.timeout.ms", "45000", intAtLeast(1)),
            key("group.consumer.max.session.timeout.ms", "60000", intAtLeast(1)),
            key("group.consumer.assignors", "uniform,range", text()),
            key("group.consumer.max.size", MAX_INT, intAtLeast(1)),
            // MemoryStreamer's own
            key(PLUGIN_DIR_POLL_INTERVAL_MS, "2000", longBetween(50, 3_600_000)),
            key(STARTUP_TIMEOUT_MS, "30000", longBetween(1, 3_600_000)),
            key(SHUTDOWN_TIMEOUT_MS, "30000", longBetween(1, 3_600_000)));

    private static final Map<String, ConfigKey> BY_NAME =
            KEYS.stream().collect(Collectors.toUnmodifiableMap(ConfigKey::name, Function.identity()));

    private ServerConfigSchema() {
    }

    /** All keys, in documentation order. */
    public static List<ConfigKey> keys() {
        return KEYS;
    }

    /** The key named {@code name}, if the schema knows it. */
    public static Optional<ConfigKey> find(String name) {
        return Optional.ofNullable(BY_NAME.get(name));
    }
}
