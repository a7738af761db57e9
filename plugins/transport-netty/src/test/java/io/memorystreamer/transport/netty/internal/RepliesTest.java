package io.memorystreamer.transport.netty.internal;

import static io.memorystreamer.transport.netty.internal.RunningServers.port;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assumptions.assumeThat;
import static org.awaitility.Awaitility.await;

import io.memorystreamer.spi.storage.LogChunk;
import io.memorystreamer.spi.transport.Reply;
import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

class RepliesTest {

    private final RunningServers servers = new RunningServers();

    @TempDir
    Path dir;

    @AfterEach
    void tearDown() {
        servers.close();
    }

    /** Answers "none", "close:<reason>", "fail" and echoes anything else. */
    private static TestFrameHandler scripted() {
        return new TestFrameHandler(request -> {
            if (request.equals("none")) {
                return CompletableFuture.completedFuture(Reply.none());
            }
            if (request.startsWith("close:")) {
                return CompletableFuture.completedFuture(Reply.close(request.substring(6)));
            }
            if (request.equals("fail")) {
                return CompletableFuture.failedFuture(new IllegalStateException("broken request"));
            }
            return CompletableFuture.completedFuture(TestFrameHandler.reply(request));
        });
    }

    @Test
    void noneReplySendsNothingAndTheNextFrameIsProcessed() throws Exception {
        // Given a connection
        TransportServer server = servers.start(scripted());
        try (FrameClient client = new FrameClient(port(server))) {
            // When a request answered with None is followed by another request
            client.send("none", "after");

            // Then the first reply on the wire is the second request's
            assertThat(client.receive()).isEqualTo("after");
        }
    }

    @Test
    void closeReplyClosesTheConnectionAfterEarlierReplies() throws Exception {
        // Given a connection
        TestFrameHandler handler = scripted();
        TransportServer server = servers.start(handler);
        try (FrameClient client = new FrameClient(port(server))) {
            // When a reply asks to close, with a request pipelined behind it
            client.send("first", "close:goodbye", "never");

            // Then the earlier reply arrives, then the connection closes, and the later request is not handled
            assertThat(client.receive()).isEqualTo("first");
            assertThat(client.closedByServer()).isTrue();
            String id = handler.opened.getFirst().connectionId();
            await().until(() -> handler.closedCount(id) == 1);
            assertThat(handler.handled).containsExactly("first", "close:goodbye");
        }
    }

    @Test
    void failedRequestClosesTheConnection() throws Exception {
        // Given a connection
        TestFrameHandler handler = scripted();
        TransportServer server = servers.start(handler);
        try (FrameClient client = new FrameClient(port(server))) {
            // When the handler's stage completes exceptionally
            client.send("fail");

            // Then the connection is closed and the handler told once
            assertThat(client.closedByServer()).isTrue();
            String id = handler.opened.getFirst().connectionId();
            await().until(() -> handler.closedCount(id) == 1);
        }
    }

    @Test
    void replyPartsAreWrittenBackToBackUnderOneLengthPrefix() throws Exception {
        // Given a handler answering with three in-memory parts, one of them a view into a larger buffer
        ByteBuffer larger = ByteBuffer.wrap("xxMIDDLExx".getBytes(StandardCharsets.UTF_8)).position(2).limit(8);
        TestFrameHandler handler = new TestFrameHandler(request -> CompletableFuture.completedFuture(new Reply.Frame(List.of(
                new LogChunk.Bytes(ByteBuffer.wrap("head-".getBytes(StandardCharsets.UTF_8))),
                new LogChunk.Bytes(larger),
                new LogChunk.Bytes(ByteBuffer.allocateDirect(5).put("-tail".getBytes(StandardCharsets.UTF_8)).flip())))));
        TransportServer server = servers.start(handler);

        try (FrameClient client = new FrameClient(port(server))) {
            // When a request is answered
            client.send("parts");

            // Then the frame holds exactly the parts in order, and the caller's buffer is untouched
            assertThat(client.receive()).isEqualTo("head-MIDDLE-tail");
            assertThat(larger.position()).isEqualTo(2);
        }
    }

    @ParameterizedTest
    @EnumSource(IoTransport.class)
    void fileRegionReplySendsTheExactFileBytesAndLeavesTheChannelOpen(IoTransport io) throws Exception {
        assumeThat(io.isAvailable()).as(io + " available here").isTrue();
        // Given a segment file and a handler answering with a region of it between two in-memory parts
        byte[] content = new byte[300_000];
        new Random(42).nextBytes(content);
        Path segment = dir.resolve("segment.log");
        Files.write(segment, content);
        try (FileChannel channel = FileChannel.open(segment, StandardOpenOption.READ)) {
            int position = 1_000;
            int size = 250_000;
            TestFrameHandler handler = new TestFrameHandler(request -> request.equals("fetch")
                    ? CompletableFuture.completedFuture(new Reply.Frame(List.of(
                            new LogChunk.Bytes(ByteBuffer.wrap(new byte[] {1, 2, 3})),
                            new LogChunk.FileRegion(channel, position, size),
                            new LogChunk.Bytes(ByteBuffer.wrap(new byte[] {4, 5})))))
                    : CompletableFuture.completedFuture(TestFrameHandler.reply(request)));
            TransportServer server = servers.start(() -> handler, io);

            try (FrameClient client = new FrameClient(port(server))) {
                // When the region is fetched twice
                client.send("fetch", "fetch", "after");

                // Then each reply holds exactly those bytes, the storage's channel stays open, and the connection works
                ByteArrayOutputStream expected = new ByteArrayOutputStream();
                expected.write(new byte[] {1, 2, 3});
                expected.write(Arrays.copyOfRange(content, position, position + size));
                expected.write(new byte[] {4, 5});
                assertThat(client.receiveBytes()).isEqualTo(expected.toByteArray());
                assertThat(client.receiveBytes()).isEqualTo(expected.toByteArray());
                assertThat(client.receive()).isEqualTo("after");
                assertThat(channel.isOpen()).isTrue();
            }
        }
    }
}
