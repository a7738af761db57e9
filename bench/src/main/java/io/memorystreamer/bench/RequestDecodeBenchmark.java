package io.memorystreamer.bench;

import java.nio.ByteBuffer;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.common.Uuid;
import org.apache.kafka.common.compress.Compression;
import org.apache.kafka.common.message.ProduceRequestData;
import org.apache.kafka.common.message.RequestHeaderData;
import org.apache.kafka.common.protocol.ApiKeys;
import org.apache.kafka.common.protocol.ApiMessage;
import org.apache.kafka.common.protocol.ByteBufferAccessor;
import org.apache.kafka.common.protocol.ObjectSerializationCache;
import org.apache.kafka.common.record.internal.MemoryRecords;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;
import org.openjdk.jmh.infra.Blackhole;

/**
 * Request frame decode: the request header and the Produce body read from one frame's bytes with
 * kafka-clients' generated readers, the same calls the broker's {@code RequestDispatcher} makes
 * (that step is private to it, so only the decode calls are repeated here). The frame carries one
 * 16 KiB lz4 batch per partition at the newest Produce version; the record bytes are sliced, not
 * copied, so the cost is the header and field parsing.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 2, time = 2)
@Measurement(iterations = 3, time = 2)
@Fork(1)
public class RequestDecodeBenchmark {

    /** Partitions in the request: the load tool's 1- and 6-partition topics. */
    @Param({"1", "6"})
    public int partitions;

    private final short version = ApiKeys.PRODUCE.latestVersion();
    private ByteBuffer frame;

    @Setup
    public void encodeFrame() {
        ProduceRequestData.TopicProduceData topic = new ProduceRequestData.TopicProduceData()
                .setName("bench").setTopicId(Uuid.randomUuid());
        for (int p = 0; p < partitions; p++) {
            topic.partitionData().add(new ProduceRequestData.PartitionProduceData().setIndex(p)
                    .setRecords(MemoryRecords.readableRecords(Batches.batch(Compression.lz4().build(), p))));
        }
        ProduceRequestData body = new ProduceRequestData().setAcks((short) 1).setTimeoutMs(30_000);
        body.topicData().add(topic);
        RequestHeaderData header = new RequestHeaderData().setRequestApiKey(ApiKeys.PRODUCE.id)
                .setRequestApiVersion(version).setCorrelationId(42).setClientId("producer-1");
        short headerVersion = ApiKeys.PRODUCE.requestHeaderVersion(version);
        ObjectSerializationCache cache = new ObjectSerializationCache();
        int size = header.size(cache, headerVersion) + body.size(cache, version);
        ByteBufferAccessor out = new ByteBufferAccessor(ByteBuffer.allocate(size));
        header.write(out, cache, headerVersion);
        body.write(out, cache, version);
        frame = out.buffer().flip();
    }

    @Benchmark
    public void decodeProduceFrame(Blackhole blackhole) {
        ApiKeys api = ApiKeys.forId(frame.getShort(0));
        short frameVersion = frame.getShort(2);
        ByteBufferAccessor in = new ByteBufferAccessor(frame.duplicate());
        RequestHeaderData header = new RequestHeaderData(in, api.requestHeaderVersion(frameVersion));
        ApiMessage body = api.messageType.newRequest();
        body.read(in, frameVersion);
        blackhole.consume(header);
        blackhole.consume(body);
    }
}
