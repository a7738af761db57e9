package io.memorystreamer.spi.transport;

import java.nio.ByteBuffer;
import java.util.concurrent.CompletionStage;
import org.osgi.annotation.versioning.ConsumerType;

/**
 * Handles the frames of one connection.
 *
 * <p>The transport calls {@link #handle} with a connection's frames in the order they arrived and
 * writes the replies back in that same order. By default it waits for the returned stage to
 * complete before calling {@code handle} with the next frame; a handler that serves pipelining
 * clients can allow more frames in flight with {@link #maxFramesInFlight()}. {@code handle} is
 * called on a network event loop, never concurrently for one connection: it must return quickly
 * and do any blocking work on its own threads.
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
     * How many frames of this connection the transport may hand to {@link #handle} before the
     * earliest of their stages has completed. With 1, the default, each frame waits for the
     * previous stage. With more, a pipelining client's next requests reach the handler while
     * earlier ones are still being processed, so the handler can go on to the next without a round
     * trip through the transport; it must then process the frames in the order it received them.
     * The transport may hand over fewer (it bounds what one connection holds), never more.
     *
     * @return at least 1; read once, when the connection opens
     * @since 1.1
     */
    default int maxFramesInFlight() {
        return 1;
    }

    /**
     * The connection closed (by either side). Called once, after the last {@link #handle} stage
     * completed or was abandoned.
     */
    void closed();
}
