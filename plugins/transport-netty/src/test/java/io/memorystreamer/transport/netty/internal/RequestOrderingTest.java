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

class RequestOrderingTest {

    private final RunningServers servers = new RunningServers();
    private final ExecutorService workers = Executors.newFixedThreadPool(4);

    @AfterEach
    void tearDown() {
        servers.close();
        workers.shutdownNow();
    }

    @Test
    void pipelinedRequestsAreAnsweredInOrderWhenTheFirstCompletesLast() throws Exception {
        // Given a handler that holds "slow" requests until the test releases them, and answers others at once
        Map<String, CompletableFuture<Reply>> held = new ConcurrentHashMap<>();
        TestFrameHandler handler = new TestFrameHandler(request -> request.startsWith("slow:")
                ? held.computeIfAbsent(request, r -> new CompletableFuture<>())
                : CompletableFuture.completedFuture(TestFrameHandler.reply(request)));
        TransportServer server = servers.start(handler);

        try (FrameClient client = new FrameClient(port(server))) {
            // When three requests are pipelined and the first is released from another thread only later
            client.send("slow:a", "b", "c");
            await().until(() -> held.containsKey("slow:a"));
            await().during(Duration.ofMillis(300)).atMost(Duration.ofSeconds(2))
                    .until(() -> handler.handled.size() == 1);
            workers.execute(() -> held.get("slow:a").complete(TestFrameHandler.reply("a")));

            // Then the replies come back in request order, one request at a time
            assertThat(List.of(client.receive(), client.receive(), client.receive())).containsExactly("a", "b", "c");
            assertThat(handler.overlappingRequests).isFalse();
        }
    }

    @Test
    void manyPipelinedRequestsCompletedOnOtherThreadsKeepTheirOrder() throws Exception {
        // Given a handler that completes every request on a worker thread
        TestFrameHandler handler = new TestFrameHandler(request ->
                CompletableFuture.supplyAsync(() -> TestFrameHandler.reply(request), workers));
        TransportServer server = servers.start(handler);
        List<String> requests = numbered(500);

        try (FrameClient client = new FrameClient(port(server))) {
            // When 500 requests are written in one burst
            client.send(requests.toArray(String[]::new));

            // Then all 500 replies arrive in request order
            assertThat(receive(client, requests.size())).isEqualTo(requests);
            assertThat(handler.overlappingRequests).isFalse();
        }
    }

    @Test
    void manySmallRequestsAnsweredInlineKeepTheirOrder() throws Exception {
        // Given a handler that answers on the calling thread (stages complete before handle returns)
        TransportServer server = servers.start(new TestFrameHandler(request ->
                CompletableFuture.completedFuture(TestFrameHandler.reply(request))));
        List<String> requests = numbered(5_000);

        try (FrameClient client = new FrameClient(port(server))) {
            // When thousands of tiny requests arrive in a few socket reads
            client.send(requests.toArray(String[]::new));

            // Then every reply comes back, in order
            assertThat(receive(client, requests.size())).isEqualTo(requests);
        }
    }

    @Test
    void connectionsAreServedIndependently() throws Exception {
        // Given one connection whose request is held
        Map<String, CompletableFuture<Reply>> held = new ConcurrentHashMap<>();
        TestFrameHandler handler = new TestFrameHandler(request -> request.startsWith("slow:")
                ? held.computeIfAbsent(request, r -> new CompletableFuture<>())
                : CompletableFuture.completedFuture(TestFrameHandler.reply(request)));
        TransportServer server = servers.start(handler);

        try (FrameClient blocked = new FrameClient(port(server)); FrameClient other = new FrameClient(port(server))) {
            blocked.send("slow:x");
            await().until(() -> held.containsKey("slow:x"));

            // When another connection sends a request
            other.send("hello");

            // Then it is answered while the first one still waits
            assertThat(other.receive()).isEqualTo("hello");
            held.get("slow:x").complete(TestFrameHandler.reply("x"));
            assertThat(blocked.receive()).isEqualTo("x");
        }
    }

    private static List<String> numbered(int count) {
        List<String> requests = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            requests.add("request-" + i);
        }
        return requests;
    }

    private static List<String> receive(FrameClient client, int count) throws Exception {
        List<String> replies = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            replies.add(client.receive());
        }
        return replies;
    }
}
