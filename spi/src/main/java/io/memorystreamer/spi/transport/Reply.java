package io.memorystreamer.spi.transport;

import io.memorystreamer.spi.storage.LogChunk;
import java.util.List;
import java.util.Objects;

/**
 * What a {@link ConnectionHandler} answers to one frame.
 */
public sealed interface Reply permits Reply.Frame, Reply.None, Reply.Close {

    /**
     * A response frame made of parts written back to back; the transport adds the 4-byte length
     * prefix. File parts are sent without copying where the transport can.
     *
     * @param parts the body, in order
     */
    record Frame(List<LogChunk> parts) implements Reply {
        public Frame {
            parts = List.copyOf(parts);
        }

        /** Body length over all parts. */
        public int sizeInBytes() {
            int total = 0;
            for (LogChunk part : parts) {
                total += part.sizeInBytes();
            }
            return total;
        }
    }

    /** No response is sent (for example a produce with acks=0); the next frame is processed. */
    record None() implements Reply {
    }

    /**
     * The connection is closed after any earlier replies are written.
     *
     * @param reason why, for the transport's log line
     */
    record Close(String reason) implements Reply {
        public Close {
            Objects.requireNonNull(reason, "reason");
        }
    }

    /** A response of a single in-memory buffer. */
    static Reply frame(java.nio.ByteBuffer body) {
        return new Frame(List.of(new LogChunk.Bytes(body)));
    }

    static Reply none() {
        return new None();
    }

    static Reply close(String reason) {
        return new Close(reason);
    }
}
