package io.memorystreamer.broker.internal;

/**
 * Reads {@link BrokerSettings} from the server configuration, with Kafka's defaults for absent keys.
 */
public final class BrokerSettingsParser {

    /** Kafka's {@code message.max.bytes} default: 1 MiB plus the record batch overhead. */
    public static final int DEFAULT_MESSAGE_MAX_BYTES = 1024 * 1024 + 12;
    /** Kafka's {@code producer.id.expiration.ms} default: one day. */
    public static final long DEFAULT_PRODUCER_ID_EXPIRATION_MS = 86_400_000L;

    private BrokerSettingsParser() {
    }

    /**
     * Parses the broker settings.
     *
     * @throws IllegalArgumentException naming the key of an invalid value
     */
    public static BrokerSettings parse(ServerProperties properties) {
        String timestampType = properties.getString("log.message.timestamp.type", "CreateTime");
        if (!timestampType.equals("CreateTime") && !timestampType.equals("LogAppendTime")) {
            throw new IllegalArgumentException("Invalid value " + timestampType
                    + " for configuration log.message.timestamp.type: String must be one of: CreateTime, LogAppendTime");
        }
        return new BrokerSettings(
                properties.getInt("node.id", 1, 0),
                properties.getInt("message.max.bytes", DEFAULT_MESSAGE_MAX_BYTES, 0),
                timestampType.equals("LogAppendTime"),
                properties.getBoolean("auto.create.topics.enable", true),
                properties.getInt("num.partitions", 1, 1),
                properties.getInt("num.io.threads", 8, 1),
                properties.getLong("producer.id.expiration.ms", DEFAULT_PRODUCER_ID_EXPIRATION_MS),
                properties.asMap());
    }
}
