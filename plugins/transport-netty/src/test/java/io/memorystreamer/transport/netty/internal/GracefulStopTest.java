package io.memorystreamer.transport.netty.internal;

import static io.memorystreamer.transport.netty.internal.RunningServers.port;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.memorystreamer.spi.transport.Reply;
import java.net.ConnectException;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;

class GracefulStopTest {

    private final CompletableFuture<Reply> held = new CompletableFuture<>();
    private final TestFrameHandler handler = new TestFrameHandler(request -> request.equals("slow")
            ? held
            : CompletableFuture.completedFuture(TestFrameHandler.reply(request)));

    private TransportServer start(String shutdownTimeoutMs) {
        Map<String, String> properties = new HashMap<>();
        properties.put(TransportConfig.LISTENERS, "PLAINTEXT://127.0.0.1:0");
        properties.put(TransportConfig.SHUTDOWN_TIMEOUT_MS, shutdownTimeoutMs);
        TransportServer server = new TransportServer(TransportConfig.parse(properties), () -> handler);
        server.start();
        return server;
    }

    @Test
    void stopWaitsForTheInFlightRequestThenClosesConnections() throws Exception {
        // Given a connection with a request in flight
        TransportServer server = start("30000");
        int port = port(server);
        try (FrameClient client = new FrameClient(port); FrameClient idle = new FrameClient(port)) {
            client.send("slow");
            await().until(() -> handler.handled.contains("slow"));

            // When the server is stopped
            AtomicBoolean stoppedAccepting = new AtomicBoolean();
            CompletableFuture<Void> stop = CompletableFuture.runAsync(() -> server.stop(() -> stoppedAccepting.set(true)));

            // Then it stops accepting and drains the handler, but waits for the request
            await().untilTrue(stoppedAccepting);
            await().untilTrue(handler.drained);
            assertThatThrownBy(() -> new FrameClient(port).close()).isInstanceOf(ConnectException.class);
            await().during(Duration.ofMillis(300)).atMost(Duration.ofSeconds(2)).until(() -> !stop.isDone());

            // And once the request completes its reply is delivered before the connections close
            held.complete(TestFrameHandler.reply("done"));
            assertThat(client.receive()).isEqualTo("done");
            stop.get();
            assertThat(client.closedByServer()).isTrue();
            assertThat(idle.closedByServer()).isTrue();
            await().until(() -> handler.closedCalls.size() == 2);
            assertThat(handler.closedCalls.values()).allSatisfy(count -> assertThat(count).hasValue(1));
        }
    }

    @Test
    void stopGivesUpOnRequestsThatOutlastTheShutdownTimeout() throws Exception {
        // Given a request that never completes and a 200 ms shutdown timeout
        TransportServer server = start("200");
        try (FrameClient client = new FrameClient(port(server))) {
            client.send("slow");
            await().until(() -> handler.handled.contains("slow"));

            // When the server is stopped
            server.stop(() -> { });

            // Then the connection is closed anyway
            assertThat(client.closedByServer()).isTrue();
            String id = handler.connectionFrom(client).connectionId();
            await().until(() -> handler.closedCount(id) == 1);
        } finally {
            // A stage completing after the transport stopped has its frame released, not written.
            held.complete(TestFrameHandler.reply("too late"));
        }
    }
}
