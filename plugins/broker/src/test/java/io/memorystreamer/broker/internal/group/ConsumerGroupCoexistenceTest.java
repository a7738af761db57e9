package io.memorystreamer.broker.internal.group;

import static io.memorystreamer.broker.internal.group.GroupHarness.SESSION_MS;
import static io.memorystreamer.broker.internal.group.GroupHarness.await;
import static io.memorystreamer.broker.internal.group.GroupHarness.consumerProtocol;
import static io.memorystreamer.broker.internal.group.GroupHarness.joinRequest;
import static org.assertj.core.api.Assertions.assertThat;

import io.memorystreamer.broker.internal.topic.TopicInfo;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.util.List;
import org.apache.kafka.clients.consumer.internals.ConsumerProtocol;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.message.ConsumerGroupHeartbeatResponseData;
import org.apache.kafka.common.message.DeleteGroupsRequestData;
import org.apache.kafka.common.message.DeleteGroupsResponseData;
import org.apache.kafka.common.message.DescribeGroupsResponseData;
import org.apache.kafka.common.message.JoinGroupResponseData;
import org.apache.kafka.common.message.ListGroupsRequestData;
import org.apache.kafka.common.message.ListGroupsResponseData;
import org.apache.kafka.common.message.OffsetFetchRequestData;
import org.apache.kafka.common.message.OffsetFetchResponseData;
import org.apache.kafka.common.protocol.ApiKeys;
import org.apache.kafka.common.protocol.Errors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Consumer groups (KIP-848) next to classic groups: one namespace of group ids, committed offsets
 * validated by member epoch, the shared admin APIs, and what survives a restart.
 */
class ConsumerGroupCoexistenceTest {

    private static final String GROUP = "readers";

    @TempDir
    Path dir;
    private GroupHarness harness;
    private TopicInfo orders;
    private TopicPartition orders0;

    @BeforeEach
    void start() {
        harness = new GroupHarness(dir);
        orders = harness.topics.create("orders", 6);
        orders0 = new TopicPartition("orders", 0);
    }

    @AfterEach
    void stop() throws InterruptedException {
        harness.close();
    }

    @Test
    void aMemberCommitsAtItsCurrentEpochOnly() {
        // Given a member at epoch 1
        ConsumerMember a = new ConsumerMember(harness, GROUP);
        a.join("orders");

        // When it commits at its epoch, at another epoch, and as an unknown member
        Errors current = harness.commit(GROUP, a.memberId(), a.epoch(), orders0, 42);
        Errors stale = harness.commit(GROUP, a.memberId(), a.epoch() + 1, orders0, 43);
        Errors unknown = harness.commit(GROUP, "someone-else", a.epoch(), orders0, 44);

        // Then only the first is stored
        assertThat(current).isEqualTo(Errors.NONE);
        assertThat(stale).isEqualTo(Errors.STALE_MEMBER_EPOCH);
        assertThat(unknown).isEqualTo(Errors.UNKNOWN_MEMBER_ID);
        assertThat(harness.committed(GROUP, orders0)).isEqualTo(42);
    }

    @Test
    void toolsResetOffsetsOnlyWhileTheGroupHasNoMembers() {
        // Given a member
        ConsumerMember a = new ConsumerMember(harness, GROUP);
        a.join("orders");

        // When the admin client commits (no member, epoch -1) while it is there, and after it left
        Errors whileMember = harness.commit(GROUP, "", -1, orders0, 7);
        a.leave(false);
        Errors afterLeaving = harness.commit(GROUP, "", -1, orders0, 7);

        // Then only the second is accepted, and the group stays a consumer group
        assertThat(whileMember).isEqualTo(Errors.UNKNOWN_MEMBER_ID);
        assertThat(afterLeaving).isEqualTo(Errors.NONE);
        assertThat(harness.describeConsumerGroup(GROUP).groupState()).isEqualTo("Empty");
    }

    @Test
    void offsetFetchChecksTheMemberEpochOfMembersButNotOfTools() {
        // Given a member that committed
        ConsumerMember a = new ConsumerMember(harness, GROUP);
        a.join("orders");
        harness.commit(GROUP, a.memberId(), a.epoch(), orders0, 42);

        // When it fetches at its epoch, at a stale one, and the admin client fetches
        OffsetFetchResponseData.OffsetFetchResponseGroup atEpoch = fetch(a.memberId(), a.epoch());
        OffsetFetchResponseData.OffsetFetchResponseGroup stale = fetch(a.memberId(), a.epoch() + 1);
        OffsetFetchResponseData.OffsetFetchResponseGroup tool = fetch(null, -1);

        // Then the member and the tool read 42, the stale epoch is refused
        assertThat(atEpoch.errorCode()).isZero();
        assertThat(atEpoch.topics().getFirst().partitions().getFirst().committedOffset()).isEqualTo(42);
        assertThat(Errors.forCode(stale.errorCode())).isEqualTo(Errors.STALE_MEMBER_EPOCH);
        assertThat(tool.topics().getFirst().partitions().getFirst().committedOffset()).isEqualTo(42);
    }

    @Test
    void aClassicMemberCannotJoinAConsumerGroupWithMembers() {
        // Given a consumer group with a member
        new ConsumerMember(harness, GROUP).join("orders");

        // When a classic consumer joins the same group id
        JoinGroupResponseData response = await(harness.join(joinRequest(GROUP, "", null, SESSION_MS,
                consumerProtocol("range", "orders"))));

        // Then it is told the protocols do not match
        assertThat(Errors.forCode(response.errorCode())).isEqualTo(Errors.INCONSISTENT_GROUP_PROTOCOL);
    }

    @Test
    void aConsumerGroupMemberCannotJoinAClassicGroupWithMembers() {
        // Given a classic group with a member
        harness.joinNew(GROUP, SESSION_MS, consumerProtocol("range", "orders"));

        // When a consumer protocol member joins the same group id
        ConsumerMember a = new ConsumerMember(harness, GROUP);
        ConsumerGroupHeartbeatResponseData response = a.join("orders");

        // Then the group is not found as a consumer group
        assertThat(a.lastError()).isEqualTo(Errors.GROUP_ID_NOT_FOUND);
        assertThat(response.errorMessage()).isEqualTo("Group readers is not a consumer group.");
    }

    @Test
    void anEmptyClassicGroupBecomesAConsumerGroupWithItsOffsets() {
        // Given offsets committed by a tool to a group without members
        assertThat(harness.commit(GROUP, "", -1, orders0, 42)).isEqualTo(Errors.NONE);

        // When a consumer protocol member joins
        ConsumerMember a = new ConsumerMember(harness, GROUP);
        a.join("orders");

        // Then it is a consumer group that still has the offsets
        assertThat(a.lastError()).isEqualTo(Errors.NONE);
        assertThat(harness.committed(GROUP, orders0)).isEqualTo(42);
        assertThat(listGroups(List.of()).groups()).singleElement()
                .satisfies(g -> assertThat(g.groupType()).isEqualTo("Consumer"));

        // And when it leaves, a classic member may take the id over again
        a.leave(false);
        JoinGroupResponseData classic = await(harness.join(joinRequest(GROUP, "", null, SESSION_MS,
                consumerProtocol("range", "orders"))));
        assertThat(Errors.forCode(classic.errorCode())).isEqualTo(Errors.MEMBER_ID_REQUIRED);
        assertThat(harness.committed(GROUP, orders0)).isEqualTo(42);
    }

    @Test
    void listGroupsReportsBothKindsWithTheirTypesAndStatesAndFiltersThem() {
        // Given a consumer group with a member and a classic group with a member
        new ConsumerMember(harness, GROUP).join("orders");
        await(harness.joinNew("classics", SESSION_MS, consumerProtocol("range", "orders")));

        // When groups are listed, all and by type
        ListGroupsResponseData all = listGroups(List.of());
        ListGroupsResponseData consumers = listGroups(List.of("consumer"));

        // Then both appear with their types, and the filter keeps the consumer group only
        assertThat(all.groups()).extracting(g -> g.groupId() + ":" + g.groupType() + ":" + g.protocolType())
                .containsExactlyInAnyOrder("readers:Consumer:consumer", "classics:Classic:consumer");
        assertThat(consumers.groups()).singleElement().satisfies(g -> {
            assertThat(g.groupId()).isEqualTo(GROUP);
            assertThat(g.groupState()).isEqualTo("Stable");
        });
    }

    @Test
    void describeGroupsShowsAConsumerGroupInTheClassicShape() {
        // Given a consumer group with a member that owns every partition
        ConsumerMember a = new ConsumerMember(harness, GROUP);
        a.join("orders");

        // When it is described with DescribeGroups, and the classic group with ConsumerGroupDescribe
        DescribeGroupsResponseData.DescribedGroup described = harness.describe(GROUP);
        await(harness.joinNew("classics", SESSION_MS, consumerProtocol("range", "orders")));

        // Then DescribeGroups gives its state, type and the member's partitions as a consumer assignment
        assertThat(described.errorCode()).isZero();
        assertThat(described.groupState()).isEqualTo("Stable");
        assertThat(described.protocolType()).isEqualTo("consumer");
        assertThat(described.protocolData()).isEqualTo("uniform");
        byte[] assignment = described.members().getFirst().memberAssignment();
        assertThat(ConsumerProtocol.deserializeAssignment(ByteBuffer.wrap(assignment)).partitions()).hasSize(6);
        // And ConsumerGroupDescribe sends the admin client to DescribeGroups for the classic group
        assertThat(Errors.forCode(harness.describeConsumerGroup("classics").errorCode()))
                .isEqualTo(Errors.GROUP_ID_NOT_FOUND);
        assertThat(Errors.forCode(harness.describeConsumerGroup("nobody").errorCode()))
                .isEqualTo(Errors.GROUP_ID_NOT_FOUND);
    }

    @Test
    void onlyAConsumerGroupWithoutMembersCanBeDeletedAndItsOffsetsGoWithIt() {
        // Given a consumer group with a member and a committed offset
        ConsumerMember a = new ConsumerMember(harness, GROUP);
        a.join("orders");
        harness.commit(GROUP, a.memberId(), a.epoch(), orders0, 42);

        // When it is deleted with its member, then after the member left
        Errors withMember = deleteGroup(GROUP);
        a.leave(false);
        Errors empty = deleteGroup(GROUP);

        // Then the first is refused, the second removes the group and its offsets
        assertThat(withMember).isEqualTo(Errors.NON_EMPTY_GROUP);
        assertThat(empty).isEqualTo(Errors.NONE);
        assertThat(harness.committed(GROUP, orders0)).isEqualTo(-1);
        assertThat(listGroups(List.of()).groups()).isEmpty();
    }

    @Test
    void aConsumerGroupAndItsOffsetsSurviveARestartAndItsMembersRejoin() {
        // Given a member that committed
        ConsumerMember a = new ConsumerMember(harness, GROUP);
        a.join("orders");
        harness.commit(GROUP, a.memberId(), a.epoch(), orders0, 42);
        int epochBefore = a.epoch();

        // When the coordinator restarts
        harness.restart();

        // Then the group is an empty consumer group with its offsets
        assertThat(listGroups(List.of("consumer")).groups()).singleElement()
                .satisfies(g -> assertThat(g.groupState()).isEqualTo("Empty"));
        assertThat(harness.committed(GROUP, orders0)).isEqualTo(42);

        // And the member's next heartbeat is refused, so it rejoins at a later epoch with every partition
        assertThat(a.heartbeat().errorCode()).isEqualTo(Errors.UNKNOWN_MEMBER_ID.code());
        a.join("orders");
        assertThat(a.epoch()).isGreaterThan(epochBefore);
        assertThat(a.owned(orders.id())).hasSize(6);
    }

    private OffsetFetchResponseData.OffsetFetchResponseGroup fetch(String memberId, int memberEpoch) {
        OffsetFetchRequestData request = new OffsetFetchRequestData().setGroups(List.of(
                new OffsetFetchRequestData.OffsetFetchRequestGroup().setGroupId(GROUP).setMemberId(memberId)
                        .setMemberEpoch(memberEpoch).setTopics(List.of(
                                new OffsetFetchRequestData.OffsetFetchRequestTopics().setName("orders")
                                        .setPartitionIndexes(List.of(0))))));
        return harness.callNow(ApiKeys.OFFSET_FETCH, request, (short) 9, OffsetFetchResponseData::new).groups().getFirst();
    }

    private ListGroupsResponseData listGroups(List<String> types) {
        return harness.callNow(ApiKeys.LIST_GROUPS, new ListGroupsRequestData().setTypesFilter(types),
                ApiKeys.LIST_GROUPS.latestVersion(), ListGroupsResponseData::new);
    }

    private Errors deleteGroup(String group) {
        DeleteGroupsResponseData response = harness.callNow(ApiKeys.DELETE_GROUPS,
                new DeleteGroupsRequestData().setGroupsNames(List.of(group)), ApiKeys.DELETE_GROUPS.latestVersion(),
                DeleteGroupsResponseData::new);
        return Errors.forCode(response.results().iterator().next().errorCode());
    }
}
