package io.memorystreamer.broker.internal.txn;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.memorystreamer.broker.internal.topic.TopicInfo;
import io.memorystreamer.spi.storage.PartitionId;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import org.apache.kafka.common.IsolationLevel;
import org.apache.kafka.common.message.DescribeTransactionsRequestData;
import org.apache.kafka.common.message.FetchResponseData;
import org.apache.kafka.common.message.InitProducerIdResponseData;
import org.apache.kafka.common.message.ListTransactionsRequestData;
import org.apache.kafka.common.message.ProduceResponseData;
import org.apache.kafka.common.protocol.Errors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Transactions across time: timeouts, expiry of idle ids, and broker restarts. */
class TransactionLifetimeTest {

    private static final String TX = "ledger-tx";

    @TempDir
    Path directory;

    private TransactionHarness harness;
    private TopicInfo topic;
    private long producerId;
    private short epoch;

    @BeforeEach
    void setUp() {
        harness = new TransactionHarness(directory);
        topic = harness.catalog().create("ledger", 1);
        InitProducerIdResponseData init = harness.initProducerId(TX);
        producerId = init.producerId();
        epoch = init.producerEpoch();
    }

    @AfterEach
    void tearDown() throws InterruptedException {
        harness.close();
    }

    @Test
    void aTransactionPastItsTimeoutIsAbortedAndItsProducerFenced() {
        // Given an open transaction with a record
        harness.addPartitions(TX, producerId, epoch, topic, 0);
        produce(0, "slow");

        // When its timeout passes and the coordinator checks
        harness.advanceClock(TransactionHarness.TIMEOUT_MS + 1);
        harness.runTimers();

        // Then it was aborted at a fenced epoch: read_committed moves past it and the producer is fenced
        FetchResponseData.PartitionData committed = harness.fetch(topic, 0, 0, IsolationLevel.READ_COMMITTED);
        assertThat(committed.lastStableOffset()).isEqualTo(2L);
        assertThat(committed.abortedTransactions()).hasSize(1);
        assertThat(harness.endTxn(TX, producerId, epoch, true)).isEqualTo(Errors.PRODUCER_FENCED.code());
        assertThat(produce(1, "after").errorCode()).isEqualTo(Errors.INVALID_PRODUCER_EPOCH.code());
        TransactionRecord record = harness.transactions().coordinator().record(TX).orElseThrow();
        assertThat(record.state()).isEqualTo(TxnState.COMPLETE_ABORT);
        assertThat(record.producerEpoch()).isEqualTo((short) (epoch + 1));
    }

    @Test
    void aTransactionWithinItsTimeoutIsLeftAlone() {
        // Given an open transaction
        harness.addPartitions(TX, producerId, epoch, topic, 0);

        // When the coordinator checks before the timeout
        harness.advanceClock(TransactionHarness.TIMEOUT_MS - 1);
        harness.runTimers();

        // Then it is still open
        assertThat(harness.transactions().coordinator().record(TX).orElseThrow().state()).isEqualTo(TxnState.ONGOING);
    }

    @Test
    void anIdleTransactionalIdExpires() {
        // Given a transactional id idle since its last transaction
        harness.addPartitions(TX, producerId, epoch, topic, 0);
        harness.endTxn(TX, producerId, epoch, true);

        // When transactional.id.expiration.ms passes
        harness.advanceClock(TransactionHarness.ID_EXPIRATION_MS);
        harness.runTimers();

        // Then it is forgotten, also after a restart
        assertThat(harness.transactions().coordinator().record(TX)).isEmpty();
        harness.restart();
        assertThat(harness.transactions().coordinator().record(TX)).isEmpty();
    }

    @Test
    void anOpenTransactionSurvivesARestartAndCanCommitAfterIt() {
        // Given an open transaction with a record
        harness.addPartitions(TX, producerId, epoch, topic, 0);
        produce(0, "across");

        // When the broker restarts (logs and state store reopened)
        harness.restartEverything();

        // Then the transaction is still open, read_committed still waits for it, and it commits
        assertThat(harness.transactions().coordinator().record(TX).orElseThrow().state()).isEqualTo(TxnState.ONGOING);
        assertThat(harness.fetch(topic, 0, 0, IsolationLevel.READ_COMMITTED).lastStableOffset()).isZero();
        assertThat(produce(1, "more").errorCode()).isEqualTo(Errors.NONE.code());
        assertThat(harness.endTxn(TX, producerId, epoch, true)).isEqualTo(Errors.NONE.code());
        assertThat(TransactionHarness.values(harness.fetch(topic, 0, 0, IsolationLevel.READ_COMMITTED)))
                .containsExactly("across", "more");
    }

    @Test
    void theAbortedIndexSurvivesARestartWithOrWithoutItsSnapshot() {
        // Given an aborted transaction, then one aborted after the last producer-state snapshot
        harness.addPartitions(TX, producerId, epoch, topic, 0);
        produce(0, "first");
        harness.endTxn(TX, producerId, epoch, false);
        harness.restart();
        harness.addPartitions(TX, producerId, epoch, topic, 0);
        produce(1, "second");
        harness.endTxn(TX, producerId, epoch, false);
        harness.data.crashAndRestart();

        // When the broker starts again from the files only
        harness.restartEverything();

        // Then both aborts are listed: the first from the stored index, the second from the log
        FetchResponseData.PartitionData committed = harness.fetch(topic, 0, 0, IsolationLevel.READ_COMMITTED);
        assertThat(committed.abortedTransactions()).extracting(FetchResponseData.AbortedTransaction::firstOffset)
                .containsExactly(0L, 2L);
        assertThat(committed.lastStableOffset()).isEqualTo(4L);
    }

    @Test
    void aTransactionPreparedBeforeACrashIsCompletedOnStart() {
        // Given a transaction whose commit was decided and stored, but whose markers were never
        // written (the broker died in between)
        harness.addPartitions(TX, producerId, epoch, topic, 0);
        produce(0, "decided");
        TransactionRecord open = harness.transactions().coordinator().record(TX).orElseThrow();
        new TransactionStore(harness.data.state).put(open.preparing(true, open.producerEpoch(), false, 0L));

        // When the broker starts again
        harness.restart();

        // Then the commit is completed in the background: markers written, records visible to read_committed
        await().atMost(Duration.ofSeconds(10)).until(() -> harness.transactions().coordinator().record(TX)
                .orElseThrow().state() == TxnState.COMPLETE_COMMIT);
        assertThat(TransactionHarness.values(harness.fetch(topic, 0, 0, IsolationLevel.READ_COMMITTED)))
                .containsExactly("decided");
    }

    @Test
    void describeTransactionsAndProducersReportTheOpenTransaction() {
        // Given an open transaction with a record at offset 0
        harness.addPartitions(TX, producerId, epoch, topic, 0);
        produce(0, "described");

        // When the coordinator and the partition are described
        var transaction = harness.transactions().coordinator().record(TX).orElseThrow();
        var listings = new TransactionListings(harness.transactions().coordinator(), harness.data.clock::get);
        var described = listings.describe(new DescribeTransactionsRequestData()
                .setTransactionalIds(List.of(TX, "unknown")));
        var listed = listings.list(new ListTransactionsRequestData()
                .setStateFilters(List.of("Ongoing", "Bogus")));

        // Then both report it
        assertThat(transaction.partitions()).isEqualTo(Set.of(new PartitionId(topic.name(), 0)));
        var state = described.transactionStates().getFirst();
        assertThat(state.transactionState()).isEqualTo("Ongoing");
        assertThat(state.producerId()).isEqualTo(producerId);
        assertThat(state.topics().find(topic.name()).partitions()).containsExactly(0);
        assertThat(described.transactionStates().get(1).errorCode())
                .isEqualTo(Errors.TRANSACTIONAL_ID_NOT_FOUND.code());
        assertThat(listed.transactionStates()).singleElement()
                .satisfies(listing -> assertThat(listing.transactionalId()).isEqualTo(TX));
        assertThat(listed.unknownStateFilters()).containsExactly("Bogus");
    }

    private ProduceResponseData.PartitionProduceResponse produce(int sequence, String value) {
        return harness.produce(TX, topic, 0, TransactionHarness.transactionalBatch(producerId, epoch, sequence, value));
    }
}
