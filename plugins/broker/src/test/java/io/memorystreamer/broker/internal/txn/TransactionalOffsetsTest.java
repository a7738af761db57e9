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

    @Test
    void membersAreCheckedWhenTheOffsetsAreSent() {
        // Given an open transaction that added the group, which does not exist yet
        harness.addOffsets(TX, producerId, epoch, GROUP);

        // When a member of a generation sends offsets to the missing group, then, once a committed
        // transaction outside group management created it, a member the group does not know
        short missingGroup = txnOffsetCommit(epoch, 1L, "member-1", 3);
        short created = txnOffsetCommit(epoch, 2L, "", -1);
        harness.endTxn(TX, producerId, epoch, true);
        harness.addOffsets(TX, producerId, epoch, GROUP);
        short unknownMember = txnOffsetCommit(epoch, 3L, "member-1", 0);
        harness.endTxn(TX, producerId, epoch, true);

        // Then both are refused at TxnOffsetCommit, and only the accepted offset is committed
        assertThat(missingGroup).isEqualTo(Errors.ILLEGAL_GENERATION.code());
        assertThat(created).isEqualTo(Errors.NONE.code());
        assertThat(unknownMember).isEqualTo(Errors.UNKNOWN_MEMBER_ID.code());
        assertThat(committedOffset()).isEqualTo(2L);
    }

    @Test
    void requireStableReportsAPendingOffsetAsUnstable() {
        // Given a committed offset, and a newer one pending in an open transaction
        harness.addOffsets(TX, producerId, epoch, GROUP);
        txnOffsetCommit(epoch, 5L);
        harness.endTxn(TX, producerId, epoch, true);
        harness.addOffsets(TX, producerId, epoch, GROUP);
        txnOffsetCommit(epoch, 9L);

        // When OffsetFetch asks for stable offsets (v7, single group, and v9, several groups) and without
        OffsetFetchResponseData.OffsetFetchResponsePartition v7 = fetchV7(true).topics().getFirst().partitions()
                .getFirst();
        OffsetFetchResponseData.OffsetFetchResponsePartitions v9 = fetchV9(true).groups().getFirst().topics()
                .getFirst().partitions().getFirst();
        long unstableAllowed = fetchV7(false).topics().getFirst().partitions().getFirst().committedOffset();

        // Then the partition is unstable when stability is required, and the last committed offset otherwise
        assertThat(v7.errorCode()).isEqualTo(Errors.UNSTABLE_OFFSET_COMMIT.code());
        assertThat(v7.committedOffset()).isEqualTo(-1L);
        assertThat(v9.errorCode()).isEqualTo(Errors.UNSTABLE_OFFSET_COMMIT.code());
        assertThat(unstableAllowed).isEqualTo(5L);
    }

    private OffsetFetchResponseData fetchV7(boolean requireStable) {
        OffsetFetchRequestData request = new OffsetFetchRequestData()
                .setGroupId(GROUP)
                .setRequireStable(requireStable)
                .setTopics(List.of(new OffsetFetchRequestData.OffsetFetchRequestTopic()
                        .setName(input.name())
                        .setPartitionIndexes(List.of(0))));
        return harness.call(ApiKeys.OFFSET_FETCH, request, (short) 7, OffsetFetchRequestData::new,
                OffsetFetchResponseData::new);
    }

    private OffsetFetchResponseData fetchV9(boolean requireStable) {
        OffsetFetchRequestData request = new OffsetFetchRequestData()
                .setRequireStable(requireStable)
                .setGroups(List.of(new OffsetFetchRequestData.OffsetFetchRequestGroup()
                        .setGroupId(GROUP)
                        .setTopics(List.of(new OffsetFetchRequestData.OffsetFetchRequestTopics()
                                .setName(input.name())
                                .setPartitionIndexes(List.of(0))))));
        return harness.call(ApiKeys.OFFSET_FETCH, request, (short) 9, OffsetFetchRequestData::new,
                OffsetFetchResponseData::new);
    }

    private short txnOffsetCommit(short producerEpoch, long offset) {
        return txnOffsetCommit(producerEpoch, offset, "", -1);
    }

    private short txnOffsetCommit(short producerEpoch, long offset, String memberId, int generation) {
        TxnOffsetCommitRequestData request = new TxnOffsetCommitRequestData()
                .setTransactionalId(TX)
                .setGroupId(GROUP)
                .setProducerId(producerId)
                .setProducerEpoch(producerEpoch)
                .setMemberId(memberId)
                .setGenerationIdOrMemberEpoch(generation)
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
