package io.memorystreamer.transport.netty.internal;

import static io.memorystreamer.transport.netty.internal.RunningServers.port;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.ByteBuffer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class FramingTest {

    private final RunningServers servers = new RunningServers();

    @AfterEach
    void tearDown() {
        servers.close();
    }

    @Test
    void oversizedFrameClosesThatConnectionOnly() throws Exception {
        // Given a server accepting frames up to 1024 bytes and two connections
        TestFrameHandler handler = TestFrameHandler.echo();
        TransportServer server = servers.start(handler, TransportConfig.SOCKET_REQUEST_MAX_BYTES, "1024");
        try (LogCapture log = new LogCapture(FrameDecoder.class);
                FrameClient offender = new FrameClient(port(server));
                FrameClient other = new FrameClient(port(server))) {
            // When one announces a 2048-byte frame
            offender.sendRaw(ByteBuffer.allocate(8).putInt(2048).putInt(0).array());

            // Then that connection is closed with a warning naming the limit, and the other keeps working
            assertThat(offender.closedByServer()).isTrue();
            String id = handler.connectionFrom(offender).connectionId();
            await().untilAsserted(() -> assertThat(log.lines()).anySatisfy(line -> assertThat(line).startsWith(
                    "WARN Closing connection " + id + " from 127.0.0.1:").endsWith(
                    ": frame of 2048 bytes exceeds socket.request.max.bytes=1024")));
            other.send("echo:still here");
            assertThat(other.receive()).isEqualTo("still here");
            assertThat(handler.handled).containsExactly("echo:still here");
        }
    }

    @Test
    void frameOfExactlyTheLimitIsAccepted() throws Exception {
        // Given a server accepting frames up to 16 bytes
        TransportServer server = servers.start(TestFrameHandler.echo(), TransportConfig.SOCKET_REQUEST_MAX_BYTES, "16");
        try (FrameClient client = new FrameClient(port(server))) {
            // When a 16-byte frame is sent
            client.send("echo:0123456789A");

            // Then it is answered
            assertThat(client.receive()).isEqualTo("0123456789A");
        }
    }

    @Test
    void negativeFrameSizeClosesTheConnection() throws Exception {
        // Given a connection
        TestFrameHandler handler = TestFrameHandler.echo();
        TransportServer server = servers.start(handler);
        try (FrameClient client = new FrameClient(port(server))) {
            // When it announces a negative frame size
            client.sendRaw(ByteBuffer.allocate(4).putInt(-5).array());

            // Then the connection is closed without the handler seeing a frame
            assertThat(client.closedByServer()).isTrue();
            assertThat(handler.handled).isEmpty();
        }
    }

    @Test
    void frameSplitAcrossWritesIsReassembled() throws Exception {
        // Given a connection
        TransportServer server = servers.start(TestFrameHandler.echo());
        try (FrameClient client = new FrameClient(port(server))) {
            // When a frame arrives in three pieces, the size prefix itself split
            byte[] body = "echo:pieces".getBytes(java.nio.charset.StandardCharsets.UTF_8);
            byte[] frame = ByteBuffer.allocate(4 + body.length).putInt(body.length).put(body).array();
            client.sendRaw(java.util.Arrays.copyOfRange(frame, 0, 2));
            client.sendRaw(java.util.Arrays.copyOfRange(frame, 2, 7));
            client.sendRaw(java.util.Arrays.copyOfRange(frame, 7, frame.length));

            // Then it is handled as one frame
            assertThat(client.receive()).isEqualTo("pieces");
        }
    }

    @Test
    void emptyFrameIsHandled() throws Exception {
        // Given a handler echoing the raw request
        TransportServer server = servers.start(new TestFrameHandler(request ->
                java.util.concurrent.CompletableFuture.completedFuture(TestFrameHandler.reply("got[" + request + "]"))));
        try (FrameClient client = new FrameClient(port(server))) {
            // When a zero-length frame is sent
            client.sendRaw(new byte[4]);

            // Then the handler sees an empty body
            assertThat(client.receive()).isEqualTo("got[]");
        }
    }
}
