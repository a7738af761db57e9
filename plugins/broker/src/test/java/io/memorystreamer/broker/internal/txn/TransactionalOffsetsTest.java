package io.memorystreamer.broker.internal.txn;

import static org.assertj.core.api.Assertions.assertThat;

import io.memorystreamer.broker.internal.topic.TopicInfo;
import java.nio.file.Path;
import java.util.List;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.message.InitProducerIdResponseData;
import org.apache.kafka.common.message.OffsetFetchRequestData;
import org.apache.kafka.common.message.OffsetFetchResponseData;
import org.apache.kafka.common.message.TxnOffsetCommitRequestData;
import org.apache.kafka.common.message.TxnOffsetCommitResponseData;
import org.apache.kafka.common.protocol.ApiKeys;
import org.apache.kafka.common.protocol.Errors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Consumer offsets sent to a transaction (sendOffsetsToTransaction), with the real group coordinator. */
class TransactionalOffsetsTest {

    private static final String TX = "pipeline-tx";
    private static final String GROUP = "pipeline";

    @TempDir
    Path directory;

    private TransactionHarness harness;
    private TopicInfo input;
    private long producerId;
    private short epoch;

    @BeforeEach
    void setUp() {
        harness = new TransactionHarness(directory);
        input = harness.catalog().create("input", 1);
        InitProducerIdResponseData init = harness.initProducerId(TX);
        producerId = init.producerId();
        epoch = init.producerEpoch();
    }

    @AfterEach
    void tearDown() throws InterruptedException {
        harness.close();
    }

    @Test
    void offsetsBecomeTheGroupsCommittedOffsetsOnlyWhenTheTransactionCommits() {
        // Given offsets sent to an open transaction
        assertThat(harness.addOffsets(TX, producerId, epoch, GROUP)).isEqualTo(Errors.NONE.code());
        assertThat(txnOffsetCommit(epoch, 42L)).isEqualTo(Errors.NONE.code());
        long whilePending = committedOffset();
        boolean pending = harness.transactions().pendingOffsets().hasPendingOffset(GROUP,
                new TopicPartition(input.name(), 0));

        // When the transaction commits
        short end = harness.endTxn(TX, producerId, epoch, true);

        // Then the offset was invisible while pending and is the group's committed offset now
        assertThat(whilePending).isEqualTo(-1L);
        assertThat(pending).isTrue();
        assertThat(end).isEqualTo(Errors.NONE.code());
        assertThat(committedOffset()).isEqualTo(42L);
        assertThat(harness.transactions().pendingOffsets().hasPendingOffset(GROUP,
                new TopicPartition(input.name(), 0))).isFalse();
    }

    @Test
    void offsetsOfAnAbortedTransactionAreDropped() {
        // Given offsets sent to an open transaction
        harness.addOffsets(TX, producerId, epoch, GROUP);
        txnOffsetCommit(epoch, 42L);

        // When it aborts
        harness.endTxn(TX, producerId, epoch, false);

        // Then the group has no committed offset
        assertThat(committedOffset()).isEqualTo(-1L);
    }

    @Test
    void pendingOffsetsSurviveARestartOfTheCoordinator() {
        // Given offsets sent to an open transaction
        harness.addOffsets(TX, producerId, epoch, GROUP);
        txnOffsetCommit(epoch, 7L);

        // When the broker restarts and the transaction then commits
        harness.restartEverything();
        short end = harness.endTxn(TX, producerId, epoch, true);

        // Then the offsets are committed
        assertThat(end).isEqualTo(Errors.NONE.code());
        assertThat(committedOffset()).isEqualTo(7L);
    }

    @Test
    void offsetsNeedTheGroupAddedToTheTransactionAndTheCurrentEpoch() {
        // Given an open transaction that did not add the group
        harness.addPartitions(TX, producerId, epoch, input, 0);

        // When offsets are sent without AddOffsetsToTxn, and by a fenced epoch
        short notAdded = txnOffsetCommit(epoch, 1L);
        harness.addOffsets(TX, producerId, epoch, GROUP);
        short fenced = txnOffsetCommit((short) (epoch - 1), 1L);

        // Then both are refused
        assertThat(notAdded).isEqualTo(Errors.INVALID_TXN_STATE.code());
        assertThat(fenced).isEqualTo(Errors.INVALID_PRODUCER_EPOCH.code());
    }

    private short txnOffsetCommit(short producerEpoch, long offset) {
        TxnOffsetCommitRequestData request = new TxnOffsetCommitRequestData()
                .setTransactionalId(TX)
                .setGroupId(GROUP)
                .setProducerId(producerId)
                .setProducerEpoch(producerEpoch)
                .setTopics(List.of(new TxnOffsetCommitRequestData.TxnOffsetCommitRequestTopic()
                        .setName(input.name())
                        .setPartitions(List.of(new TxnOffsetCommitRequestData.TxnOffsetCommitRequestPartition()
                                .setPartitionIndex(0)
                                .setCommittedOffset(offset)
                                .setCommittedMetadata("meta")))));
        TxnOffsetCommitResponseData response = harness.call(ApiKeys.TXN_OFFSET_COMMIT, request, (short) 4,
                TxnOffsetCommitRequestData::new, TxnOffsetCommitResponseData::new);
        return response.topics().getFirst().partitions().getFirst().errorCode();
    }

    private long committedOffset() {
        OffsetFetchRequestData request = new OffsetFetchRequestData()
                .setGroupId(GROUP)
                .setTopics(List.of(new OffsetFetchRequestData.OffsetFetchRequestTopic()
                        .setName(input.name())
                        .setPartitionIndexes(List.of(0))));
        OffsetFetchResponseData response = harness.call(ApiKeys.OFFSET_FETCH, request, (short) 7,
                OffsetFetchRequestData::new, OffsetFetchResponseData::new);
        return response.topics().getFirst().partitions().getFirst().committedOffset();
    }
}
