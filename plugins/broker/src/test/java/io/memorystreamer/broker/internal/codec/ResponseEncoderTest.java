package io.memorystreamer.broker.internal.codec;

import static org.assertj.core.api.Assertions.assertThat;

import io.memorystreamer.broker.internal.api.LogChunkRecords;
import io.memorystreamer.spi.storage.LogChunk;
import io.memorystreamer.spi.transport.Reply;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.List;
import org.apache.kafka.common.Uuid;
import org.apache.kafka.common.compress.Compression;
import org.apache.kafka.common.message.FetchResponseData;
import org.apache.kafka.common.message.FetchResponseData.FetchableTopicResponse;
import org.apache.kafka.common.message.FetchResponseData.PartitionData;
import org.apache.kafka.common.message.ResponseHeaderData;
import org.apache.kafka.common.protocol.ApiKeys;
import org.apache.kafka.common.protocol.ByteBufferAccessor;
import org.apache.kafka.common.record.internal.BaseRecords;
import org.apache.kafka.common.record.internal.MemoryRecords;
import org.apache.kafka.common.record.internal.Record;
import org.apache.kafka.common.record.internal.SimpleRecord;
import org.apache.kafka.common.requests.RequestUtils;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ResponseEncoderTest {

    private static final short FETCH_VERSION = 17;
    private static final Uuid TOPIC_ID = new Uuid(42, 43);

    @TempDir
    Path dir;

    private static MemoryRecords batch(long baseOffset, String... values) {
        SimpleRecord[] records = new SimpleRecord[values.length];
        for (int i = 0; i < values.length; i++) {
            records[i] = new SimpleRecord(1_000L + i, null, values[i].getBytes(StandardCharsets.UTF_8));
        }
        return MemoryRecords.withRecords(baseOffset, Compression.NONE, records);
    }

    private static FetchResponseData fetchResponse(BaseRecords records) {
        return new FetchResponseData().setResponses(List.of(new FetchableTopicResponse()
                .setTopicId(TOPIC_ID)
                .setPartitions(List.of(new PartitionData()
                        .setPartitionIndex(0)
                        .setHighWatermark(5)
                        .setLastStableOffset(5)
                        .setLogStartOffset(0)
                        .setRecords(records)))));
    }

    @Test
    void logChunkRecordsBecomeTheirOwnPartsAndTheFrameIsByteEqualToKafkasEncoding() throws IOException {
        // Given two batches, the first in a segment file, the second in memory
        MemoryRecords first = batch(0, "a", "b", "c");
        MemoryRecords second = batch(3, "d", "e");
        Path segment = dir.resolve("00000000000000000000.log");
        try (FileChannel channel = FileChannel.open(segment, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                StandardOpenOption.READ)) {
            channel.write(first.buffer().duplicate(), 0);
            LogChunk.FileRegion region = new LogChunk.FileRegion(channel, 0, first.sizeInBytes());
            LogChunk.Bytes bytes = new LogChunk.Bytes(second.buffer().duplicate());
            short headerVersion = ApiKeys.FETCH.responseHeaderVersion(FETCH_VERSION);

            // When a fetch response carrying them as LogChunkRecords is encoded
            Reply.Frame frame = ResponseEncoder.encode(77,  headerVersion,
                    fetchResponse(new LogChunkRecords(List.of(region, bytes))), FETCH_VERSION);

            // Then the chunks are parts of their own, in place, between heap slices
            assertThat(frame.parts()).hasSize(4);
            assertThat(frame.parts().get(0)).isInstanceOf(LogChunk.Bytes.class);
            assertThat(frame.parts().get(1)).isSameAs(region);
            assertThat(frame.parts().get(2)).isSameAs(bytes);
            assertThat(frame.parts().get(3)).isInstanceOf(LogChunk.Bytes.class);

            // And the whole frame is what kafka-clients encodes for the same records in memory
            ByteBuffer expected = RequestUtils.serialize(new ResponseHeaderData().setCorrelationId(77), headerVersion,
                    fetchResponse(MemoryRecords.readableRecords(Wire.concat(List.of(
                            new LogChunk.Bytes(first.buffer().duplicate()), bytes)))), FETCH_VERSION);
            assertThat(Wire.bytes(frame)).isEqualTo(expected);

            // And a client reads the five records back
            ByteBufferAccessor in = new ByteBufferAccessor(Wire.bytes(frame));
            assertThat(new ResponseHeaderData(in, headerVersion).correlationId()).isEqualTo(77);
            FetchResponseData decoded = new FetchResponseData(in, FETCH_VERSION);
            MemoryRecords records = (MemoryRecords) decoded.responses().getFirst().partitions().getFirst().records();
            List<String> values = new java.util.ArrayList<>();
            for (Record r : records.records()) {
                values.add(StandardCharsets.UTF_8.decode(r.value()).toString());
            }
            assertThat(values).containsExactly("a", "b", "c", "d", "e");
        }
    }

    @Test
    void aResponseWithoutRecordsIsOneHeapPart() {
        // Given a fetch response with empty records
        FetchResponseData body = fetchResponse(new LogChunkRecords(List.of()));

        // When it is encoded
        Reply.Frame frame = ResponseEncoder.encode(1, (short) 1, body, FETCH_VERSION);

        // Then it is a single in-memory part of exactly Kafka's size
        assertThat(frame.parts()).hasSize(1);
        ByteBuffer expected = RequestUtils.serialize(new ResponseHeaderData().setCorrelationId(1), (short) 1,
                fetchResponse(MemoryRecords.EMPTY), FETCH_VERSION);
        assertThat(Wire.bytes(frame)).isEqualTo(expected);
    }
}
