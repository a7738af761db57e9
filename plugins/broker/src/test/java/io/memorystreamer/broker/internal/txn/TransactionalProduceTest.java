package io.memorystreamer.broker.internal.txn;

import static org.assertj.core.api.Assertions.assertThat;

import io.memorystreamer.broker.internal.fetch.KafkaBatches;
import io.memorystreamer.broker.internal.topic.TopicInfo;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.apache.kafka.common.IsolationLevel;
import org.apache.kafka.common.compress.Compression;
import org.apache.kafka.common.message.DescribeProducersRequestData;
import org.apache.kafka.common.message.DescribeProducersResponseData;
import org.apache.kafka.common.message.FetchResponseData;
import org.apache.kafka.common.message.InitProducerIdResponseData;
import org.apache.kafka.common.message.ProduceResponseData;
import org.apache.kafka.common.protocol.ApiKeys;
import org.apache.kafka.common.protocol.Errors;
import org.apache.kafka.common.record.internal.MemoryRecords;
import org.apache.kafka.common.requests.ListOffsetsRequest;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Transactional batches on partitions: server-side verification (KIP-890 part 1), the last stable
 * offset, markers and the aborted-transaction index as read_committed fetches see them.
 */
class TransactionalProduceTest {

    private static final String TX = "orders-tx";

    @TempDir
    Path directory;

    private TransactionHarness harness;
    private TopicInfo topic;
    private long producerId;
    private short epoch;

    @BeforeEach
    void setUp() {
        harness = new TransactionHarness(directory);
        topic = harness.catalog().create("orders", 2);
        InitProducerIdResponseData init = harness.initProducerId(TX);
        producerId = init.producerId();
        epoch = init.producerEpoch();
    }

    @AfterEach
    void tearDown() throws InterruptedException {
        harness.close();
    }

    @Test
    void refusesATransactionalBatchForAPartitionNotInTheTransaction() {
        // Given an open transaction on partition 0 only
        harness.addPartitions(TX, producerId, epoch, topic, 0);

        // When the producer writes transactionally to partition 1
        ProduceResponseData.PartitionProduceResponse response = produce(1, 0, "stray");

        // Then it is refused and nothing is appended
        assertThat(response.errorCode()).isEqualTo(Errors.INVALID_TXN_STATE.code());
        assertThat(logEnd(1)).isZero();
    }

    @Test
    void theLastStableOffsetStaysAtTheFirstOpenTransactionalRecord() {
        // Given a plain record, then an open transaction with two batches
        harness.data.produce(topic, 0, KafkaBatches.plain(Compression.NONE, 1L, "plain"));
        harness.addPartitions(TX, producerId, epoch, topic, 0);
        produce(0, 0, "a", "b");
        produce(0, 2, "c");

        // When read_committed and read_uncommitted consumers fetch
        FetchResponseData.PartitionData committed = harness.fetch(topic, 0, 0, IsolationLevel.READ_COMMITTED);
        FetchResponseData.PartitionData uncommitted = harness.fetch(topic, 0, 0, IsolationLevel.READ_UNCOMMITTED);

        // Then read_committed stops before the transaction and read_uncommitted sees it all
        assertThat(committed.highWatermark()).isEqualTo(4L);
        assertThat(committed.lastStableOffset()).isEqualTo(1L);
        assertThat(TransactionHarness.values(committed)).containsExactly("plain");
        assertThat(TransactionHarness.values(uncommitted)).containsExactly("plain", "a", "b", "c");
        assertThat(harness.data.listOffsets(topic, 0, ListOffsetsRequest.LATEST_TIMESTAMP, IsolationLevel.READ_COMMITTED)
                .offset()).isEqualTo(1L);
        assertThat(harness.data.listOffsets(topic, 0, ListOffsetsRequest.LATEST_TIMESTAMP,
                IsolationLevel.READ_UNCOMMITTED).offset()).isEqualTo(4L);
    }

    @Test
    void aCommitMakesTheTransactionVisibleWithItsMarker() {
        // Given a transaction with records on both partitions
        harness.addPartitions(TX, producerId, epoch, topic, 0, 1);
        produce(0, 0, "a", "b");
        produce(1, 0, "c");

        // When it commits
        short error = harness.endTxn(TX, producerId, epoch, true);

        // Then each partition has its COMMIT marker and read_committed sees every record, none aborted
        assertThat(error).isEqualTo(Errors.NONE.code());
        FetchResponseData.PartitionData zero = harness.fetch(topic, 0, 0, IsolationLevel.READ_COMMITTED);
        FetchResponseData.PartitionData one = harness.fetch(topic, 1, 0, IsolationLevel.READ_COMMITTED);
        assertThat(zero.lastStableOffset()).isEqualTo(3L).isEqualTo(zero.highWatermark());
        assertThat(TransactionHarness.values(zero)).containsExactly("a", "b");
        assertThat(TransactionHarness.values(one)).containsExactly("c");
        assertThat(zero.abortedTransactions()).isEmpty();
        assertThat(controlBatches(zero)).isEqualTo(1);
    }

    @Test
    void anAbortIsListedForReadCommittedConsumers() {
        // Given a committed transaction, then an aborted one
        harness.addPartitions(TX, producerId, epoch, topic, 0);
        produce(0, 0, "kept");
        harness.endTxn(TX, producerId, epoch, true);
        harness.addPartitions(TX, producerId, epoch, topic, 0);
        produce(0, 1, "dropped-1", "dropped-2");
        harness.endTxn(TX, producerId, epoch, false);

        // When read_committed and read_uncommitted consumers fetch from the start
        FetchResponseData.PartitionData committed = harness.fetch(topic, 0, 0, IsolationLevel.READ_COMMITTED);
        FetchResponseData.PartitionData uncommitted = harness.fetch(topic, 0, 0, IsolationLevel.READ_UNCOMMITTED);

        // Then the aborted transaction (first record at offset 2) is listed for read_committed only
        assertThat(committed.lastStableOffset()).isEqualTo(5L);
        assertThat(committed.abortedTransactions()).singleElement().satisfies(aborted -> {
            assertThat(aborted.producerId()).isEqualTo(producerId);
            assertThat(aborted.firstOffset()).isEqualTo(2L);
        });
        assertThat(uncommitted.abortedTransactions()).isNull();
        assertThat(TransactionHarness.values(uncommitted)).containsExactly("kept", "dropped-1", "dropped-2");
    }

    @Test
    void aFetchPastAnAbortedTransactionDoesNotListIt() {
        // Given an aborted transaction at offsets 0..1 (marker at 1), then a committed one
        harness.addPartitions(TX, producerId, epoch, topic, 0);
        produce(0, 0, "dropped");
        harness.endTxn(TX, producerId, epoch, false);
        harness.addPartitions(TX, producerId, epoch, topic, 0);
        produce(0, 1, "kept");
        harness.endTxn(TX, producerId, epoch, true);

        // When a consumer fetches from offset 2
        FetchResponseData.PartitionData committed = harness.fetch(topic, 0, 2, IsolationLevel.READ_COMMITTED);

        // Then the earlier abort is not listed
        assertThat(committed.abortedTransactions()).isEmpty();
        assertThat(TransactionHarness.values(committed)).containsExactly("kept");
    }

    @Test
    void aLateProduceAfterTheTransactionEndedIsRefused() {
        // Given a committed transaction
        harness.addPartitions(TX, producerId, epoch, topic, 0);
        ProduceResponseData.PartitionProduceResponse first = produce(0, 0, "a");
        harness.endTxn(TX, producerId, epoch, true);
        long logEnd = logEnd(0);

        // When a late batch of that transaction arrives, and then a retry of the appended one
        ProduceResponseData.PartitionProduceResponse late = produce(0, 1, "late");
        ProduceResponseData.PartitionProduceResponse retry = produce(0, 0, "a");

        // Then the late batch never lands; the retry is acknowledged with its original offset
        assertThat(late.errorCode()).isEqualTo(Errors.INVALID_TXN_STATE.code());
        assertThat(retry.errorCode()).isEqualTo(Errors.NONE.code());
        assertThat(retry.baseOffset()).isEqualTo(first.baseOffset());
        assertThat(logEnd(0)).isEqualTo(logEnd);
    }

    @Test
    void aLateProduceCannotLandInTheNextTransactionOfANewEpoch() {
        // Given an aborted transaction, after which a new producer instance bumped the epoch and
        // opened a new transaction on the same partition
        harness.addPartitions(TX, producerId, epoch, topic, 0);
        produce(0, 0, "old");
        harness.endTxn(TX, producerId, epoch, false);
        InitProducerIdResponseData fresh = harness.initProducerId(TX);
        harness.addPartitions(TX, fresh.producerId(), fresh.producerEpoch(), topic, 0);

        // When the old instance's batch arrives late
        ProduceResponseData.PartitionProduceResponse late = produce(0, 1, "zombie");

        // Then its old epoch is fenced
        assertThat(late.errorCode()).isEqualTo(Errors.INVALID_PRODUCER_EPOCH.code());
    }

    @Test
    void aProducerWithAnOpenTransactionCannotWriteNonTransactionally() {
        // Given an open transaction with a record
        harness.addPartitions(TX, producerId, epoch, topic, 0);
        produce(0, 0, "a");

        // When the same producer id sends an idempotent (non-transactional) batch
        ProduceResponseData.PartitionProduceResponse response = harness.data.produce(topic, 0,
                KafkaBatches.idempotent(producerId, epoch, 1, 1));

        // Then it is refused
        assertThat(response.errorCode()).isEqualTo(Errors.INVALID_TXN_STATE.code());
    }

    @Test
    void withoutVerificationABatchOpensTheTransactionOnThePartitionByItself() throws InterruptedException {
        // Given a broker with transaction.partition.verification.enable=false
        harness.close();
        harness = new TransactionHarness(directory.resolve("unverified"),
                Map.of(TransactionSettings.PARTITION_VERIFICATION, "false"));
        topic = harness.catalog().create("orders", 2);
        InitProducerIdResponseData init = harness.initProducerId(TX);

        // When a transactional batch goes to a partition never added
        ProduceResponseData.PartitionProduceResponse response = harness.produce(TX, topic, 1,
                TransactionHarness.transactionalBatch(init.producerId(), init.producerEpoch(), 0, "unchecked"));

        // Then it is appended and holds the last stable offset back
        assertThat(response.errorCode()).isEqualTo(Errors.NONE.code());
        assertThat(harness.fetch(topic, 1, 0, IsolationLevel.READ_COMMITTED).lastStableOffset()).isZero();
    }

    @Test
    void describeProducersShowsTheOpenTransactionsStartOffset() {
        // Given a plain record, then an open transaction whose first record is at offset 1
        harness.data.produce(topic, 0, KafkaBatches.plain(Compression.NONE, 1L, "plain"));
        harness.addPartitions(TX, producerId, epoch, topic, 0);
        produce(0, 0, "a", "b");

        // When the partition's producers are described
        DescribeProducersRequestData request = new DescribeProducersRequestData();
        request.topics().add(new DescribeProducersRequestData.TopicRequest()
                .setName(topic.name()).setPartitionIndexes(List.of(0, 7)));
        DescribeProducersResponseData response = harness.call(ApiKeys.DESCRIBE_PRODUCERS, request, (short) 0,
                DescribeProducersRequestData::new, DescribeProducersResponseData::new);

        // Then the producer is listed with its epoch, last sequence and transaction start
        var partitions = response.topics().getFirst().partitions();
        assertThat(partitions.getFirst().activeProducers()).singleElement().satisfies(producer -> {
            assertThat(producer.producerId()).isEqualTo(producerId);
            assertThat(producer.producerEpoch()).isEqualTo(epoch);
            assertThat(producer.lastSequence()).isEqualTo(1);
            assertThat(producer.currentTxnStartOffset()).isEqualTo(1L);
        });
        assertThat(partitions.get(1).errorCode()).isEqualTo(Errors.UNKNOWN_TOPIC_OR_PARTITION.code());
    }

    private ProduceResponseData.PartitionProduceResponse produce(int partition, int sequence, String... values) {
        return harness.produce(TX, topic, partition, TransactionHarness.transactionalBatch(producerId, epoch, sequence,
                values));
    }

    private long logEnd(int partition) {
        return harness.catalog().log(topic.name(), partition).orElseThrow().logEndOffset();
    }

    private static long controlBatches(FetchResponseData.PartitionData partition) {
        long count = 0;
        for (var batch : ((MemoryRecords) partition.records()).batches()) {
            if (batch.isControlBatch()) {
                count++;
            }
        }
        return count;
    }
}
