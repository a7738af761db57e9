package io.memorystreamer.broker.internal.fetch;

import io.memorystreamer.broker.internal.api.LogChunkRecords;
import io.memorystreamer.broker.internal.api.RequestContext;
import io.memorystreamer.spi.storage.LogChunk;
import io.memorystreamer.spi.transport.ConnectionInfo;
import io.memorystreamer.spi.transport.SecurityProtocol;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.util.function.Supplier;
import org.apache.kafka.common.message.FetchResponseData;
import org.apache.kafka.common.message.RequestHeaderData;
import org.apache.kafka.common.protocol.ApiKeys;
import org.apache.kafka.common.protocol.ApiMessage;
import org.apache.kafka.common.protocol.ByteBufferAccessor;
import org.apache.kafka.common.protocol.MessageUtil;
import org.apache.kafka.common.record.internal.BaseRecords;
import org.apache.kafka.common.record.internal.MemoryRecords;

/**
 * Puts messages through Kafka's wire encoding at a given version, as the broker codec does, so
 * tests see what a client would send and receive.
 */
public final class Wire {

    private static final ConnectionInfo CONNECTION = new ConnectionInfo("test-connection", "PLAINTEXT",
            SecurityProtocol.PLAINTEXT, new InetSocketAddress(InetAddress.getLoopbackAddress(), 9092),
            new InetSocketAddress(InetAddress.getLoopbackAddress(), 50_000));

    private Wire() {
    }

    public static RequestContext context(ApiKeys api, short version) {
        RequestHeaderData header = new RequestHeaderData()
                .setRequestApiKey(api.id)
                .setRequestApiVersion(version)
                .setClientId("test-client")
                .setCorrelationId(1);
        return new RequestContext(CONNECTION, api, version, header, System.nanoTime());
    }

    /** Encodes and decodes a message at a version. */
    public static <T extends ApiMessage> T roundTrip(T message, short version, Supplier<T> empty) {
        ByteBuffer encoded = MessageUtil.toByteBufferAccessor(message, version).buffer();
        T decoded = empty.get();
        decoded.read(new ByteBufferAccessor(encoded), version);
        return decoded;
    }

    /** A fetch response as a client decodes it: log chunks become plain record bytes. */
    public static FetchResponseData decode(FetchResponseData response, short version) {
        for (FetchResponseData.FetchableTopicResponse topic : response.responses()) {
            for (FetchResponseData.PartitionData partition : topic.partitions()) {
                partition.setRecords(MemoryRecords.readableRecords(ByteBuffer.wrap(bytesOf(partition.records()))));
            }
        }
        return roundTrip(response, version, FetchResponseData::new);
    }

    /** The bytes of records, reading file regions. */
    public static byte[] bytesOf(BaseRecords records) {
        if (records == null) {
            return new byte[0];
        }
        if (records instanceof MemoryRecords memory) {
            ByteBuffer buffer = memory.buffer();
            byte[] bytes = new byte[buffer.remaining()];
            buffer.get(bytes);
            return bytes;
        }
        ByteBuffer out = ByteBuffer.allocate(records.sizeInBytes());
        for (LogChunk chunk : ((LogChunkRecords) records).chunks()) {
            switch (chunk) {
                case LogChunk.Bytes bytes -> out.put(bytes.buffer().duplicate());
                case LogChunk.FileRegion region -> out.put(readFully(region));
            }
        }
        return out.array();
    }

    private static ByteBuffer readFully(LogChunk.FileRegion region) {
        try {
            return region.readFully();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
