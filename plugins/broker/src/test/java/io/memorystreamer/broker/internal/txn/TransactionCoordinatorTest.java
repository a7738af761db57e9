package io.memorystreamer.broker.internal.txn;

import static org.assertj.core.api.Assertions.assertThat;

import io.memorystreamer.broker.internal.topic.TopicInfo;
import java.nio.file.Path;
import org.apache.kafka.common.IsolationLevel;
import org.apache.kafka.common.message.AddPartitionsToTxnRequestData;
import org.apache.kafka.common.message.AddPartitionsToTxnResponseData;
import org.apache.kafka.common.message.InitProducerIdResponseData;
import org.apache.kafka.common.protocol.Errors;
import org.apache.kafka.common.record.internal.RecordBatch;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The coordinator's state machine, driven through its APIs as producers drive it. */
class TransactionCoordinatorTest {

    private static final String TX = "payments-tx";

    @TempDir
    Path directory;

    private TransactionHarness harness;
    private TopicInfo topic;

    @BeforeEach
    void setUp() {
        harness = new TransactionHarness(directory);
        topic = harness.catalog().create("payments", 2);
    }

    @AfterEach
    void tearDown() throws InterruptedException {
        harness.close();
    }

    @Test
    void aNewTransactionalIdGetsAProducerIdAtEpochZeroAndEachReinitialisationBumpsTheEpoch() {
        // When the same transactional id initialises three times
        InitProducerIdResponseData first = harness.initProducerId(TX);
        InitProducerIdResponseData second = harness.initProducerId(TX);
        InitProducerIdResponseData third = harness.initProducerId(TX);

        // Then it keeps its producer id and moves to epochs 0, 1, 2
        assertThat(first.errorCode()).isEqualTo(Errors.NONE.code());
        assertThat(first.producerEpoch()).isZero();
        assertThat(second.producerId()).isEqualTo(first.producerId());
        assertThat(second.producerEpoch()).isEqualTo((short) 1);
        assertThat(third.producerEpoch()).isEqualTo((short) 2);
    }

    @Test
    void differentTransactionalIdsGetDifferentProducerIdsFromTheIdempotentCounter() {
        // When an idempotent producer and two transactional ids initialise
        long idempotent = harness.initProducerId(null, TransactionHarness.TIMEOUT_MS, -1L, (short) -1, (short) 4)
                .producerId();
        long first = harness.initProducerId("a").producerId();
        long second = harness.initProducerId("b").producerId();

        // Then no id is handed out twice
        assertThat(first).isNotEqualTo(second).isNotEqualTo(idempotent);
        assertThat(second).isNotEqualTo(idempotent);
    }

    @Test
    void refusesATimeoutAboveTheMaximumAndAnEmptyTransactionalId() {
        // When a producer asks for a timeout above transaction.max.timeout.ms, or names no id
        InitProducerIdResponseData tooLong = harness.initProducerId(TX, TransactionHarness.MAX_TIMEOUT_MS + 1, -1L,
                (short) -1, (short) 4);
        InitProducerIdResponseData empty = harness.initProducerId("", TransactionHarness.TIMEOUT_MS, -1L, (short) -1,
                (short) 4);

        // Then both are refused
        assertThat(tooLong.errorCode()).isEqualTo(Errors.INVALID_TRANSACTION_TIMEOUT.code());
        assertThat(empty.errorCode()).isEqualTo(Errors.INVALID_REQUEST.code());
    }

    @Test
    void fencesAZombieWithTheErrorItsVersionKnows() {
        // Given a producer at epoch 0, then a new instance of it at epoch 1
        InitProducerIdResponseData zombie = harness.initProducerId(TX);
        harness.initProducerId(TX);

        // When the zombie adds a partition (v3 and v1) and ends its transaction
        short v3 = harness.addPartitions((short) 3, TX, zombie.producerId(), zombie.producerEpoch(), topic, 0);
        short v1 = harness.addPartitions((short) 1, TX, zombie.producerId(), zombie.producerEpoch(), topic, 0);
        short end = harness.endTxn(TX, zombie.producerId(), zombie.producerEpoch(), true, (short) 3);

        // Then it is fenced
        assertThat(v3).isEqualTo(Errors.PRODUCER_FENCED.code());
        assertThat(v1).isEqualTo(Errors.INVALID_PRODUCER_EPOCH.code());
        assertThat(end).isEqualTo(Errors.PRODUCER_FENCED.code());
    }

    @Test
    void reinitialisingDuringAnOpenTransactionAbortsItAtAFencedEpoch() {
        // Given a producer with an open transaction holding a record
        InitProducerIdResponseData old = harness.initProducerId(TX);
        harness.addPartitions(TX, old.producerId(), old.producerEpoch(), topic, 0);
        harness.produce(TX, topic, 0, TransactionHarness.transactionalBatch(old.producerId(), old.producerEpoch(), 0,
                "doomed"));

        // When a new instance initialises
        InitProducerIdResponseData fresh = harness.initProducerId(TX);

        // Then the old transaction was aborted (read_committed sees nothing, the LSO moved past
        // it) and the new instance got an epoch above the fenced one
        assertThat(fresh.errorCode()).isEqualTo(Errors.NONE.code());
        assertThat(fresh.producerEpoch()).isEqualTo((short) 2);
        var committed = harness.fetch(topic, 0, 0, IsolationLevel.READ_COMMITTED);
        assertThat(committed.lastStableOffset()).isEqualTo(2L);
        assertThat(committed.abortedTransactions()).singleElement()
                .satisfies(aborted -> assertThat(aborted.producerId()).isEqualTo(old.producerId()));
        assertThat(harness.transactions().coordinator().record(TX).orElseThrow().state()).isEqualTo(TxnState.EMPTY);
    }

    @Test
    void aRetriedInitWithTheSameProducerGetsTheSameAnswerAndAnOlderOneIsFenced() {
        // Given a producer at epoch 0 that bumped its own epoch (KIP-360) to 1
        InitProducerIdResponseData start = harness.initProducerId(TX);
        short version = 4;
        InitProducerIdResponseData bumped = harness.initProducerId(TX, TransactionHarness.TIMEOUT_MS,
                start.producerId(), start.producerEpoch(), version);

        // When the same bump is retried, and a request names an epoch that was never current
        InitProducerIdResponseData retried = harness.initProducerId(TX, TransactionHarness.TIMEOUT_MS,
                start.producerId(), start.producerEpoch(), version);
        InitProducerIdResponseData stale = harness.initProducerId(TX, TransactionHarness.TIMEOUT_MS,
                start.producerId(), (short) 7, version);
        InitProducerIdResponseData staleOld = harness.initProducerId(TX, TransactionHarness.TIMEOUT_MS,
                start.producerId(), (short) 7, (short) 3);

        // Then the retry gets epoch 1 again and the stale producer is fenced
        assertThat(bumped.producerEpoch()).isEqualTo((short) 1);
        assertThat(retried.errorCode()).isEqualTo(Errors.NONE.code());
        assertThat(retried.producerEpoch()).isEqualTo((short) 1);
        assertThat(stale.errorCode()).isEqualTo(Errors.PRODUCER_FENCED.code());
        assertThat(staleOld.errorCode()).isEqualTo(Errors.INVALID_PRODUCER_EPOCH.code());
    }

    @Test
    void endTxnIsIdempotentAndRefusesTheOppositeOutcome() {
        // Given a committed transaction
        InitProducerIdResponseData producer = harness.initProducerId(TX);
        harness.addPartitions(TX, producer.producerId(), producer.producerEpoch(), topic, 0);
        short commit = harness.endTxn(TX, producer.producerId(), producer.producerEpoch(), true);

        // When the commit is retried, then an abort is sent
        short retry = harness.endTxn(TX, producer.producerId(), producer.producerEpoch(), true);
        short abort = harness.endTxn(TX, producer.producerId(), producer.producerEpoch(), false);

        // Then the retry succeeds again and the abort is an invalid transition
        assertThat(commit).isEqualTo(Errors.NONE.code());
        assertThat(retry).isEqualTo(Errors.NONE.code());
        assertThat(abort).isEqualTo(Errors.INVALID_TXN_STATE.code());
        assertThat(harness.transactions().coordinator().record(TX).orElseThrow().state())
                .isEqualTo(TxnState.COMPLETE_COMMIT);
    }

    @Test
    void endTxnWithoutAnOpenTransactionIsAnInvalidState() {
        // Given an initialised producer that started nothing
        InitProducerIdResponseData producer = harness.initProducerId(TX);

        // When it commits
        short error = harness.endTxn(TX, producer.producerId(), producer.producerEpoch(), true);

        // Then there is nothing to commit
        assertThat(error).isEqualTo(Errors.INVALID_TXN_STATE.code());
    }

    @Test
    void requestsOfAnUnknownTransactionalIdOrProducerIdAreRefused() {
        // Given an initialised producer
        InitProducerIdResponseData producer = harness.initProducerId(TX);

        // When another producer id, or an unknown transactional id, is used
        short wrongProducer = harness.addPartitions(TX, producer.producerId() + 100, producer.producerEpoch(), topic, 0);
        short unknownId = harness.addPartitions("nobody", producer.producerId(), producer.producerEpoch(), topic, 0);

        // Then the mapping is invalid
        assertThat(wrongProducer).isEqualTo(Errors.INVALID_PRODUCER_ID_MAPPING.code());
        assertThat(unknownId).isEqualTo(Errors.INVALID_PRODUCER_ID_MAPPING.code());
    }

    @Test
    void addingAPartitionThatDoesNotExistAddsNothing() {
        // Given a producer
        InitProducerIdResponseData producer = harness.initProducerId(TX);

        // When it adds partition 0 and the missing partition 9 together
        var request = new AddPartitionsToTxnRequestData()
                .setV3AndBelowTransactionalId(TX)
                .setV3AndBelowProducerId(producer.producerId())
                .setV3AndBelowProducerEpoch(producer.producerEpoch())
                .setV3AndBelowTopics(TransactionHarness.topics(topic.name(), 0, 9));
        AddPartitionsToTxnResponseData response = harness.addPartitionsBatched((short) 3, request);

        // Then partition 9 is unknown, partition 0 was not attempted, and no transaction started
        var results = response.resultsByTopicV3AndBelow().find(topic.name()).resultsByPartition();
        assertThat(results.find(9).partitionErrorCode()).isEqualTo(Errors.UNKNOWN_TOPIC_OR_PARTITION.code());
        assertThat(results.find(0).partitionErrorCode()).isEqualTo(Errors.OPERATION_NOT_ATTEMPTED.code());
        assertThat(harness.transactions().coordinator().record(TX).orElseThrow().state()).isEqualTo(TxnState.EMPTY);
    }

    @Test
    void verifyOnlyRequestsReportWhetherPartitionsAreInTheTransactionWithoutAddingThem() {
        // Given a transaction with partition 0
        InitProducerIdResponseData producer = harness.initProducerId(TX);
        harness.addPartitions(TX, producer.producerId(), producer.producerEpoch(), topic, 0);

        // When a v5 and a v4 verify-only request ask about partitions 0 and 1
        AddPartitionsToTxnResponseData v5 = harness.addPartitionsBatched((short) 5, verifyOnly(producer, 0, 1));
        AddPartitionsToTxnResponseData v4 = harness.addPartitionsBatched((short) 4, verifyOnly(producer, 0, 1));

        // Then partition 0 is in it, partition 1 is not (with each version's error), and nothing was added
        var v5Results = v5.resultsByTransaction().find(TX).topicResults().find(topic.name()).resultsByPartition();
        var v4Results = v4.resultsByTransaction().find(TX).topicResults().find(topic.name()).resultsByPartition();
        assertThat(v5Results.find(0).partitionErrorCode()).isEqualTo(Errors.NONE.code());
        assertThat(v5Results.find(1).partitionErrorCode()).isEqualTo(Errors.TRANSACTION_ABORTABLE.code());
        assertThat(v4Results.find(1).partitionErrorCode()).isEqualTo(Errors.INVALID_TXN_STATE.code());
        assertThat(harness.transactions().coordinator().record(TX).orElseThrow().partitions()).hasSize(1);
    }

    @Test
    void anExhaustedEpochMovesTheTransactionalIdToANewProducerId() {
        // Given a transactional id whose epoch reached the last usable value
        InitProducerIdResponseData producer = harness.initProducerId(TX);
        TransactionRecord current = harness.transactions().coordinator().record(TX).orElseThrow();
        new TransactionStore(harness.data.state).put(current.initialised(current.producerId(),
                current.previousProducerId(), (short) (Short.MAX_VALUE - 1), RecordBatch.NO_PRODUCER_EPOCH,
                current.timeoutMs(), current.lastUpdateMs()));
        harness.restart();

        // When a new instance initialises
        InitProducerIdResponseData rotated = harness.initProducerId(TX);

        // Then it gets a new producer id at epoch 0
        assertThat(rotated.errorCode()).isEqualTo(Errors.NONE.code());
        assertThat(rotated.producerId()).isNotEqualTo(producer.producerId());
        assertThat(rotated.producerEpoch()).isZero();
    }

    private AddPartitionsToTxnRequestData verifyOnly(InitProducerIdResponseData producer, int... partitions) {
        AddPartitionsToTxnRequestData request = new AddPartitionsToTxnRequestData();
        request.transactions().add(new AddPartitionsToTxnRequestData.AddPartitionsToTxnTransaction()
                .setTransactionalId(TX)
                .setProducerId(producer.producerId())
                .setProducerEpoch(producer.producerEpoch())
                .setVerifyOnly(true)
                .setTopics(TransactionHarness.topics(topic.name(), partitions)));
        return request;
    }
}
