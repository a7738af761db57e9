package io.memorystreamer.transport.netty.internal;

import static io.memorystreamer.transport.netty.internal.RunningServers.port;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.memorystreamer.spi.transport.ConnectionInfo;
import io.memorystreamer.spi.transport.Endpoint;
import io.memorystreamer.spi.transport.FrameHandler;
import io.memorystreamer.spi.transport.SecurityProtocol;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class ConnectionLifecycleTest {

    private final RunningServers servers = new RunningServers();

    @AfterEach
    void tearDown() {
        servers.close();
    }

    @Test
    void connectionInfoDescribesTheConnection() throws Exception {
        // Given a server
        TestFrameHandler handler = TestFrameHandler.echo();
        TransportServer server = servers.start(handler);

        // When two clients connect and send a request
        try (FrameClient first = new FrameClient(port(server)); FrameClient second = new FrameClient(port(server))) {
            first.send("echo:1");
            second.send("echo:2");
            first.receive();
            second.receive();

            // Then each connection has a unique id, the listener, its protocol and both addresses
            ConnectionInfo info = handler.connectionFrom(first);
            assertThat(info.listenerName()).isEqualTo("PLAINTEXT");
            assertThat(info.securityProtocol()).isEqualTo(SecurityProtocol.PLAINTEXT);
            assertThat(info.localAddress().getPort()).isEqualTo(port(server));
            assertThat(info.remoteAddress().getPort()).isEqualTo(first.localPort());
            assertThat(info.connectionId()).startsWith("127.0.0.1:" + port(server) + "-127.0.0.1:" + first.localPort() + "-");
            assertThat(handler.connectionFrom(second).connectionId()).isNotEqualTo(info.connectionId());
        }
    }

    @Test
    void handlerIsToldOnceWhenTheClientDisconnects() throws Exception {
        // Given an open connection
        TestFrameHandler handler = TestFrameHandler.echo();
        TransportServer server = servers.start(handler);
        FrameClient client = new FrameClient(port(server));
        client.send("echo:hi");
        client.receive();
        String id = handler.connectionFrom(client).connectionId();

        // When the client closes it
        client.close();

        // Then the handler is told exactly once
        await().until(() -> handler.closedCount(id) == 1);
        await().during(Duration.ofMillis(200)).atMost(Duration.ofSeconds(2)).until(() -> handler.closedCount(id) == 1);
    }

    @Test
    void idleConnectionIsClosed() throws Exception {
        // Given a server closing connections idle for 200 ms
        TestFrameHandler handler = TestFrameHandler.echo();
        TransportServer server = servers.start(handler, TransportConfig.CONNECTIONS_MAX_IDLE_MS, "200");
        try (FrameClient client = new FrameClient(port(server))) {
            client.send("echo:hi");
            assertThat(client.receive()).isEqualTo("hi");

            // When the client stays silent
            // Then the server closes the connection
            assertThat(client.closedByServer()).isTrue();
        }
    }

    @Test
    void connectionsBeyondMaxConnectionsAreClosed() throws Exception {
        // Given a server allowing one connection, which is open
        TestFrameHandler handler = TestFrameHandler.echo();
        TransportServer server = servers.start(handler, TransportConfig.MAX_CONNECTIONS, "1");
        try (FrameClient first = new FrameClient(port(server))) {
            first.send("echo:first");
            assertThat(first.receive()).isEqualTo("first");

            // When a second client connects
            try (FrameClient second = new FrameClient(port(server))) {
                // Then it is closed while the first keeps working
                assertThat(second.closedByServer()).isTrue();
            }
            first.send("echo:again");
            assertThat(first.receive()).isEqualTo("again");
        }
        assertThat(handler.opened).hasSize(1);
    }

    @Test
    void slotFreedByAClosedConnectionIsReused() throws Exception {
        // Given a server allowing one connection
        TestFrameHandler handler = TestFrameHandler.echo();
        TransportServer server = servers.start(handler, TransportConfig.MAX_CONNECTIONS, "1");
        try (FrameClient first = new FrameClient(port(server))) {
            first.send("echo:first");
            first.receive();
        }
        await().until(() -> handler.closedCalls.size() == 1);

        // When another client connects after the first left
        try (FrameClient second = new FrameClient(port(server))) {
            second.send("echo:second");

            // Then it is served
            assertThat(second.receive()).isEqualTo("second");
        }
    }

    @Test
    void connectionAcceptedWithoutAFrameHandlerIsClosed() throws Exception {
        // Given a server whose frame handler is not bound
        AtomicReference<FrameHandler> bound = new AtomicReference<>();
        TransportServer server = servers.start(bound::get, IoTransport.best());
        try (FrameClient client = new FrameClient(port(server))) {
            // When a client connects
            // Then it is closed
            assertThat(client.closedByServer()).isTrue();
        }

        // And when a handler is bound later, new connections use it
        bound.set(TestFrameHandler.echo());
        try (FrameClient client = new FrameClient(port(server))) {
            client.send("echo:served");
            assertThat(client.receive()).isEqualTo("served");
        }
    }

    @Test
    void existingConnectionKeepsItsHandlerWhenTheServiceIsReplaced() throws Exception {
        // Given a connection opened with one frame handler
        TestFrameHandler original = TestFrameHandler.echo();
        AtomicReference<FrameHandler> bound = new AtomicReference<>(original);
        TransportServer server = servers.start(bound::get, IoTransport.best());
        try (FrameClient old = new FrameClient(port(server))) {
            old.send("echo:before");
            old.receive();

            // When the service is replaced and a new client connects
            TestFrameHandler replacement = TestFrameHandler.echo();
            bound.set(replacement);
            try (FrameClient fresh = new FrameClient(port(server))) {
                old.send("echo:old");
                fresh.send("echo:new");
                old.receive();
                fresh.receive();

                // Then each connection's requests go to the handler it was opened with
                assertThat(original.handled).containsExactly("echo:before", "echo:old");
                assertThat(replacement.handled).containsExactly("echo:new");
            }
        }
    }

    @Test
    void ephemeralPortsAreReportedThroughTheEndpoints() throws Exception {
        // Given two listeners on port 0, one with a custom name mapped to PLAINTEXT
        TransportServer server = servers.start(TestFrameHandler.echo(),
                TransportConfig.LISTENERS, "PLAINTEXT://127.0.0.1:0,INTERNAL://localhost:0",
                TransportConfig.LISTENER_SECURITY_PROTOCOL_MAP, "PLAINTEXT:PLAINTEXT,INTERNAL:PLAINTEXT");

        // When the endpoints are read
        List<Endpoint> endpoints = server.endpoints();

        // Then they are in configuration order with the real ports, and both accept requests
        assertThat(endpoints).extracting(Endpoint::listenerName).containsExactly("PLAINTEXT", "INTERNAL");
        assertThat(endpoints).extracting(Endpoint::host).containsExactly("127.0.0.1", "localhost");
        assertThat(endpoints).allSatisfy(endpoint -> assertThat(endpoint.port()).isPositive());
        assertThat(endpoints.get(0).toString()).isEqualTo("PLAINTEXT://127.0.0.1:" + endpoints.get(0).port());
        for (Endpoint endpoint : endpoints) {
            try (FrameClient client = new FrameClient(endpoint.host(), endpoint.port())) {
                client.send("echo:" + endpoint.listenerName());
                assertThat(client.receive()).isEqualTo(endpoint.listenerName());
            }
        }
    }

    @Test
    void listenerOnAPortInUseFailsToStartAndReleasesTheOthers() {
        // Given a running server's port
        TransportServer running = servers.start(TestFrameHandler.echo());
        int taken = port(running);

        // When a second server wants a free port and the taken one
        TransportServer second = new TransportServer(TransportConfig.parse(Map.of(
                TransportConfig.LISTENERS, "FIRST://127.0.0.1:0,SECOND://127.0.0.1:" + taken,
                TransportConfig.LISTENER_SECURITY_PROTOCOL_MAP, "FIRST:PLAINTEXT,SECOND:PLAINTEXT")),
                TestFrameHandler::echo);

        // Then starting fails naming the listener
        assertThatThrownBy(second::start)
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("SECOND://127.0.0.1:" + taken);
    }
}
