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
 * broker's request threads.
 */
public final class KafkaConnectionHandler implements ConnectionHandler {

    private final ConnectionInfo connection;
    private final RequestDispatcher dispatcher;

    public KafkaConnectionHandler(ConnectionInfo connection, RequestDispatcher dispatcher) {
        this.connection = Objects.requireNonNull(connection, "connection");
        this.dispatcher = Objects.requireNonNull(dispatcher, "dispatcher");
    }

    public ConnectionInfo connection() {
        return connection;
    }

    @Override
    public CompletionStage<Reply> handle(ByteBuffer frame) {
        return dispatcher.dispatch(connection, frame);
    }

    @Override
    public void closed() {
        // No per-connection state yet (SASL state will live here).
    }
}
