package io.memorystreamer.broker.internal.codec;

import io.memorystreamer.spi.transport.ConnectionHandler;
import io.memorystreamer.spi.transport.ConnectionInfo;
import io.memorystreamer.spi.transport.Reply;
import java.nio.ByteBuffer;
import java.util.Objects;
import java.util.concurrent.CompletionStage;

/**
 * The Kafka protocol side of one connection. {@link #handle} runs on the network event loop and
 * only hands the frame to the {@link RequestDispatcher}, which does all decoding and work on the
 * broker's request threads, one request of the connection at a time and in arrival order.
 * Pipelining clients (a producer keeps up to five requests in flight) get their next requests
 * handed over early, so a request thread goes from one to the next without a hand-off.
 */
public final class KafkaConnectionHandler implements ConnectionHandler {

    /** Frames handed over before the earliest is answered: more than a Kafka client pipelines by default. */
    static final int PIPELINED_FRAMES = 8;

    private final ConnectionInfo connection;
    private final RequestDispatcher dispatcher;
    private final RequestSequence sequence;

    public KafkaConnectionHandler(ConnectionInfo connection, RequestDispatcher dispatcher) {
        this.connection = Objects.requireNonNull(connection, "connection");
        this.dispatcher = Objects.requireNonNull(dispatcher, "dispatcher");
        this.sequence = dispatcher.newSequence();
    }

    public ConnectionInfo connection() {
        return connection;
    }

    @Override
    public CompletionStage<Reply> handle(ByteBuffer frame) {
        return dispatcher.dispatch(connection, sequence, frame);
    }

    @Override
    public int maxFramesInFlight() {
        return PIPELINED_FRAMES;
    }

    @Override
    public void closed() {
        // No per-connection state yet (SASL state will live here).
    }
}
