package io.memorystreamer.transport.netty.internal;

import io.memorystreamer.spi.transport.SecurityProtocol;
import java.util.List;
import java.util.Map;

/**
 * The transport's settings, parsed from Kafka's {@code server.properties} keys.
 *
 * @param listeners the listeners to bind, in configuration order
 * @param networkThreads event loop threads serving connections ({@code num.network.threads})
 * @param maxRequestBytes the largest accepted frame body ({@code socket.request.max.bytes})
 * @param sendBufferBytes {@code SO_SNDBUF}, or -1 for the system default
 * @param receiveBufferBytes {@code SO_RCVBUF}, or -1 for the system default
 * @param maxConnections connections allowed at once over all listeners
 * @param idleTimeoutMs idle connections are closed after this, -1 never
 * @param shutdownTimeoutMs how long a graceful stop waits for in-flight requests
 */
public record TransportConfig(
        List<ListenerConfig> listeners,
        int networkThreads,
        int maxRequestBytes,
        int sendBufferBytes,
        int receiveBufferBytes,
        int maxConnections,
        long idleTimeoutMs,
        long shutdownTimeoutMs) {

    public static final String LISTENERS = "listeners";
    public static final String LISTENER_SECURITY_PROTOCOL_MAP = "listener.security.protocol.map";
    public static final String NUM_NETWORK_THREADS = "num.network.threads";
    public static final String SOCKET_REQUEST_MAX_BYTES = "socket.request.max.bytes";
    public static final String SOCKET_SEND_BUFFER_BYTES = "socket.send.buffer.bytes";
    public static final String SOCKET_RECEIVE_BUFFER_BYTES = "socket.receive.buffer.bytes";
    public static final String MAX_CONNECTIONS = "max.connections";
    public static final String CONNECTIONS_MAX_IDLE_MS = "connections.max.idle.ms";
    public static final String SHUTDOWN_TIMEOUT_MS = "shutdown.timeout.ms";

    static final String DEFAULT_LISTENERS = "PLAINTEXT://:9092";
    static final String DEFAULT_PROTOCOL_MAP =
            "PLAINTEXT:PLAINTEXT,SSL:SSL,SASL_PLAINTEXT:SASL_PLAINTEXT,SASL_SSL:SASL_SSL";

    public TransportConfig {
        listeners = List.copyOf(listeners);
    }

    /**
     * Parses and validates the settings; absent keys take Kafka's defaults.
     *
     * @throws IllegalArgumentException naming the key (or the listener) that is invalid, or a
     *     listener whose security protocol this transport does not support yet
     */
    public static TransportConfig parse(Map<String, ?> properties) {
        ConfigValues values = new ConfigValues(properties);
        Map<String, SecurityProtocol> protocols = ListenersParser.parseProtocolMap(
                values.string(LISTENER_SECURITY_PROTOCOL_MAP, DEFAULT_PROTOCOL_MAP));
        List<ListenerConfig> listeners = ListenersParser.parseListeners(
                values.string(LISTENERS, DEFAULT_LISTENERS), protocols);
        for (ListenerConfig listener : listeners) {
            if (listener.securityProtocol() != SecurityProtocol.PLAINTEXT) {
                throw new IllegalArgumentException("Listener " + listener + " (configuration key '"
                        + LISTENERS + "') uses security protocol " + listener.securityProtocol()
                        + ", but this version of the transport supports only PLAINTEXT listeners");
            }
        }
        return new TransportConfig(
                listeners,
                values.integer(NUM_NETWORK_THREADS, 3, 1, "must be an integer >= 1"),
                values.integer(SOCKET_REQUEST_MAX_BYTES, 104_857_600, 1, "must be an integer >= 1"),
                values.socketBuffer(SOCKET_SEND_BUFFER_BYTES, 102_400),
                values.socketBuffer(SOCKET_RECEIVE_BUFFER_BYTES, 102_400),
                values.integer(MAX_CONNECTIONS, Integer.MAX_VALUE, 0, "must be an integer >= 0"),
                idleTimeout(values),
                values.longValue(SHUTDOWN_TIMEOUT_MS, 30_000, 0, Long.MAX_VALUE, "must be an integer >= 0"));
    }

    private static long idleTimeout(ConfigValues values) {
        String rule = "must be -1 (never) or a number of milliseconds >= 1";
        long value = values.longValue(CONNECTIONS_MAX_IDLE_MS, 600_000, -1, Long.MAX_VALUE, rule);
        if (value == 0) {
            throw ConfigValues.invalid(CONNECTIONS_MAX_IDLE_MS, "0", rule);
        }
        return value;
    }
}
