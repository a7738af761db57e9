package io.memorystreamer.transport.netty.internal;

import java.net.InetSocketAddress;
import java.net.SocketAddress;

/** Formats socket addresses for log lines and connection ids, without reverse lookups. */
final class Addresses {

    private Addresses() {
    }

    static String format(SocketAddress address) {
        if (address instanceof InetSocketAddress inet) {
            String host = inet.getHostString();
            return (host.contains(":") ? "[" + host + "]" : host) + ":" + inet.getPort();
        }
        return String.valueOf(address);
    }
}
