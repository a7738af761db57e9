package io.memorystreamer.broker.internal.produce;

import static org.assertj.core.api.Assertions.assertThat;

import io.memorystreamer.broker.internal.fetch.KafkaBatches;
import io.memorystreamer.broker.internal.topic.TopicInfo;
import io.memorystreamer.spi.storage.PartitionLog;
import java.nio.file.Path;
import org.apache.kafka.common.message.InitProducerIdResponseData;
import org.apache.kafka.common.message.ProduceResponseData;
import org.apache.kafka.common.protocol.Errors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class IdempotentProduceTest {

    @TempDir
    Path directory;

    private DataPlaneHarness harness;
    private TopicInfo topic;
    private long producerId;

    @BeforeEach
    void setUp() {
        harness = new DataPlaneHarness(directory);
        topic = harness.catalog.create("payments", 1);
        InitProducerIdResponseData init = harness.initProducerId(null);
        producerId = init.producerId();
    }

    @AfterEach
    void tearDown() throws InterruptedException {
        harness.close();
    }

    @Test
    void acknowledgesARetriedBatchWithItsOriginalOffsetWithoutAppendingIt() {
        // Given two appended batches of an idempotent producer
        produce(0, 3);
        ProduceResponseData.PartitionProduceResponse second = produce(3, 2);
        long logEnd = log().logEndOffset();

        // When the first batch is retried
        ProduceResponseData.PartitionProduceResponse retry = produce(0, 3);

        // Then it is acknowledged at its first offset and the log did not grow
        assertThat(second.baseOffset()).isEqualTo(3L);
        assertThat(retry.errorCode()).isEqualTo(Errors.NONE.code());
        assertThat(retry.baseOffset()).isZero();
        assertThat(log().logEndOffset()).isEqualTo(logEnd);
    }

    @Test
    void refusesASequenceGap() {
        // Given sequences 0..2 appended
        produce(0, 3);

        // When the next batch starts at 4
        ProduceResponseData.PartitionProduceResponse gap = produce(4, 1);

        // Then it is out of order and not appended
        assertThat(gap.errorCode()).isEqualTo(Errors.OUT_OF_ORDER_SEQUENCE_NUMBER.code());
        assertThat(log().logEndOffset()).isEqualTo(3L);
    }

    @Test
    void fencesAnOlderEpoch() {
        // Given the producer moved to epoch 1
        harness.produce(topic, 0, KafkaBatches.idempotent(producerId, (short) 1, 0, 1));

        // When a batch of epoch 0 arrives
        var stale = harness.produce(topic, 0, KafkaBatches.idempotent(producerId, (short) 0, 1, 1));

        // Then it is refused
        assertThat(stale.errorCode()).isEqualTo(Errors.INVALID_PRODUCER_EPOCH.code());
    }

    @Test
    void producerStateSurvivesARestartThroughItsSnapshot() {
        // Given appended batches and a clean restart (which stores a snapshot)
        produce(0, 2);
        produce(2, 2);
        harness.restart();

        // When the last batch is retried, and a batch with a gap arrives
        var retry = produce(2, 2);
        var gap = produce(5, 1);

        // Then the retry is recognised and the gap refused
        assertThat(retry.baseOffset()).isEqualTo(2L);
        assertThat(gap.errorCode()).isEqualTo(Errors.OUT_OF_ORDER_SEQUENCE_NUMBER.code());
        assertThat(log().logEndOffset()).isEqualTo(4L);
    }

    @Test
    void producerStateSurvivesARestartOfLogsAndStateStore() {
        // Given appended batches, then logs, state store and APIs all restarted from their files
        produce(0, 2);
        produce(2, 2);
        harness.restartEverything();

        // When the last batch is retried and the next one sent
        var retry = produce(2, 2);
        var next = produce(4, 1);

        // Then the retry is recognised and the next is appended after it
        assertThat(retry.baseOffset()).isEqualTo(2L);
        assertThat(next.baseOffset()).isEqualTo(4L);
    }

    @Test
    void producerStateIsRebuiltFromTheLogAfterACrash() {
        // Given appended batches and a crash before any snapshot
        produce(0, 2);
        produce(2, 3);
        harness.crashAndRestart();

        // When the last batch is retried and the next one sent
        var retry = produce(2, 3);
        var next = produce(5, 1);

        // Then the retry is recognised from the log's batch headers and the next is in sequence
        assertThat(retry.baseOffset()).isEqualTo(2L);
        assertThat(next.errorCode()).isEqualTo(Errors.NONE.code());
        assertThat(next.baseOffset()).isEqualTo(5L);
    }

    @Test
    void replaysTheLogAfterTheSnapshotOffset() {
        // Given a snapshot after the first batch, then a second batch, then a crash
        produce(0, 2);
        harness.apis().maintain();
        produce(2, 2);
        harness.crashAndRestart();

        // When both batches are retried
        var first = produce(0, 2);
        var second = produce(2, 2);

        // Then both are recognised: one from the snapshot, one replayed from the log
        assertThat(first.baseOffset()).isZero();
        assertThat(second.baseOffset()).isEqualTo(2L);
        assertThat(log().logEndOffset()).isEqualTo(4L);
    }

    @Test
    void forgetsIdleProducers() {
        // Given a producer that appended and then stayed idle past producer.id.expiration.ms
        produce(0, 1);
        harness.clock.addAndGet(DataPlaneHarness.EXPIRATION_MS);
        harness.apis().maintain();

        // When it sends a later sequence
        var later = produce(10, 1);

        // Then it is accepted as an unknown producer would be
        assertThat(later.errorCode()).isEqualTo(Errors.NONE.code());
        assertThat(later.baseOffset()).isEqualTo(1L);
    }

    @Test
    void ignoresTheSnapshotOfADeletedTopicRecreatedUnderTheSameName() {
        // Given producer state for a topic that is deleted and created again without cleanup
        produce(0, 1);
        harness.apis().maintain();
        harness.catalog.delete("payments");
        topic = harness.catalog.create("payments", 1);

        // When the producer continues at sequence 1 on the new topic
        var next = produce(1, 1);

        // Then it starts afresh at offset 0 (the old topic's state does not apply)
        assertThat(next.errorCode()).isEqualTo(Errors.NONE.code());
        assertThat(next.baseOffset()).isZero();
    }

    @Test
    void initProducerIdHandsOutDistinctIdsAndRefusesTransactions() {
        // When two idempotent producers and one transactional producer initialise
        InitProducerIdResponseData first = harness.initProducerId(null);
        InitProducerIdResponseData second = harness.initProducerId(null);
        InitProducerIdResponseData transactional = harness.initProducerId("tx-1");

        // Then the idempotent ones get distinct ids at epoch 0 and the transactional one is refused
        assertThat(first.errorCode()).isEqualTo(Errors.NONE.code());
        assertThat(first.producerEpoch()).isZero();
        assertThat(second.producerId()).isNotEqualTo(first.producerId()).isNotEqualTo(producerId);
        assertThat(transactional.errorCode()).isEqualTo(Errors.UNSUPPORTED_VERSION.code());
    }

    private ProduceResponseData.PartitionProduceResponse produce(int baseSequence, int records) {
        return harness.produce(topic, 0, KafkaBatches.idempotent(producerId, (short) 0, baseSequence, records));
    }

    private PartitionLog log() {
        return harness.catalog.log(topic.name(), 0).orElseThrow();
    }
}
