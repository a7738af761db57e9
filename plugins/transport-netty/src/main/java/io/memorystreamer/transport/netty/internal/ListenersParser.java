package io.memorystreamer.transport.netty.internal;

import io.memorystreamer.spi.transport.SecurityProtocol;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Parses Kafka's {@code listeners} and {@code listener.security.protocol.map} values. Errors are
 * {@link IllegalArgumentException}s whose message names the configuration key.
 */
final class ListenersParser {

    private static final Pattern LISTENER_NAME = Pattern.compile("[A-Za-z0-9_.-]+");

    private ListenersParser() {
    }

    /** Parses {@code NAME:PROTOCOL,...} into an upper-case listener name to protocol map. */
    static Map<String, SecurityProtocol> parseProtocolMap(String value) {
        String key = TransportConfig.LISTENER_SECURITY_PROTOCOL_MAP;
        Map<String, SecurityProtocol> map = new LinkedHashMap<>();
        for (String entry : splitList(value)) {
            int colon = entry.indexOf(':');
            if (colon <= 0 || colon == entry.length() - 1) {
                throw ConfigValues.invalid(key, value, "entry '" + entry + "' is not of the form NAME:PROTOCOL");
            }
            String name = entry.substring(0, colon).trim().toUpperCase(Locale.ROOT);
            String protocol = entry.substring(colon + 1).trim().toUpperCase(Locale.ROOT);
            if (!LISTENER_NAME.matcher(name).matches()) {
                throw ConfigValues.invalid(key, value, "'" + name + "' is not a valid listener name");
            }
            try {
                map.put(name, SecurityProtocol.valueOf(protocol));
            } catch (IllegalArgumentException e) {
                throw ConfigValues.invalid(key, value, "unknown security protocol '" + protocol
                        + "' (expected one of PLAINTEXT, SSL, SASL_PLAINTEXT, SASL_SSL)");
            }
        }
        return map;
    }

    /** Parses {@code NAME://host:port,...}, in configuration order. */
    static List<ListenerConfig> parseListeners(String value, Map<String, SecurityProtocol> protocols) {
        String key = TransportConfig.LISTENERS;
        List<String> entries = splitList(value);
        if (entries.isEmpty()) {
            throw ConfigValues.invalid(key, value, "at least one listener is required");
        }
        List<ListenerConfig> listeners = new ArrayList<>();
        Set<String> names = new HashSet<>();
        Set<Integer> ports = new HashSet<>();
        for (String entry : entries) {
            ListenerConfig listener = parseListener(entry, value, protocols);
            if (!names.add(listener.name())) {
                throw ConfigValues.invalid(key, value, "listener name " + listener.name() + " is used twice");
            }
            if (listener.port() != 0 && !ports.add(listener.port())) {
                throw ConfigValues.invalid(key, value, "port " + listener.port() + " is used by two listeners");
            }
            listeners.add(listener);
        }
        return List.copyOf(listeners);
    }

    private static ListenerConfig parseListener(String entry, String value, Map<String, SecurityProtocol> protocols) {
        String key = TransportConfig.LISTENERS;
        int separator = entry.indexOf("://");
        if (separator <= 0) {
            throw ConfigValues.invalid(key, value, "'" + entry + "' is not of the form NAME://host:port");
        }
        String name = entry.substring(0, separator).toUpperCase(Locale.ROOT);
        if (!LISTENER_NAME.matcher(name).matches()) {
            throw ConfigValues.invalid(key, value, "'" + name + "' is not a valid listener name");
        }
        String hostAndPort = entry.substring(separator + 3);
        String host;
        String port;
        if (hostAndPort.startsWith("[")) {
            int close = hostAndPort.indexOf(']');
            if (close < 0 || close + 1 >= hostAndPort.length() || hostAndPort.charAt(close + 1) != ':') {
                throw ConfigValues.invalid(key, value, "'" + entry + "' is not of the form NAME://[ipv6]:port");
            }
            host = hostAndPort.substring(1, close);
            port = hostAndPort.substring(close + 2);
        } else {
            int colon = hostAndPort.lastIndexOf(':');
            if (colon < 0) {
                throw ConfigValues.invalid(key, value, "'" + entry + "' has no port");
            }
            host = hostAndPort.substring(0, colon);
            port = hostAndPort.substring(colon + 1);
            if (host.contains(":")) {
                throw ConfigValues.invalid(key, value, "IPv6 address in '" + entry + "' must be in brackets, as in [::1]");
            }
        }
        int portNumber = parsePort(port, entry, value);
        SecurityProtocol protocol = protocols.get(name);
        if (protocol == null) {
            throw new IllegalArgumentException("Listener " + entry + " (configuration key '" + key
                    + "') has no security protocol: add " + name + ":<protocol> to '"
                    + TransportConfig.LISTENER_SECURITY_PROTOCOL_MAP + "'");
        }
        return new ListenerConfig(name, protocol, host, portNumber);
    }

    private static int parsePort(String port, String entry, String value) {
        try {
            int p = Integer.parseInt(port);
            if (p >= 0 && p <= 65535) {
                return p;
            }
        } catch (NumberFormatException e) {
            // reported below
        }
        throw ConfigValues.invalid(TransportConfig.LISTENERS, value,
                "'" + port + "' in '" + entry + "' is not a port within 0..65535");
    }

    private static List<String> splitList(String value) {
        List<String> items = new ArrayList<>();
        for (String item : value.split(",")) {
            String trimmed = item.trim();
            if (!trimmed.isEmpty()) {
                items.add(trimmed);
            }
        }
        return items;
    }
}
