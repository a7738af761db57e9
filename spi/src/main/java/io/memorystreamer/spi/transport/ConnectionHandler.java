package io.memorystreamer.spi.transport;

import java.nio.ByteBuffer;
import java.util.concurrent.CompletionStage;
import org.osgi.annotation.versioning.ConsumerType;

/**
 * Handles the frames of one connection.
 *
 * <p>The transport calls {@link #handle} with one frame at a time and waits for the returned stage
 * to complete before calling it with the next frame, so replies are in request order and a handler
 * needs no locking for per-connection state. {@code handle} is called on a network event loop: it
 * must return quickly and do any blocking work on its own threads.
 */
@ConsumerType
public interface ConnectionHandler {

    /**
     * Handles one frame.
     *
     * @param frame the frame body without its length prefix; valid only until the returned stage
     *     completes, so copy what must outlive it
     * @return the reply; a stage completed exceptionally closes the connection with a log line
     */
    CompletionStage<Reply> handle(ByteBuffer frame);

    /**
     * The connection closed (by either side). Called once, after the last {@link #handle} stage
     * completed or was abandoned.
     */
    void closed();
}
