package io.memorystreamer.broker.internal.codec;

import io.memorystreamer.spi.storage.LogChunk;
import io.memorystreamer.spi.transport.Reply;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.util.List;
import org.apache.kafka.common.message.RequestHeaderData;
import org.apache.kafka.common.protocol.ApiKeys;
import org.apache.kafka.common.protocol.ApiMessage;
import org.apache.kafka.common.requests.AbstractResponse;
import org.apache.kafka.common.requests.RequestHeader;
import org.apache.kafka.common.requests.RequestUtils;
import io.memorystreamer.spi.transport.ConnectionInfo;
import io.memorystreamer.spi.transport.SecurityProtocol;

/** Requests as kafka-clients writes them, responses as kafka-clients reads them. */
public final class Wire {

    public static final String CLIENT_ID = "wire-test";

    private Wire() {
    }

    public static ConnectionInfo connection() {
        return new ConnectionInfo("conn-1", "PLAINTEXT", SecurityProtocol.PLAINTEXT,
                new InetSocketAddress("127.0.0.1", 9092), new InetSocketAddress("127.0.0.1", 54321));
    }

    /** A request frame (no length prefix) with kafka-clients' header and body encoding. */
    public static ByteBuffer request(ApiMessage body, short version, int correlationId) {
        ApiKeys api = ApiKeys.forId(body.apiKey());
        RequestHeaderData header = new RequestHeaderData()
                .setRequestApiKey(api.id)
                .setRequestApiVersion(version)
                .setClientId(CLIENT_ID)
                .setCorrelationId(correlationId);
        return RequestUtils.serialize(header, api.requestHeaderVersion(version), body, version);
    }

    /** The reply's parts concatenated, file regions read from their files. */
    public static ByteBuffer bytes(Reply reply) {
        if (!(reply instanceof Reply.Frame frame)) {
            throw new AssertionError("expected a response frame, got " + reply);
        }
        return concat(frame.parts());
    }

    public static ByteBuffer concat(List<LogChunk> parts) {
        int size = parts.stream().mapToInt(LogChunk::sizeInBytes).sum();
        ByteBuffer all = ByteBuffer.allocate(size);
        for (LogChunk part : parts) {
            switch (part) {
                case LogChunk.Bytes b -> all.put(b.buffer().duplicate());
                case LogChunk.FileRegion f -> {
                    try {
                        all.put(f.readFully());
                    } catch (IOException e) {
                        throw new UncheckedIOException(e);
                    }
                }
            }
        }
        return all.flip();
    }

    /** Parses a response frame as the client that sent the request would. */
    @SuppressWarnings("unchecked")
    public static <T extends AbstractResponse> T response(Reply reply, ApiKeys api, short version, int correlationId) {
        return (T) AbstractResponse.parseResponse(bytes(reply), new RequestHeader(api, version, CLIENT_ID, correlationId));
    }
}
