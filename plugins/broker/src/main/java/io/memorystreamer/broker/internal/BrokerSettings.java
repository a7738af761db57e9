package io.memorystreamer.broker.internal;

import java.util.Map;

/**
 * Broker-wide settings the protocol handlers consult, parsed once from the server configuration
 * (Kafka key names).
 *
 * @param nodeId {@code node.id}
 * @param messageMaxBytes {@code message.max.bytes}: default largest record batch
 * @param logAppendTime {@code log.message.timestamp.type=LogAppendTime}
 * @param autoCreateTopics {@code auto.create.topics.enable}
 * @param numPartitions {@code num.partitions}: partitions of auto-created topics and of
 *     CreateTopics requests that say -1
 * @param numIoThreads {@code num.io.threads}: request handler threads
 * @param producerIdExpirationMs {@code producer.id.expiration.ms}
 * @param raw every server configuration key, for handlers that need more
 */
public record BrokerSettings(
        int nodeId,
        int messageMaxBytes,
        boolean logAppendTime,
        boolean autoCreateTopics,
        int numPartitions,
        int numIoThreads,
        long producerIdExpirationMs,
        Map<String, String> raw) {

    public BrokerSettings {
        raw = Map.copyOf(raw);
    }
}
