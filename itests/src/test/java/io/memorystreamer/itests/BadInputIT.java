package io.memorystreamer.itests;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.memorystreamer.itests.support.BrokerProcess;
import io.memorystreamer.itests.support.Clients;
import io.memorystreamer.itests.support.RawConnection;
import java.io.ByteArrayOutputStream;
import java.io.DataOutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.compress.Compression;
import org.apache.kafka.common.errors.RecordTooLargeException;
import org.apache.kafka.common.message.ApiVersionsResponseData;
import org.apache.kafka.common.message.ProduceRequestData;
import org.apache.kafka.common.message.ProduceResponseData;
import org.apache.kafka.common.protocol.ApiKeys;
import org.apache.kafka.common.protocol.ByteBufferAccessor;
import org.apache.kafka.common.protocol.Errors;
import org.apache.kafka.common.record.internal.MemoryRecords;
import org.apache.kafka.common.record.internal.SimpleRecord;
import org.apache.kafka.common.utils.internals.Crc32C;
import org.apache.kafka.common.requests.ApiVersionsRequest;
import org.apache.kafka.common.requests.ApiVersionsResponse;
import org.apache.kafka.common.requests.ProduceRequest;
import org.apache.kafka.common.requests.ProduceResponse;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Bad input gets a precise error or a logged close, and everyone else keeps being served. */
class BadInputIT {

    @TempDir
    static Path work;

    static BrokerProcess broker;

    @BeforeAll
    static void startBroker() {
        broker = BrokerProcess.start(work, Map.of("socket.request.max.bytes", "1048576"));
        Clients.createTopic(broker.bootstrap(), "healthy", 1);
    }

    @AfterAll
    static void stopBroker() {
        broker.close();
    }

    @Test
    void garbageFrameClosesThatConnectionOnly() throws Exception {
        try (RawConnection raw = new RawConnection(broker.bootstrap())) {
            // When a client sends a frame of garbage
            raw.sendFrame(new byte[] {0x7f, 0x11, 0x22, 0x33, 0x44, 0x55, 0x66, 0x77, (byte) 0x88, (byte) 0x99, 0x00, 0x01});

            // Then the broker closes that connection and says why
            assertThat(raw.closedByBroker()).isTrue();
        }
        await().atMost(Duration.ofSeconds(10)).until(() -> !broker.logLines("Closing connection").isEmpty());
        assertHealthy();
    }

    @Test
    void frameOverSocketRequestMaxBytesIsRefused() throws Exception {
        try (RawConnection raw = new RawConnection(broker.bootstrap())) {
            // When a client announces a frame larger than socket.request.max.bytes
            raw.sendSizeOnly(2 * 1024 * 1024, 64);

            // Then the connection is closed with a log line naming the limit
            assertThat(raw.closedByBroker()).isTrue();
        }
        await().atMost(Duration.ofSeconds(10)).until(() -> !broker.logLines("socket.request.max.bytes").isEmpty());
        assertHealthy();
    }

    @Test
    void batchWithBadCrcIsRejectedAsCorrupt() throws Exception {
        // Given a valid batch with one payload byte flipped after the CRC was computed
        ByteBuffer corrupt = oneRecordBatch();
        int last = corrupt.limit() - 2;
        corrupt.put(last, (byte) (corrupt.get(last) ^ 0x5a));

        try (RawConnection raw = new RawConnection(broker.bootstrap())) {
            // When it is produced
            ProduceResponseData.PartitionProduceResponse partition = produceToHealthy(raw, corrupt, "bad-crc");

            // Then the partition answers CORRUPT_MESSAGE, and the connection keeps working
            assertThat(Errors.forCode(partition.errorCode())).isEqualTo(Errors.CORRUPT_MESSAGE);
            ApiVersionsResponse versions = (ApiVersionsResponse) raw.request(new ApiVersionsRequest.Builder().build(), "bad-crc");
            assertThat(Errors.forCode(versions.data().errorCode())).isEqualTo(Errors.NONE);
        }
        assertThat(Clients.endOffset(broker.bootstrap(), new org.apache.kafka.common.TopicPartition("healthy", 0)))
                .as("nothing of the corrupt batch was appended").isEqualTo(healthyAppends());
    }

    @Test
    void malformedRecordsUnderAValidCrcAreRefusedAndConsumersReadOn() throws Exception {
        // Given a partition with a record in it, and a batch whose first record's size is wrong,
        // with a CRC-32C computed over it as a faulty producer would compute it
        assertHealthy();
        ByteBuffer malformed = oneRecordBatch();
        int firstRecord = 61;
        malformed.put(firstRecord, (byte) (malformed.get(firstRecord) + 2));
        malformed.putInt(17, (int) Crc32C.compute(malformed, 21, malformed.limit() - 21));

        try (RawConnection raw = new RawConnection(broker.bootstrap())) {
            // When it is produced
            ProduceResponseData.PartitionProduceResponse partition = produceToHealthy(raw, malformed, "malformed");

            // Then the partition answers INVALID_RECORD with what is wrong, and nothing is stored
            assertThat(Errors.forCode(partition.errorCode())).isEqualTo(Errors.INVALID_RECORD);
            assertThat(partition.errorMessage()).contains("record 0");
        }
        assertThat(Clients.endOffset(broker.bootstrap(), new org.apache.kafka.common.TopicPartition("healthy", 0)))
                .as("nothing of the malformed batch was appended").isEqualTo(healthyAppends());
        assertThat(Clients.readPartition(broker.bootstrap(), new org.apache.kafka.common.TopicPartition("healthy", 0),
                0, healthyAppends(), Duration.ofSeconds(30)))
                .as("a consumer reads the partition to its end").hasSize((int) healthyAppends());
    }

    @Test
    void oversizedRecordGetsMessageTooLarge() throws Exception {
        // Given a topic that accepts batches of at most 10,000 bytes
        try (Admin admin = Clients.admin(broker.bootstrap())) {
            admin.createTopics(List.of(new NewTopic("small-messages", 1, (short) 1)
                    .configs(Map.of("max.message.bytes", "10000")))).all().get();
        }
        try (KafkaProducer<byte[], byte[]> producer = Clients.producer(broker.bootstrap(), Map.of())) {
            // When a 50 KB record is sent
            // Then the producer gets RecordTooLargeException from the broker's MESSAGE_TOO_LARGE
            assertThatThrownBy(() -> producer.send(new ProducerRecord<>("small-messages", new byte[50_000])).get())
                    .isInstanceOf(ExecutionException.class)
                    .hasCauseInstanceOf(RecordTooLargeException.class);

            // And a small record on the same producer still succeeds
            RecordMetadata ok = producer.send(new ProducerRecord<>("small-messages", new byte[100])).get();
            assertThat(ok.offset()).isZero();
        }
    }

    @Test
    void unsupportedApiVersionsVersionGetsVersionZeroErrorResponse() throws Exception {
        try (RawConnection raw = new RawConnection(broker.bootstrap())) {
            // When a client sends ApiVersions at a version from the future (KIP-511)
            ByteArrayOutputStream bytes = new ByteArrayOutputStream();
            DataOutputStream frame = new DataOutputStream(bytes);
            frame.writeShort(ApiKeys.API_VERSIONS.id);
            frame.writeShort(127);
            frame.writeInt(42);
            frame.writeShort(6);
            frame.writeBytes("future");
            frame.writeByte(0); // no tagged fields
            frame.writeByte(0); // body: nothing the broker can parse
            raw.sendFrame(bytes.toByteArray());

            // Then it answers with a v0 ApiVersionsResponse: UNSUPPORTED_VERSION and the supported ranges
            ByteBuffer response = ByteBuffer.wrap(raw.receiveFrame());
            assertThat(response.getInt()).isEqualTo(42);
            ApiVersionsResponseData data = new ApiVersionsResponseData();
            data.read(new ByteBufferAccessor(response), (short) 0);
            assertThat(Errors.forCode(data.errorCode())).isEqualTo(Errors.UNSUPPORTED_VERSION);
            assertThat(data.apiKeys().find(ApiKeys.API_VERSIONS.id)).isNotNull();
        }
    }

    @Test
    void unknownApiKeyClosesTheConnection() throws Exception {
        try (RawConnection raw = new RawConnection(broker.bootstrap())) {
            ByteArrayOutputStream bytes = new ByteArrayOutputStream();
            DataOutputStream frame = new DataOutputStream(bytes);
            frame.writeShort(9_999);
            frame.writeShort(0);
            frame.writeInt(7);
            frame.writeShort(-1);
            raw.sendFrame(bytes.toByteArray());
            assertThat(raw.closedByBroker()).isTrue();
        }
        assertHealthy();
    }

    /** A valid one-record batch, for tampering. */
    private static ByteBuffer oneRecordBatch() {
        return MemoryRecords.withRecords(Compression.NONE, new SimpleRecord(System.currentTimeMillis(),
                "k".getBytes(StandardCharsets.UTF_8), "payload".getBytes(StandardCharsets.UTF_8))).buffer().duplicate();
    }

    /** Sends {@code batch} to partition 0 of the healthy topic (Produce v12, acks=all) and returns its answer. */
    private static ProduceResponseData.PartitionProduceResponse produceToHealthy(RawConnection raw, ByteBuffer batch,
            String clientId) throws Exception {
        ProduceRequestData data = new ProduceRequestData().setAcks((short) -1).setTimeoutMs(10_000);
        ProduceRequestData.TopicProduceData topicData = new ProduceRequestData.TopicProduceData().setName("healthy");
        topicData.partitionData().add(new ProduceRequestData.PartitionProduceData().setIndex(0)
                .setRecords(MemoryRecords.readableRecords(batch)));
        data.topicData().add(topicData);
        ProduceResponse response = (ProduceResponse) raw.request(new ProduceRequest(data, (short) 12), clientId);
        return response.data().responses().iterator().next().partitionResponses().get(0);
    }

    private static int healthyWrites;

    private static synchronized long healthyAppends() {
        return healthyWrites;
    }

    /** The broker keeps serving well-behaved clients. */
    private static synchronized void assertHealthy() throws Exception {
        try (KafkaProducer<byte[], byte[]> producer = Clients.producer(broker.bootstrap(), Map.of())) {
            RecordMetadata metadata = producer.send(new ProducerRecord<>("healthy", 0, null, "ok".getBytes(StandardCharsets.UTF_8))).get();
            assertThat(metadata.offset()).isEqualTo(healthyWrites);
            healthyWrites++;
        }
    }
}
