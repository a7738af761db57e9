package io.memorystreamer.transport.netty.internal;

import io.memorystreamer.spi.transport.SecurityProtocol;
import java.net.InetSocketAddress;
import java.util.Objects;

/**
 * One entry of the {@code listeners} configuration, with the security protocol the
 * {@code listener.security.protocol.map} gives it.
 *
 * @param name the listener name, upper case, for example {@code PLAINTEXT}
 * @param securityProtocol its security protocol
 * @param host the host or address to bind; empty means every interface
 * @param port the port to bind; 0 asks the system for a free port
 */
public record ListenerConfig(String name, SecurityProtocol securityProtocol, String host, int port) {

    /** The host reported for a listener bound to every interface, as Kafka reports it. */
    static final String ALL_INTERFACES = "0.0.0.0";

    public ListenerConfig {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(securityProtocol, "securityProtocol");
        Objects.requireNonNull(host, "host");
        if (port < 0 || port > 65535) {
            throw new IllegalArgumentException("port must be within 0..65535: " + port);
        }
    }

    /** The socket address to bind (wildcard when no host is configured). */
    public InetSocketAddress bindAddress() {
        return host.isEmpty() ? new InetSocketAddress(port) : new InetSocketAddress(host, port);
    }

    /** The host to report for this listener once bound. */
    public String reportedHost() {
        return host.isEmpty() ? ALL_INTERFACES : host;
    }

    /** The listener in Kafka's {@code listeners} syntax, for messages. */
    @Override
    public String toString() {
        String h = host.contains(":") ? "[" + host + "]" : host;
        return name + "://" + h + ":" + port;
    }
}
