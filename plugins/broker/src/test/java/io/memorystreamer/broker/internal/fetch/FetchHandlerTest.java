package io.memorystreamer.broker.internal.fetch;

import static io.memorystreamer.broker.internal.produce.DataPlaneHarness.FETCH_LATEST;
import static org.assertj.core.api.Assertions.assertThat;

import io.memorystreamer.broker.internal.produce.DataPlaneHarness;
import io.memorystreamer.broker.internal.produce.DataPlaneHarness.FetchTarget;
import io.memorystreamer.broker.internal.topic.TopicInfo;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.kafka.common.IsolationLevel;
import org.apache.kafka.common.Uuid;
import org.apache.kafka.common.compress.Compression;
import org.apache.kafka.common.message.FetchRequestData;
import org.apache.kafka.common.message.FetchResponseData;
import org.apache.kafka.common.protocol.Errors;
import org.apache.kafka.common.record.internal.MemoryRecords;
import org.apache.kafka.common.record.internal.RecordBatch;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class FetchHandlerTest {

    private static final int BATCH_VALUE_BYTES = 1_000;

    @TempDir
    Path directory;

    private DataPlaneHarness harness;
    private TopicInfo topic;
    private int batchSize;

    @BeforeEach
    void setUp() {
        harness = new DataPlaneHarness(directory);
        topic = harness.catalog.create("events", 2);
        batchSize = KafkaBatches.sized(1, BATCH_VALUE_BYTES).sizeInBytes();
    }

    @AfterEach
    void tearDown() throws InterruptedException {
        harness.close();
    }

    @ParameterizedTest
    @ValueSource(shorts = {4, 7, 11, 12, 13, 16, 17, 18})
    void returnsProducedBatchesWithPartitionOffsetsAtEveryVersion(short version) {
        // Given two batches in partition 0
        harness.produce(topic, 0, KafkaBatches.plain(Compression.NONE, 1_000L, "a", "b"));
        harness.produce(topic, 0, KafkaBatches.plain(Compression.lz4().build(), 1_000L, "c"));

        // When a consumer fetches from offset 0
        FetchResponseData response = harness.fetch(DataPlaneHarness.fetchRequest(version, 0, 1, Integer.MAX_VALUE,
                IsolationLevel.READ_UNCOMMITTED, List.of(new FetchTarget(topic, 0, 0, 1 << 20))), version).join();

        // Then both batches come back with the partition's offsets and no session
        assertThat(response.errorCode()).isEqualTo(Errors.NONE.code());
        assertThat(response.sessionId()).isZero();
        FetchResponseData.PartitionData partition = only(response);
        assertThat(partition.errorCode()).isEqualTo(Errors.NONE.code());
        assertThat(partition.highWatermark()).isEqualTo(3L);
        assertThat(partition.lastStableOffset()).isEqualTo(3L);
        assertThat(partition.logStartOffset()).isEqualTo(version >= 5 ? 0L : -1L);
        assertThat(partition.preferredReadReplica()).isEqualTo(-1);
        assertThat(partition.abortedTransactions()).isNull();
        assertThat(baseOffsets(partition)).containsExactly(0L, 2L);
        FetchResponseData.FetchableTopicResponse topicResponse = response.responses().getFirst();
        if (version >= 13) {
            assertThat(topicResponse.topicId()).isEqualTo(topic.id());
        } else {
            assertThat(topicResponse.topic()).isEqualTo(topic.name());
        }
    }

    @Test
    void readCommittedReturnsAnEmptyAbortedTransactionList() {
        // Given a batch
        harness.produce(topic, 0, KafkaBatches.plain(Compression.NONE, 1_000L, "a"));

        // When a read_committed consumer fetches
        FetchResponseData.PartitionData partition = only(fetch(IsolationLevel.READ_COMMITTED, Integer.MAX_VALUE,
                new FetchTarget(topic, 0, 0, 1 << 20)));

        // Then it reads up to the last stable offset with no aborted transactions
        assertThat(partition.lastStableOffset()).isEqualTo(1L);
        assertThat(partition.abortedTransactions()).isEmpty();
        assertThat(baseOffsets(partition)).containsExactly(0L);
    }

    @Test
    void stopsAtThePartitionLimitAfterTheFirstBatch() {
        // Given three batches in a partition
        produceSized(0, 3);

        // When the partition limit fits two and a half batches
        FetchResponseData.PartitionData partition = only(fetch(IsolationLevel.READ_UNCOMMITTED, Integer.MAX_VALUE,
                new FetchTarget(topic, 0, 0, batchSize * 5 / 2)));

        // Then two whole batches come back
        assertThat(baseOffsets(partition)).containsExactly(0L, 1L);
    }

    @Test
    void returnsTheFirstBatchEvenWhenItExceedsTheLimitsKip74() {
        // Given a batch in each partition
        produceSized(0, 1);
        produceSized(1, 1);

        // When both the partition limit and the total limit are smaller than one batch
        FetchResponseData response = fetch(IsolationLevel.READ_UNCOMMITTED, batchSize / 2,
                new FetchTarget(topic, 0, 0, batchSize / 2), new FetchTarget(topic, 1, 0, batchSize / 2));

        // Then the first partition returns its whole batch, the second nothing, and both are listed
        List<FetchResponseData.PartitionData> partitions = partitions(response);
        assertThat(partitions).hasSize(2);
        assertThat(baseOffsets(partitions.get(0))).containsExactly(0L);
        assertThat(baseOffsets(partitions.get(1))).isEmpty();
        assertThat(partitions.get(1).highWatermark()).isEqualTo(1L);
    }

    @Test
    void skipsEmptyPartitionsBeforeGrantingTheWholeFirstBatch() {
        // Given an empty partition 0 and a batch in partition 1
        produceSized(1, 1);

        // When the limits are smaller than the batch
        FetchResponseData response = fetch(IsolationLevel.READ_UNCOMMITTED, batchSize / 2,
                new FetchTarget(topic, 0, 0, batchSize / 2), new FetchTarget(topic, 1, 0, batchSize / 2));

        // Then partition 1, the first with data, still returns its batch
        assertThat(baseOffsets(partitions(response).get(1))).containsExactly(0L);
    }

    @Test
    void sharesTheTotalLimitAcrossPartitions() {
        // Given two batches in each partition
        produceSized(0, 2);
        produceSized(1, 2);

        // When the total limit fits three batches
        FetchResponseData response = fetch(IsolationLevel.READ_UNCOMMITTED, batchSize * 3,
                new FetchTarget(topic, 0, 0, 1 << 20), new FetchTarget(topic, 1, 0, 1 << 20));

        // Then partition 0 returns two and partition 1 one
        List<FetchResponseData.PartitionData> partitions = partitions(response);
        assertThat(baseOffsets(partitions.get(0))).containsExactly(0L, 1L);
        assertThat(baseOffsets(partitions.get(1))).containsExactly(0L);
    }

    @Test
    void reportsOffsetsOutOfRangeAndUnknownPartitionsWhileAnsweringTheOthers() {
        // Given one batch in partition 0
        produceSized(0, 1);
        TopicInfo unknown = new TopicInfo("gone", Uuid.randomUuid(), 1, Map.of());

        // When fetching past the end, from an unknown partition and from an unknown topic id
        FetchResponseData response = fetch(IsolationLevel.READ_UNCOMMITTED, Integer.MAX_VALUE,
                new FetchTarget(topic, 0, 5, 1 << 20), new FetchTarget(topic, 9, 0, 1 << 20),
                new FetchTarget(unknown, 0, 0, 1 << 20));

        // Then each partition carries its error
        assertThat(partitions(response)).extracting(FetchResponseData.PartitionData::errorCode).containsExactly(
                Errors.OFFSET_OUT_OF_RANGE.code(), Errors.UNKNOWN_TOPIC_OR_PARTITION.code(), Errors.UNKNOWN_TOPIC_ID.code());
    }

    @Test
    void declinesToContinueAFetchSession() {
        // Given a request that continues session 7 at epoch 3
        FetchRequestData request = DataPlaneHarness.fetchRequest(FETCH_LATEST, 0, 1, Integer.MAX_VALUE,
                IsolationLevel.READ_UNCOMMITTED, List.of(new FetchTarget(topic, 0, 0, 1 << 20)))
                .setSessionId(7).setSessionEpoch(3);

        // When it is handled
        FetchResponseData response = harness.fetch(request, FETCH_LATEST).join();

        // Then the client is told to start over with a full fetch
        assertThat(response.errorCode()).isEqualTo(Errors.FETCH_SESSION_ID_NOT_FOUND.code());
        assertThat(response.sessionId()).isZero();
    }

    @Test
    void fetchesByTopicNameBeforeVersion13() {
        // Given a batch
        produceSized(0, 1);

        // When fetched with version 12, which names topics
        FetchResponseData response = harness.fetch(DataPlaneHarness.fetchRequest((short) 12, 0, 1, Integer.MAX_VALUE,
                IsolationLevel.READ_UNCOMMITTED, List.of(new FetchTarget(topic, 0, 0, 1 << 20))), (short) 12).join();

        // Then it is found by name
        assertThat(baseOffsets(only(response))).containsExactly(0L);
    }

    private void produceSized(int partition, int batches) {
        for (int i = 0; i < batches; i++) {
            harness.produce(topic, partition, KafkaBatches.sized(1, BATCH_VALUE_BYTES));
        }
    }

    private FetchResponseData fetch(IsolationLevel isolation, int maxBytes, FetchTarget... targets) {
        return harness.fetch(DataPlaneHarness.fetchRequest(FETCH_LATEST, 0, 1, maxBytes, isolation, List.of(targets)),
                FETCH_LATEST).join();
    }

    static FetchResponseData.PartitionData only(FetchResponseData response) {
        List<FetchResponseData.PartitionData> partitions = partitions(response);
        assertThat(partitions).hasSize(1);
        return partitions.getFirst();
    }

    static List<FetchResponseData.PartitionData> partitions(FetchResponseData response) {
        List<FetchResponseData.PartitionData> partitions = new ArrayList<>();
        response.responses().forEach(topic -> partitions.addAll(topic.partitions()));
        return partitions;
    }

    static List<Long> baseOffsets(FetchResponseData.PartitionData partition) {
        List<Long> offsets = new ArrayList<>();
        for (RecordBatch batch : ((MemoryRecords) partition.records()).batches()) {
            assertThat(batch.isValid()).isTrue();
            offsets.add(batch.baseOffset());
        }
        return offsets;
    }
}
