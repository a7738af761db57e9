package io.memorystreamer.broker.internal.api;

import java.util.Objects;
import org.apache.kafka.common.protocol.ApiMessage;

/** What an {@link ApiHandler} produced for one request. */
public sealed interface ApiResponse permits ApiResponse.Message, ApiResponse.NoResponse {

    /**
     * A response body; the dispatcher adds the response header and encodes it at the request's
     * version. Records fields may hold {@code LogChunkRecords} to be sent zero-copy.
     */
    record Message(ApiMessage body) implements ApiResponse {
        public Message {
            Objects.requireNonNull(body, "body");
        }
    }

    /** Nothing is sent back (produce with acks=0). */
    record NoResponse() implements ApiResponse {
    }

    static ApiResponse of(ApiMessage body) {
        return new Message(body);
    }

    static ApiResponse none() {
        return new NoResponse();
    }
}
