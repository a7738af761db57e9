package io.memorystreamer.broker.internal.fetch;

import static io.memorystreamer.broker.internal.fetch.FetchHandlerTest.baseOffsets;
import static io.memorystreamer.broker.internal.fetch.FetchHandlerTest.only;
import static io.memorystreamer.broker.internal.produce.DataPlaneHarness.FETCH_LATEST;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.memorystreamer.broker.internal.produce.DataPlaneHarness;
import io.memorystreamer.broker.internal.produce.DataPlaneHarness.FetchTarget;
import io.memorystreamer.broker.internal.topic.TopicInfo;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.apache.kafka.common.IsolationLevel;
import org.apache.kafka.common.compress.Compression;
import org.apache.kafka.common.message.FetchResponseData;
import org.apache.kafka.common.protocol.Errors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class LongPollFetchTest {

    private static final int LONG_WAIT_MS = 60_000;

    @TempDir
    Path directory;

    private DataPlaneHarness harness;
    private TopicInfo topic;

    @BeforeEach
    void setUp() {
        harness = new DataPlaneHarness(directory);
        topic = harness.catalog.create("stream", 2);
    }

    @AfterEach
    void tearDown() throws InterruptedException {
        harness.close();
    }

    @Test
    void waitsForAnAppendAndThenReturnsIt() {
        // Given a consumer waiting at the end of an empty partition
        CompletableFuture<FetchResponseData> pending = fetch(LONG_WAIT_MS, 1, 0);
        assertThat(pending).isNotDone();

        // When a producer appends to the partition
        harness.produce(topic, 0, KafkaBatches.plain(Compression.NONE, 1_000L, "hello"));

        // Then the fetch completes with the new batch and is no longer held
        FetchResponseData response = await().atMost(Duration.ofSeconds(10)).until(() -> pending.getNow(null), r -> r != null);
        assertThat(baseOffsets(only(response))).containsExactly(0L);
        assertThat(harness.parkedFetches()).isZero();
    }

    @Test
    void keepsWaitingUntilMinBytesArrive() {
        // Given a consumer that wants at least two small batches' worth of bytes
        int oneBatch = KafkaBatches.plain(Compression.NONE, 1_000L, "x").sizeInBytes();
        CompletableFuture<FetchResponseData> pending = fetch(LONG_WAIT_MS, oneBatch * 2, 0);

        // When one batch is appended it keeps waiting; when a second is appended it completes
        harness.produce(topic, 0, KafkaBatches.plain(Compression.NONE, 1_000L, "x"));
        boolean doneAfterOne = pending.isDone();
        harness.produce(topic, 0, KafkaBatches.plain(Compression.NONE, 1_000L, "y"));

        // Then it returns both batches
        assertThat(doneAfterOne).isFalse();
        FetchResponseData response = await().atMost(Duration.ofSeconds(10)).until(() -> pending.getNow(null), r -> r != null);
        assertThat(baseOffsets(only(response))).containsExactly(0L, 1L);
    }

    @Test
    void ignoresAppendsToOtherPartitions() {
        // Given a consumer waiting on partition 0
        CompletableFuture<FetchResponseData> pending = fetch(LONG_WAIT_MS, 1, 0);

        // When partition 1 gets data
        harness.produce(topic, 1, KafkaBatches.plain(Compression.NONE, 1_000L, "elsewhere"));

        // Then the fetch still waits
        assertThat(pending).isNotDone();
    }

    @Test
    void answersEmptyWhenTheWaitRunsOut() {
        // Given a consumer that waits at most 200 ms
        CompletableFuture<FetchResponseData> pending = fetch(200, 1, 0);

        // When nothing is appended
        FetchResponseData response = await().atMost(Duration.ofSeconds(10)).until(() -> pending.getNow(null), r -> r != null);

        // Then it completes with no records and is no longer held
        FetchResponseData.PartitionData partition = only(response);
        assertThat(partition.errorCode()).isEqualTo(Errors.NONE.code());
        assertThat(partition.records().sizeInBytes()).isZero();
        assertThat(harness.parkedFetches()).isZero();
    }

    @Test
    void answersWaitingFetchesOnClose() {
        // Given a waiting consumer
        CompletableFuture<FetchResponseData> pending = fetch(LONG_WAIT_MS, 1, 0);

        // When the APIs close
        harness.restart();

        // Then the fetch is answered
        assertThat(pending).isCompleted();
    }

    @Test
    void answersWaitingFetchesWhenTheirTopicIsDeleted() {
        // Given a waiting consumer
        CompletableFuture<FetchResponseData> pending = fetch(LONG_WAIT_MS, 1, 0);

        // When the topic is deleted
        harness.catalog.delete(topic.name());
        harness.apis().onTopicDeleted(topic.name());

        // Then the fetch is answered with the topic gone
        assertThat(pending).isCompleted();
        assertThat(only(pending.join()).errorCode()).isEqualTo(Errors.UNKNOWN_TOPIC_ID.code());
    }

    private CompletableFuture<FetchResponseData> fetch(int maxWaitMs, int minBytes, long offset) {
        return harness.fetch(DataPlaneHarness.fetchRequest(FETCH_LATEST, maxWaitMs, minBytes, Integer.MAX_VALUE,
                IsolationLevel.READ_UNCOMMITTED, List.of(new FetchTarget(topic, 0, offset, 1 << 20))), FETCH_LATEST);
    }
}
