package io.memorystreamer.spi.transport;

import java.util.Objects;

/**
 * An address a listener is bound to.
 *
 * @param listenerName the listener name, for example {@code PLAINTEXT}
 * @param securityProtocol its security protocol
 * @param host the bound host or address
 * @param port the bound port (the real one when the configuration asked for port 0)
 */
public record Endpoint(String listenerName, SecurityProtocol securityProtocol, String host, int port) {

    public Endpoint {
        Objects.requireNonNull(listenerName, "listenerName");
        Objects.requireNonNull(securityProtocol, "securityProtocol");
        Objects.requireNonNull(host, "host");
    }

    /** The endpoint in Kafka's {@code listeners} syntax, for example {@code PLAINTEXT://127.0.0.1:9092}. */
    @Override
    public String toString() {
        String h = host.contains(":") ? "[" + host + "]" : host;
        return listenerName + "://" + h + ":" + port;
    }
}
