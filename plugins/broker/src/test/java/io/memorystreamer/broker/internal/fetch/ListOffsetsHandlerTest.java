package io.memorystreamer.broker.internal.fetch;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.memorystreamer.broker.internal.produce.DataPlaneHarness;
import io.memorystreamer.broker.internal.topic.TopicInfo;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.IntStream;
import java.util.stream.Stream;
import org.apache.kafka.common.IsolationLevel;
import org.apache.kafka.common.compress.Compression;
import org.apache.kafka.common.errors.InvalidRequestException;
import org.apache.kafka.common.message.ListOffsetsRequestData;
import org.apache.kafka.common.message.ListOffsetsResponseData.ListOffsetsPartitionResponse;
import org.apache.kafka.common.protocol.ApiKeys;
import org.apache.kafka.common.protocol.Errors;
import org.apache.kafka.common.requests.ListOffsetsRequest;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

class ListOffsetsHandlerTest {

    @TempDir
    Path directory;

    private DataPlaneHarness harness;
    private TopicInfo topic;

    @BeforeEach
    void setUp() {
        harness = new DataPlaneHarness(directory);
        topic = harness.catalog.create("metrics", 1);
    }

    @AfterEach
    void tearDown() throws InterruptedException {
        harness.close();
    }

    @Test
    void listsTheEarliestAndLatestOffsets() {
        // Given five records, the first two deleted by retention
        harness.produce(topic, 0, KafkaBatches.plain(Compression.NONE, 1_000L, "a", "b"));
        harness.produce(topic, 0, KafkaBatches.plain(Compression.NONE, 1_000L, "c", "d", "e"));
        harness.catalog.log(topic.name(), 0).orElseThrow().deleteRecordsBefore(2);

        // When listing earliest, latest, and latest for read_committed
        ListOffsetsPartitionResponse earliest = list(ListOffsetsRequest.EARLIEST_TIMESTAMP, IsolationLevel.READ_UNCOMMITTED);
        ListOffsetsPartitionResponse latest = list(ListOffsetsRequest.LATEST_TIMESTAMP, IsolationLevel.READ_UNCOMMITTED);
        ListOffsetsPartitionResponse stable = list(ListOffsetsRequest.LATEST_TIMESTAMP, IsolationLevel.READ_COMMITTED);

        // Then they are the log start offset and the high watermark, at leader epoch 0
        assertThat(earliest.offset()).isEqualTo(2L);
        assertThat(earliest.timestamp()).isEqualTo(-1L);
        assertThat(earliest.leaderEpoch()).isZero();
        assertThat(latest.offset()).isEqualTo(5L);
        assertThat(stable.offset()).isEqualTo(5L);
    }

    @ParameterizedTest
    @ValueSource(strings = {"none", "gzip", "lz4", "zstd", "snappy"})
    void findsTheFirstRecordAtOrAfterATimestampInsideABatch(String codec) {
        // Given a batch whose records have timestamps 100, 200, 300, 400
        harness.produce(topic, 0, KafkaBatches.plain(Compression.NONE, 50L, "before"));
        harness.produce(topic, 0, KafkaBatches.withTimestamps(Compression.of(codec).build(), 100L, 200L, 300L, 400L));

        // When looking for 250
        ListOffsetsPartitionResponse found = list(250L, IsolationLevel.READ_UNCOMMITTED);

        // Then the record stamped 300 (offset 1 + 2) is the answer
        assertThat(found.errorCode()).isEqualTo(Errors.NONE.code());
        assertThat(found.offset()).isEqualTo(3L);
        assertThat(found.timestamp()).isEqualTo(300L);
        assertThat(found.leaderEpoch()).isZero();
    }

    @Test
    void findsNothingAfterTheNewestRecord() {
        // Given records up to timestamp 400
        harness.produce(topic, 0, KafkaBatches.withTimestamps(Compression.NONE, 100L, 400L));

        // When looking for 500
        ListOffsetsPartitionResponse found = list(500L, IsolationLevel.READ_UNCOMMITTED);

        // Then there is no offset
        assertThat(found.errorCode()).isEqualTo(Errors.NONE.code());
        assertThat(found.offset()).isEqualTo(-1L);
        assertThat(found.timestamp()).isEqualTo(-1L);
    }

    @Test
    void findsTheRecordWithTheLargestTimestamp() {
        // Given batches whose largest timestamp sits in the middle of the second one
        harness.produce(topic, 0, KafkaBatches.withTimestamps(Compression.NONE, 100L, 200L));
        harness.produce(topic, 0, KafkaBatches.withTimestamps(Compression.gzip().build(), 150L, 900L, 300L));
        harness.produce(topic, 0, KafkaBatches.withTimestamps(Compression.NONE, 500L));

        // When listing by max timestamp
        ListOffsetsPartitionResponse found = list(ListOffsetsRequest.MAX_TIMESTAMP, IsolationLevel.READ_UNCOMMITTED);

        // Then the record stamped 900 is the answer
        assertThat(found.offset()).isEqualTo(3L);
        assertThat(found.timestamp()).isEqualTo(900L);
    }

    @ParameterizedTest
    @MethodSource("everyVersion")
    void answersEveryAdvertisedVersion(short version) {
        // Given records stamped 100 and 400
        harness.produce(topic, 0, KafkaBatches.withTimestamps(Compression.NONE, 100L, 400L));

        // When a client of that version lists the latest offset and looks up a timestamp
        ListOffsetsPartitionResponse latest = harness.listOffsets(topic, 0, ListOffsetsRequest.LATEST_TIMESTAMP,
                IsolationLevel.READ_UNCOMMITTED, version);
        ListOffsetsPartitionResponse found = harness.listOffsets(topic, 0, 200L, IsolationLevel.READ_UNCOMMITTED,
                version);

        // Then both answers encode at that version; the leader epoch is there from version 4 on
        assertThat(latest.errorCode()).isEqualTo(Errors.NONE.code());
        assertThat(latest.offset()).isEqualTo(2L);
        assertThat(found.offset()).isEqualTo(1L);
        assertThat(found.timestamp()).isEqualTo(400L);
        assertThat(found.leaderEpoch()).isEqualTo(version >= 4 ? 0 : -1);
    }

    static Stream<Short> everyVersion() {
        return IntStream.rangeClosed(ApiKeys.LIST_OFFSETS.oldestVersion(), ApiKeys.LIST_OFFSETS.latestVersion())
                .mapToObj(version -> (short) version);
    }

    @Test
    void refusesAnUnknownIsolationLevelAsABadRequest() {
        // When a request names isolation level 7
        ListOffsetsRequestData request = new ListOffsetsRequestData().setReplicaId(-1).setIsolationLevel((byte) 7)
                .setTopics(List.of(new ListOffsetsRequestData.ListOffsetsTopic().setName(topic.name())
                        .setPartitions(List.of(new ListOffsetsRequestData.ListOffsetsPartition().setPartitionIndex(0)
                                .setTimestamp(ListOffsetsRequest.LATEST_TIMESTAMP)))));

        // Then it is refused as INVALID_REQUEST, naming the level
        assertThatThrownBy(() -> harness.call(ApiKeys.LIST_OFFSETS, request, ApiKeys.LIST_OFFSETS.latestVersion()))
                .isInstanceOf(InvalidRequestException.class).hasMessageContaining("isolation level 7");
    }

    @Test
    void reportsUnknownPartitions() {
        // When listing a partition that does not exist
        ListOffsetsPartitionResponse missing = harness.listOffsets(topic, 3, ListOffsetsRequest.LATEST_TIMESTAMP,
                IsolationLevel.READ_UNCOMMITTED);

        // Then it is unknown
        assertThat(missing.errorCode()).isEqualTo(Errors.UNKNOWN_TOPIC_OR_PARTITION.code());
    }

    private ListOffsetsPartitionResponse list(long timestamp, IsolationLevel isolation) {
        return harness.listOffsets(topic, 0, timestamp, isolation);
    }
}
