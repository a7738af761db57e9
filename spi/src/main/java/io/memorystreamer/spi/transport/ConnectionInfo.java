package io.memorystreamer.spi.transport;

import java.net.InetSocketAddress;
import java.util.Objects;

/**
 * Facts about one accepted connection.
 *
 * @param connectionId unique for the life of the process, for logs
 * @param listenerName the listener that accepted it, for example {@code PLAINTEXT}
 * @param securityProtocol the listener's security protocol
 * @param localAddress the broker address the client connected to
 * @param remoteAddress the client address
 */
public record ConnectionInfo(
        String connectionId,
        String listenerName,
        SecurityProtocol securityProtocol,
        InetSocketAddress localAddress,
        InetSocketAddress remoteAddress) {

    public ConnectionInfo {
        Objects.requireNonNull(connectionId, "connectionId");
        Objects.requireNonNull(listenerName, "listenerName");
        Objects.requireNonNull(securityProtocol, "securityProtocol");
        Objects.requireNonNull(localAddress, "localAddress");
        Objects.requireNonNull(remoteAddress, "remoteAddress");
    }
}
