package io.memorystreamer.transport.netty.internal;

import static io.memorystreamer.transport.netty.internal.RunningServers.port;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.memorystreamer.spi.transport.Reply;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** A handler that allows several frames in flight gets a pipelining client's frames early. */
class PipeliningTest {

    private final RunningServers servers = new RunningServers();
    private final ExecutorService workers = Executors.newFixedThreadPool(4);

    @AfterEach
    void tearDown() {
        servers.close();
        workers.shutdownNow();
    }

    @Test
    void framesReachAPipeliningHandlerWhileTheFirstIsHeldAndRepliesKeepRequestOrder() throws Exception {
        // Given a handler allowing 4 frames in flight that holds every request until released
        Map<String, CompletableFuture<Reply>> held = new ConcurrentHashMap<>();
        TestFrameHandler handler = new TestFrameHandler(
                request -> held.computeIfAbsent(request, r -> new CompletableFuture<>()), 4);
        TransportServer server = servers.start(handler);

        try (FrameClient client = new FrameClient(port(server))) {
            // When a client pipelines 6 requests
            client.send("r0", "r1", "r2", "r3", "r4", "r5");

            // Then 4 reach the handler before any completes, and no more
            await().until(() -> handler.handled.size() == 4);
            await().during(Duration.ofMillis(300)).atMost(Duration.ofSeconds(2))
                    .until(() -> handler.handled.size() == 4);
            assertThat(handler.handled).containsExactly("r0", "r1", "r2", "r3");

            // When they complete last-first, on other threads
            for (String request : List.of("r3", "r2", "r1")) {
                workers.execute(() -> held.get(request).complete(TestFrameHandler.reply(request)));
            }
            await().until(() -> handler.handled.size() == 4 && held.get("r1").isDone());
            // Then nothing is written before the first reply, and completing the later ones freed no slot early
            assertThat(handler.handled).hasSize(4);
            workers.execute(() -> held.get("r0").complete(TestFrameHandler.reply("r0")));
            await().until(() -> handler.handled.size() == 6);
            held.get("r4").complete(TestFrameHandler.reply("r4"));
            held.get("r5").complete(TestFrameHandler.reply("r5"));

            // Then every reply comes back in request order
            assertThat(receive(client, 6)).containsExactly("r0", "r1", "r2", "r3", "r4", "r5");
            assertThat(handler.overlappingRequests).isFalse();
        }
    }

    @Test
    void thousandsOfPipelinedRequestsCompletedOnWorkersKeepTheirOrderWithinTheLimit() throws Exception {
        // Given a handler allowing 8 frames in flight that completes each on a worker thread
        TestFrameHandler handler = new TestFrameHandler(request ->
                CompletableFuture.supplyAsync(() -> TestFrameHandler.reply(request), workers), 8);
        TransportServer server = servers.start(handler);
        List<String> requests = new ArrayList<>();
        for (int i = 0; i < 2_000; i++) {
            requests.add("request-" + i);
        }

        try (FrameClient client = new FrameClient(port(server))) {
            // When 2,000 requests are written in one burst
            client.send(requests.toArray(String[]::new));

            // Then all replies arrive in request order, with several requests in flight but never more than allowed
            assertThat(receive(client, requests.size())).isEqualTo(requests);
            assertThat(handler.overlappingRequests).isFalse();
            assertThat(handler.mostInFlight.get()).isBetween(2, 8);
        }
    }

    @Test
    void aClientThatDoesNotReadItsRepliesStopsBeingServed() throws Exception {
        // Given a pipelining handler whose replies are 256 KiB each
        byte[] big = new byte[256 * 1024];
        TestFrameHandler handler = new TestFrameHandler(request ->
                CompletableFuture.completedFuture(Reply.frame(java.nio.ByteBuffer.wrap(big))), 8);
        TransportServer server = servers.start(handler, TransportConfig.SOCKET_SEND_BUFFER_BYTES, "65536");

        try (FrameClient client = new FrameClient(port(server))) {
            // When a client sends many requests and reads no reply
            String[] requests = new String[200];
            java.util.Arrays.fill(requests, "x");
            client.send(requests);

            // Then the transport stops handing frames over once replies back up, instead of buffering 50 MiB
            await().during(Duration.ofMillis(500)).atMost(Duration.ofSeconds(5))
                    .until(() -> handler.handled.size() < 50);
            int servedBeforeReading = handler.handled.size();
            assertThat(servedBeforeReading).isLessThan(50);

            // And once the client reads, every request is answered
            for (int i = 0; i < requests.length; i++) {
                assertThat(client.receiveBytes()).hasSize(big.length);
            }
            assertThat(handler.handled).hasSize(200);
        }
    }

    private static List<String> receive(FrameClient client, int count) throws Exception {
        List<String> replies = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            replies.add(client.receive());
        }
        return replies;
    }
}
