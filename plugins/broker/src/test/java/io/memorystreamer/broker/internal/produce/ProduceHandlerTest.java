package io.memorystreamer.broker.internal.produce;

import static io.memorystreamer.broker.internal.produce.DataPlaneHarness.PRODUCE_LATEST;
import static org.assertj.core.api.Assertions.assertThat;

import io.memorystreamer.broker.internal.api.ApiResponse;
import io.memorystreamer.broker.internal.fetch.KafkaBatches;
import io.memorystreamer.broker.internal.fetch.TestCatalog;
import io.memorystreamer.broker.internal.fetch.Wire;
import io.memorystreamer.broker.internal.topic.EffectiveTopicConfig;
import io.memorystreamer.broker.internal.topic.TopicInfo;
import io.memorystreamer.spi.storage.LogReadResult;
import io.memorystreamer.spi.storage.PartitionLog;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import org.apache.kafka.common.IsolationLevel;
import org.apache.kafka.common.Uuid;
import org.apache.kafka.common.compress.Compression;
import org.apache.kafka.common.message.ProduceRequestData;
import org.apache.kafka.common.message.ProduceResponseData;
import org.apache.kafka.common.protocol.ApiKeys;
import org.apache.kafka.common.protocol.Errors;
import org.apache.kafka.common.record.TimestampType;
import org.apache.kafka.common.record.internal.MemoryRecords;
import org.apache.kafka.common.record.internal.MemoryRecordsBuilder;
import org.apache.kafka.common.record.internal.MutableRecordBatch;
import org.apache.kafka.common.record.internal.Record;
import org.apache.kafka.common.record.internal.RecordBatch;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class ProduceHandlerTest {

    @TempDir
    Path directory;

    private DataPlaneHarness harness;
    private TopicInfo topic;

    @BeforeEach
    void setUp() {
        harness = new DataPlaneHarness(directory);
        topic = harness.catalog.create("orders", 2);
    }

    @AfterEach
    void tearDown() throws InterruptedException {
        harness.close();
    }

    @ParameterizedTest
    @ValueSource(shorts = {3, 7, 9, 12, 13})
    void appendsBatchesAtConsecutiveOffsetsByTopicNameOrId(short version) {
        // Given a batch of three records already in the log
        harness.produce(topic, 0, KafkaBatches.plain(Compression.NONE, 1_000L, "a", "b", "c"), (short) 1, version);

        // When a second batch is produced
        ProduceResponseData.PartitionProduceResponse response =
                harness.produce(topic, 0, KafkaBatches.plain(Compression.NONE, 1_000L, "d"), (short) -1, version);

        // Then it gets the next offset and the high watermark covers it
        assertThat(response.errorCode()).isEqualTo(Errors.NONE.code());
        assertThat(response.baseOffset()).isEqualTo(3L);
        assertThat(response.logAppendTimeMs()).isEqualTo(-1L);
        assertThat(response.logStartOffset()).isEqualTo(version >= 5 ? 0L : -1L);
        assertThat(log(0).highWatermark()).isEqualTo(4L);
    }

    @ParameterizedTest
    @ValueSource(strings = {"gzip", "snappy", "lz4", "zstd"})
    void storesCompressedBatchesAsSent(String codec) {
        // Given a compressed batch
        MemoryRecords sent = KafkaBatches.plain(Compression.of(codec).build(), 1_000L, "x", "y", "z");
        byte[] sentBytes = Wire.bytesOf(sent);

        // When it is produced
        ProduceResponseData.PartitionProduceResponse response = harness.produce(topic, 1, sent);

        // Then the stored batch is the sent one except for the fields the broker assigns
        assertThat(response.errorCode()).isEqualTo(Errors.NONE.code());
        MutableRecordBatch stored = storedBatches(1).getFirst();
        assertThat(stored.compressionType().name).isEqualTo(codec);
        assertThat(stored.isValid()).isTrue();
        assertThat(stored.partitionLeaderEpoch()).isZero();
        byte[] storedBytes = Wire.bytesOf(MemoryRecords.readableRecords(storedBuffer(1)));
        int crcCoveredStart = 21;
        assertThat(ByteBuffer.wrap(storedBytes, crcCoveredStart, storedBytes.length - crcCoveredStart))
                .isEqualTo(ByteBuffer.wrap(sentBytes, crcCoveredStart, sentBytes.length - crcCoveredStart));
        assertThat(recordValues(stored)).containsExactly("x", "y", "z");
    }

    @Test
    void acksZeroAppendsWithoutAResponse() {
        // When a batch is produced with acks=0
        ApiResponse response = harness.call(ApiKeys.PRODUCE, DataPlaneHarness.produceRequest(topic, 0,
                KafkaBatches.plain(Compression.NONE, 1_000L, "a"), (short) 0, PRODUCE_LATEST), PRODUCE_LATEST).join();

        // Then nothing is sent back but the batch is in the log
        assertThat(response).isInstanceOf(ApiResponse.NoResponse.class);
        assertThat(log(0).highWatermark()).isEqualTo(1L);
    }

    @Test
    void refusesUnknownAcks() {
        // When acks is neither -1, 0 nor 1
        ProduceResponseData.PartitionProduceResponse response =
                harness.produce(topic, 0, KafkaBatches.plain(Compression.NONE, 1_000L, "a"), (short) 2, PRODUCE_LATEST);

        // Then the partition reports INVALID_REQUIRED_ACKS and nothing is appended
        assertThat(response.errorCode()).isEqualTo(Errors.INVALID_REQUIRED_ACKS.code());
        assertThat(log(0).logEndOffset()).isZero();
    }

    @Test
    void reportsUnknownTopicsAndPartitions() {
        // Given an unknown topic (by name and by id) and an unknown partition of a known topic
        TopicInfo unknown = new TopicInfo("missing", Uuid.randomUuid(), 1, java.util.Map.of());
        MemoryRecords records = KafkaBatches.plain(Compression.NONE, 1_000L, "a");

        // When producing to them
        var byName = harness.produce(unknown, 0, records, (short) 1, (short) 12);
        var byId = harness.produce(unknown, 0, records, (short) 1, (short) 13);
        var badPartition = harness.produce(topic, 7, records, (short) 1, (short) 13);

        // Then each gets Kafka's error
        assertThat(byName.errorCode()).isEqualTo(Errors.UNKNOWN_TOPIC_OR_PARTITION.code());
        assertThat(byId.errorCode()).isEqualTo(Errors.UNKNOWN_TOPIC_ID.code());
        assertThat(badPartition.errorCode()).isEqualTo(Errors.UNKNOWN_TOPIC_OR_PARTITION.code());
    }

    @Test
    void refusesABatchWhoseCrcDoesNotMatch() {
        // Given a batch with one record byte flipped
        ByteBuffer tampered = KafkaBatches.copy(KafkaBatches.plain(Compression.NONE, 1_000L, "payload"));
        int last = tampered.limit() - 1;
        tampered.put(last, (byte) (tampered.get(last) ^ 0x55));

        // When it is produced
        var response = harness.produce(topic, 0, MemoryRecords.readableRecords(tampered));

        // Then it is refused as corrupt and nothing is stored
        assertThat(response.errorCode()).isEqualTo(Errors.CORRUPT_MESSAGE.code());
        assertThat(response.errorMessage()).contains("CRC");
        assertThat(log(0).logEndOffset()).isZero();
    }

    @Test
    void refusesABatchLargerThanTheTopicAllows() {
        // Given a topic that accepts batches up to 1 KiB
        TopicInfo small = harness.catalog.create("small", 1, new EffectiveTopicConfig(1024, false));

        // When a 2 KiB batch is produced
        var response = harness.produce(small, 0, KafkaBatches.sized(2, 1024));

        // Then it is refused as too large
        assertThat(response.errorCode()).isEqualTo(Errors.MESSAGE_TOO_LARGE.code());
        assertThat(harness.catalog.log("small", 0).orElseThrow().logEndOffset()).isZero();
    }

    @Test
    void refusesRecordsWithoutKeyOnACompactedTopic() {
        // Given a compacted topic and a gzip batch whose second and fourth records have no key
        TopicInfo compacted = harness.catalog.create("compacted", 1,
                new EffectiveTopicConfig(TestCatalog.DEFAULT_MAX_MESSAGE_BYTES, false, true));
        MemoryRecords batch = keyed(Compression.gzip().build(), "k0", null, "k2", null);

        // When it is produced
        var response = harness.produce(compacted, 0, batch);

        // Then the batch is refused, naming each keyless record, and nothing is stored
        assertThat(response.errorCode()).isEqualTo(Errors.INVALID_RECORD.code());
        assertThat(response.recordErrors()).extracting(ProduceResponseData.BatchIndexAndErrorMessage::batchIndex)
                .containsExactly(1, 3);
        assertThat(response.recordErrors().getFirst().batchIndexErrorMessage())
                .isEqualTo("Compacted topic cannot accept message without key in topic partition compacted-0.");
        assertThat(response.errorMessage()).contains("2 record errors");
        assertThat(harness.catalog.log("compacted", 0).orElseThrow().logEndOffset()).isZero();
    }

    @Test
    void acceptsKeyedRecordsOnACompactedTopic() {
        // Given a compacted topic and a gzip batch whose records all have keys
        TopicInfo compacted = harness.catalog.create("compacted", 1,
                new EffectiveTopicConfig(TestCatalog.DEFAULT_MAX_MESSAGE_BYTES, false, true));

        // When it is produced
        var response = harness.produce(compacted, 0, keyed(Compression.gzip().build(), "k0", "k1"));

        // Then it is appended
        assertThat(response.errorCode()).isEqualTo(Errors.NONE.code());
        assertThat(harness.catalog.log("compacted", 0).orElseThrow().logEndOffset()).isEqualTo(2L);
    }

    private static MemoryRecords keyed(Compression compression, String... keys) {
        MemoryRecordsBuilder builder = MemoryRecords.builder(ByteBuffer.allocate(256), compression,
                TimestampType.CREATE_TIME, 0L);
        for (String key : keys) {
            builder.append(1_000L, key == null ? null : key.getBytes(StandardCharsets.UTF_8),
                    "value".getBytes(StandardCharsets.UTF_8));
        }
        return builder.build();
    }

    @Test
    void refusesMoreThanOneBatchPerPartition() {
        // Given two batches back to back
        ByteBuffer first = KafkaBatches.copy(KafkaBatches.plain(Compression.NONE, 1_000L, "a"));
        ByteBuffer second = KafkaBatches.copy(KafkaBatches.plain(Compression.NONE, 1_000L, "b"));
        ByteBuffer both = ByteBuffer.allocate(first.remaining() + second.remaining()).put(first).put(second).flip();

        // When they are produced together
        var response = harness.produce(topic, 0, MemoryRecords.readableRecords(both));

        // Then the partition reports INVALID_RECORD
        assertThat(response.errorCode()).isEqualTo(Errors.INVALID_RECORD.code());
    }

    @Test
    void refusesOldMessageFormats() {
        // Given a batch whose magic byte says format v1 (the CRC does not cover the magic byte)
        ByteBuffer old = KafkaBatches.copy(KafkaBatches.plain(Compression.NONE, 1_000L, "a"));
        old.put(16, RecordBatch.MAGIC_VALUE_V1);

        // When it is produced
        var response = harness.produce(topic, 0, MemoryRecords.readableRecords(old));

        // Then the format is refused
        assertThat(response.errorCode()).isEqualTo(Errors.UNSUPPORTED_FOR_MESSAGE_FORMAT.code());
    }

    @Test
    void refusesAHeaderWhoseRecordCountDisagreesWithItsOffsets() {
        // Given a batch with a valid CRC that claims one more record than its last offset delta says
        ByteBuffer tampered = KafkaBatches.copy(KafkaBatches.plain(Compression.NONE, 1_000L, "a", "b"));
        tampered.putInt(57, 3);
        KafkaBatches.fixCrc(tampered);

        // When it is produced
        var response = harness.produce(topic, 0, MemoryRecords.readableRecords(tampered));

        // Then the header is refused
        assertThat(response.errorCode()).isEqualTo(Errors.INVALID_RECORD.code());
    }

    @Test
    void refusesATransactionalBatchWithoutTransactionalId() {
        // When a transactional batch is produced in a request that names no transactional id
        var response = harness.produce(topic, 0, KafkaBatches.transactional(5L, (short) 0, 0));

        // Then it is refused as Kafka does, and not appended
        assertThat(response.errorCode()).isEqualTo(Errors.TRANSACTIONAL_ID_AUTHORIZATION_FAILED.code());
        assertThat(harness.catalog.log(topic.name(), 0).orElseThrow().logEndOffset()).isZero();
    }

    @Test
    void stampsLogAppendTimeAndKeepsTheCrcValid() {
        // Given a topic with message.timestamp.type=LogAppendTime
        TopicInfo stamped = harness.catalog.create("stamped", 1,
                new EffectiveTopicConfig(TestCatalog.DEFAULT_MAX_MESSAGE_BYTES, true));
        long now = harness.clock.get();

        // When a compressed batch with old create times is produced
        var response = harness.produce(stamped, 0, KafkaBatches.plain(Compression.gzip().build(), 5L, "a", "b"));

        // Then the response and the stored batch carry the append time, and the CRC still matches
        assertThat(response.errorCode()).isEqualTo(Errors.NONE.code());
        assertThat(response.logAppendTimeMs()).isEqualTo(now);
        LogReadResult read = harness.catalog.log("stamped", 0).orElseThrow().read(0, 1 << 20, Long.MAX_VALUE, true);
        MutableRecordBatch stored = MemoryRecords.readableRecords(ByteBuffer.wrap(Wire.bytesOf(
                new io.memorystreamer.broker.internal.api.LogChunkRecords(read.chunks())))).batches().iterator().next();
        assertThat(stored.timestampType()).isEqualTo(TimestampType.LOG_APPEND_TIME);
        assertThat(stored.maxTimestamp()).isEqualTo(now);
        assertThat(stored.isValid()).isTrue();
        assertThat(stored.iterator().next().timestamp()).isEqualTo(now);
        assertThat(harness.listOffsets(stamped, 0, now, IsolationLevel.READ_UNCOMMITTED).offset()).isZero();
    }

    @Test
    void answersEveryPartitionOfAMultiTopicRequest() {
        // Given a request for two partitions of one topic and one of an unknown topic
        ProduceRequestData request = DataPlaneHarness.produceRequest(topic, 0,
                KafkaBatches.plain(Compression.NONE, 1_000L, "a"), (short) 1, (short) 12);
        ProduceRequestData.TopicProduceData orders = request.topicData().iterator().next();
        orders.setPartitionData(new java.util.ArrayList<>(orders.partitionData()));
        orders.partitionData().add(new ProduceRequestData.PartitionProduceData()
                .setIndex(1).setRecords(KafkaBatches.plain(Compression.NONE, 1_000L, "b", "c")));
        request.topicData().add(new ProduceRequestData.TopicProduceData().setName("nope")
                .setPartitionData(List.of(new ProduceRequestData.PartitionProduceData().setIndex(0)
                        .setRecords(KafkaBatches.plain(Compression.NONE, 1_000L, "c")))));

        // When it is handled
        ProduceResponseData response = harness.produce(request, (short) 12);

        // Then every partition is answered
        assertThat(response.responses()).hasSize(2);
        assertThat(response.responses().find("orders", Uuid.ZERO_UUID).partitionResponses()).extracting(ProduceResponseData.PartitionProduceResponse::errorCode)
                .containsExactly(Errors.NONE.code(), Errors.NONE.code());
        assertThat(response.responses().find("nope", Uuid.ZERO_UUID).partitionResponses().getFirst().errorCode())
                .isEqualTo(Errors.UNKNOWN_TOPIC_OR_PARTITION.code());
    }

    private PartitionLog log(int partition) {
        return harness.catalog.log(topic.name(), partition).orElseThrow();
    }

    private ByteBuffer storedBuffer(int partition) {
        LogReadResult read = log(partition).read(0, 1 << 20, Long.MAX_VALUE, true);
        return ByteBuffer.wrap(Wire.bytesOf(new io.memorystreamer.broker.internal.api.LogChunkRecords(read.chunks())));
    }

    private List<MutableRecordBatch> storedBatches(int partition) {
        List<MutableRecordBatch> batches = new java.util.ArrayList<>();
        MemoryRecords.readableRecords(storedBuffer(partition)).batches().forEach(batches::add);
        return batches;
    }

    private static List<String> recordValues(RecordBatch batch) {
        List<String> values = new java.util.ArrayList<>();
        for (Record record : batch) {
            values.add(java.nio.charset.StandardCharsets.UTF_8.decode(record.value()).toString());
        }
        return values;
    }
}
