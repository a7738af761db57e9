package io.memorystreamer.transport.netty.internal;

import io.memorystreamer.spi.transport.FrameHandler;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;

/** Starts transport servers on ephemeral loopback ports for a test and stops them afterwards. */
final class RunningServers implements AutoCloseable {

    private final List<TransportServer> servers = new ArrayList<>();

    /** Starts a server with one PLAINTEXT listener on 127.0.0.1 and the given key/value settings. */
    TransportServer start(FrameHandler handler, String... settings) {
        return start(() -> handler, IoTransport.best(), settings);
    }

    TransportServer start(Supplier<FrameHandler> handlers, IoTransport io, String... settings) {
        Map<String, String> properties = new HashMap<>();
        properties.put(TransportConfig.LISTENERS, "PLAINTEXT://127.0.0.1:0");
        for (int i = 0; i < settings.length; i += 2) {
            properties.put(settings[i], settings[i + 1]);
        }
        TransportServer server = new TransportServer(TransportConfig.parse(properties), handlers, io);
        server.start();
        servers.add(server);
        return server;
    }

    static int port(TransportServer server) {
        return server.endpoints().getFirst().port();
    }

    @Override
    public void close() {
        for (TransportServer server : servers) {
            server.stop(() -> { });
        }
    }
}
