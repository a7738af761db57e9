package io.memorystreamer.transport.netty.internal;

import io.memorystreamer.spi.transport.ConnectionHandler;
import io.memorystreamer.spi.transport.ConnectionInfo;
import io.memorystreamer.spi.transport.FrameHandler;
import io.memorystreamer.spi.transport.Reply;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A frame handler for tests: decodes each frame as UTF-8 text, asks a {@link Responder} for the
 * reply and records what the transport did (connections opened and closed, requests handled,
 * whether more requests of one connection than it allows were ever in flight at once).
 */
final class TestFrameHandler implements FrameHandler {

    /** Answers one request. */
    @FunctionalInterface
    interface Responder {
        CompletionStage<Reply> respond(String request);
    }

    final List<ConnectionInfo> opened = new CopyOnWriteArrayList<>();
    final Map<String, AtomicInteger> closedCalls = new ConcurrentHashMap<>();
    final List<String> handled = new CopyOnWriteArrayList<>();
    final AtomicBoolean drained = new AtomicBoolean();
    final AtomicBoolean overlappingRequests = new AtomicBoolean();
    /** The most requests of one connection that were in flight at once. */
    final AtomicInteger mostInFlight = new AtomicInteger();
    private final Responder responder;
    private final int maxFramesInFlight;

    TestFrameHandler(Responder responder) {
        this(responder, 1);
    }

    /** A handler that lets the transport hand over up to {@code maxFramesInFlight} frames. */
    TestFrameHandler(Responder responder, int maxFramesInFlight) {
        this.responder = responder;
        this.maxFramesInFlight = maxFramesInFlight;
    }

    /** Echoes {@code echo:<text>} requests. */
    static TestFrameHandler echo() {
        return new TestFrameHandler(request -> CompletableFuture.completedFuture(reply(request.substring("echo:".length()))));
    }

    static Reply reply(String text) {
        return Reply.frame(ByteBuffer.wrap(text.getBytes(StandardCharsets.UTF_8)));
    }

    int closedCount(String connectionId) {
        AtomicInteger count = closedCalls.get(connectionId);
        return count == null ? 0 : count.get();
    }

    /** The connection opened for the client with this local port. */
    ConnectionInfo connectionFrom(FrameClient client) {
        return opened.stream()
                .filter(info -> info.remoteAddress().getPort() == client.localPort())
                .findFirst()
                .orElseThrow(() -> new AssertionError("no connection from port " + client.localPort()));
    }

    @Override
    public ConnectionHandler open(ConnectionInfo connection) {
        opened.add(connection);
        AtomicInteger active = new AtomicInteger();
        return new ConnectionHandler() {
            @Override
            public CompletionStage<Reply> handle(ByteBuffer frame) {
                int inFlight = active.incrementAndGet();
                mostInFlight.accumulateAndGet(inFlight, Math::max);
                if (inFlight > maxFramesInFlight) {
                    overlappingRequests.set(true);
                }
                String request = StandardCharsets.UTF_8.decode(frame).toString();
                handled.add(request);
                CompletionStage<Reply> stage;
                try {
                    stage = responder.respond(request);
                } catch (RuntimeException e) {
                    active.decrementAndGet();
                    throw e;
                }
                // The transport sees completion only after this bookkeeping has run.
                return stage.whenComplete((reply, error) -> active.decrementAndGet());
            }

            @Override
            public int maxFramesInFlight() {
                return maxFramesInFlight;
            }

            @Override
            public void closed() {
                closedCalls.computeIfAbsent(connection.connectionId(), id -> new AtomicInteger()).incrementAndGet();
            }
        };
    }

    @Override
    public void drain() {
        drained.set(true);
    }
}
