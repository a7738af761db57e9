package io.memorystreamer.broker.internal.codec;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;

/** Best-effort reads of a request header for log lines about requests that are not decoded. */
final class RequestHeaders {

    private static final int CLIENT_ID_OFFSET = 8;

    private RequestHeaders() {
    }

    /**
     * The client id of a request frame (header v1 and v2 both start with api key, version,
     * correlation id and a nullable int16-length client id), or {@code "?"} if it cannot be read.
     */
    static String peekClientId(ByteBuffer frame) {
        int start = frame.position() + CLIENT_ID_OFFSET;
        if (frame.limit() - start < 2) {
            return "?";
        }
        int length = frame.getShort(start);
        if (length < 0) {
            return "null";
        }
        if (length > frame.limit() - start - 2) {
            return "?";
        }
        byte[] bytes = new byte[Math.min(length, 256)];
        frame.get(start + 2, bytes);
        return new String(bytes, StandardCharsets.UTF_8);
    }
}
