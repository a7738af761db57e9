package io.memorystreamer.broker.internal.codec;

import io.memorystreamer.spi.transport.Reply;
import java.nio.ByteBuffer;
import org.apache.kafka.common.message.ResponseHeaderData;
import org.apache.kafka.common.protocol.ApiMessage;
import org.apache.kafka.common.protocol.MessageSizeAccumulator;
import org.apache.kafka.common.protocol.ObjectSerializationCache;

/** Encodes a response header and body into a frame without its length prefix. Stateless. */
public final class ResponseEncoder {

    private ResponseEncoder() {
    }

    /**
     * @param correlationId the request's correlation id
     * @param headerVersion the response header version for the API and request version
     * @param body the response body
     * @param version the request version, which the response uses too
     */
    public static Reply.Frame encode(int correlationId, short headerVersion, ApiMessage body, short version) {
        ObjectSerializationCache cache = new ObjectSerializationCache();
        ResponseHeaderData header = new ResponseHeaderData().setCorrelationId(correlationId);
        MessageSizeAccumulator size = new MessageSizeAccumulator();
        header.addSize(size, cache, headerVersion);
        body.addSize(size, cache, version);
        ResponseWriter writer = new ResponseWriter(ByteBuffer.allocate(size.sizeExcludingZeroCopy()));
        header.write(writer, cache, headerVersion);
        body.write(writer, cache, version);
        return new Reply.Frame(writer.finish());
    }
}
