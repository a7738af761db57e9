package io.memorystreamer.broker.internal.admin;

import io.memorystreamer.spi.transport.ConnectionInfo;
import java.net.InetSocketAddress;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * Where clients should connect to this broker, per listener: the {@code advertised.listeners}
 * entry of the listener a request came in on, or else the address the client reached it at. The
 * address fallback also fills a missing or wildcard host and a port of 0 in an advertised entry.
 * Immutable.
 */
public final class AdvertisedEndpoints {

    /** A host and port for clients. */
    public record HostPort(String host, int port) {
    }

    private final Map<String, HostPort> advertised;

    private AdvertisedEndpoints(Map<String, HostPort> advertised) {
        this.advertised = Map.copyOf(advertised);
    }

    /**
     * Parses {@code advertised.listeners}, for example
     * {@code PLAINTEXT://broker1:9092,SSL://broker1:9093}.
     *
     * @throws IllegalArgumentException naming the key when an entry is malformed
     */
    public static AdvertisedEndpoints parse(Optional<String> advertisedListeners) {
        Map<String, HostPort> map = new LinkedHashMap<>();
        if (advertisedListeners.isPresent()) {
            for (String entry : advertisedListeners.get().split(",")) {
                String e = entry.trim();
                if (e.isEmpty()) {
                    continue;
                }
                int scheme = e.indexOf("://");
                int colon = e.lastIndexOf(':');
                if (scheme <= 0 || colon <= scheme + 2) {
                    throw malformed(e);
                }
                String name = e.substring(0, scheme).toUpperCase(Locale.ROOT);
                String host = e.substring(scheme + 3, colon);
                if (host.startsWith("[") && host.endsWith("]")) {
                    host = host.substring(1, host.length() - 1);
                }
                int port;
                try {
                    port = Integer.parseInt(e.substring(colon + 1));
                } catch (NumberFormatException ex) {
                    throw malformed(e);
                }
                if (port < 0 || port > 65535) {
                    throw malformed(e);
                }
                map.put(name, new HostPort(host, port));
            }
        }
        return new AdvertisedEndpoints(map);
    }

    /** The endpoint to advertise to a client connected through {@code connection}. */
    public HostPort endpointFor(ConnectionInfo connection) {
        InetSocketAddress local = connection.localAddress();
        HostPort configured = advertised.get(connection.listenerName().toUpperCase(Locale.ROOT));
        if (configured == null) {
            return new HostPort(local.getHostString(), local.getPort());
        }
        String host = isWildcard(configured.host()) ? local.getHostString() : configured.host();
        int port = configured.port() == 0 ? local.getPort() : configured.port();
        return new HostPort(host, port);
    }

    private static boolean isWildcard(String host) {
        return host.isEmpty() || host.equals("0.0.0.0") || host.equals("::") || host.equals("0:0:0:0:0:0:0:0");
    }

    private static IllegalArgumentException malformed(String entry) {
        return new IllegalArgumentException("Invalid value " + entry
                + " for configuration advertised.listeners: expected LISTENER_NAME://host:port");
    }
}
