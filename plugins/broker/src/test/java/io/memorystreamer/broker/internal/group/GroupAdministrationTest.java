package io.memorystreamer.broker.internal.group;

import static io.memorystreamer.broker.internal.group.GroupHarness.SESSION_MS;
import static io.memorystreamer.broker.internal.group.GroupHarness.await;
import static io.memorystreamer.broker.internal.group.GroupHarness.consumerProtocol;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.message.DeleteGroupsRequestData;
import org.apache.kafka.common.message.DeleteGroupsResponseData;
import org.apache.kafka.common.message.DescribeGroupsRequestData;
import org.apache.kafka.common.message.DescribeGroupsResponseData;
import org.apache.kafka.common.message.FindCoordinatorRequestData;
import org.apache.kafka.common.message.FindCoordinatorResponseData;
import org.apache.kafka.common.message.JoinGroupResponseData;
import org.apache.kafka.common.message.LeaveGroupRequestData;
import org.apache.kafka.common.message.LeaveGroupResponseData;
import org.apache.kafka.common.message.ListGroupsRequestData;
import org.apache.kafka.common.message.ListGroupsResponseData;
import org.apache.kafka.common.message.OffsetDeleteRequestData;
import org.apache.kafka.common.message.OffsetDeleteResponseData;
import org.apache.kafka.common.protocol.ApiKeys;
import org.apache.kafka.common.protocol.Errors;
import org.apache.kafka.common.requests.FindCoordinatorRequest.CoordinatorType;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** FindCoordinator, ListGroups, DescribeGroups, DeleteGroups and OffsetDelete, as the admin client uses them. */
class GroupAdministrationTest {

    private static final String GROUP = "analytics";
    private static final TopicPartition ORDERS_0 = new TopicPartition("orders", 0);
    private static final TopicPartition AUDIT_0 = new TopicPartition("audit", 0);

    @TempDir
    Path dir;
    private GroupHarness harness;
    private JoinGroupResponseData member;

    @BeforeEach
    void stableConsumerGroupSubscribedToOrders() {
        harness = new GroupHarness(dir);
        harness.topics.create("orders", 1);
        harness.topics.create("audit", 1);
        harness.commit(GROUP, "", -1, AUDIT_0, 7L);
        member = await(harness.joinNew(GROUP, SESSION_MS, consumerProtocol("range", "orders")));
        await(harness.sync(GROUP, member.memberId(), member.generationId(), Map.of()));
        harness.commit(GROUP, member.memberId(), member.generationId(), ORDERS_0, 11L);
        harness.commit("tool-group", "", -1, ORDERS_0, 1L);
    }

    @AfterEach
    void stop() throws InterruptedException {
        harness.close();
    }

    @Test
    void thisNodeCoordinatesGroupsAndTransactionsButNotShareGroups() {
        // When coordinators are looked up singly (v3) and in a batch (v6)
        FindCoordinatorResponseData single = harness.callNow(ApiKeys.FIND_COORDINATOR, new FindCoordinatorRequestData()
                .setKey(GROUP).setKeyType(CoordinatorType.GROUP.id()), (short) 3, FindCoordinatorResponseData::new);
        FindCoordinatorResponseData transactions = harness.callNow(ApiKeys.FIND_COORDINATOR,
                new FindCoordinatorRequestData().setKeyType(CoordinatorType.TRANSACTION.id())
                        .setCoordinatorKeys(List.of("tx-1", "tx-2")), (short) 6, FindCoordinatorResponseData::new);
        FindCoordinatorResponseData share = harness.callNow(ApiKeys.FIND_COORDINATOR, new FindCoordinatorRequestData()
                .setKeyType(CoordinatorType.SHARE.id()).setCoordinatorKeys(List.of("s")), (short) 6,
                FindCoordinatorResponseData::new);

        // Then groups and transactional ids point at node 1 where the client connected
        assertThat(single.errorCode()).isZero();
        assertThat(single.nodeId()).isEqualTo(1);
        assertThat(single.port()).isEqualTo(9092);
        assertThat(transactions.coordinators()).extracting(FindCoordinatorResponseData.Coordinator::key,
                FindCoordinatorResponseData.Coordinator::nodeId).containsExactly(
                        tuple("tx-1", 1), tuple("tx-2", 1));
        assertThat(share.coordinators().getFirst().errorCode()).isEqualTo(Errors.INVALID_REQUEST.code());
    }

    @Test
    void listGroupsFiltersByStateAndType() {
        // When groups are listed without a filter, by state, and by type
        ListGroupsResponseData all = list(List.of(), List.of());
        ListGroupsResponseData stable = list(List.of("stable"), List.of());
        ListGroupsResponseData consumerType = list(List.of(), List.of("Consumer"));
        ListGroupsResponseData classicType = list(List.of("Empty"), List.of("classic"));

        // Then the filters apply, case-insensitively
        assertThat(all.groups()).extracting(ListGroupsResponseData.ListedGroup::groupId)
                .containsExactlyInAnyOrder(GROUP, "tool-group");
        assertThat(stable.groups()).singleElement().satisfies(g -> {
            assertThat(g.groupId()).isEqualTo(GROUP);
            assertThat(g.protocolType()).isEqualTo("consumer");
            assertThat(g.groupState()).isEqualTo("Stable");
            assertThat(g.groupType()).isEqualTo("Classic");
        });
        assertThat(consumerType.groups()).isEmpty();
        assertThat(classicType.groups()).extracting(ListGroupsResponseData.ListedGroup::groupId)
                .containsExactly("tool-group");
    }

    @Test
    void describeShowsMembersWithTheirMetadataAndReportsUnknownGroups() {
        // When the stable group and an unknown one are described
        DescribeGroupsResponseData response = harness.callNow(ApiKeys.DESCRIBE_GROUPS, new DescribeGroupsRequestData()
                .setGroups(List.of(GROUP, "missing")).setIncludeAuthorizedOperations(true),
                ApiKeys.DESCRIBE_GROUPS.latestVersion(), DescribeGroupsResponseData::new);

        // Then the group's member is shown with where it connects from, and the unknown group is not found
        DescribeGroupsResponseData.DescribedGroup described = response.groups().get(0);
        assertThat(described.groupState()).isEqualTo("Stable");
        assertThat(described.protocolData()).isEqualTo("range");
        assertThat(described.authorizedOperations()).isEqualTo(DescribeGroupsHandler.ALL_GROUP_OPERATIONS);
        assertThat(described.members()).singleElement().satisfies(m -> {
            assertThat(m.memberId()).isEqualTo(member.memberId());
            assertThat(m.clientId()).isEqualTo(GroupHarness.CLIENT_ID);
            assertThat(m.clientHost()).isEqualTo("/127.0.0.1");
            assertThat(m.memberMetadata()).isNotEmpty();
        });
        assertThat(response.groups().get(1).errorCode()).isEqualTo(Errors.GROUP_ID_NOT_FOUND.code());
        assertThat(response.groups().get(1).groupState()).isEqualTo("Dead");
    }

    @Test
    void offsetsOfSubscribedTopicsCannotBeDeletedWhileMembersConsumeThem() {
        // When offsets of the subscribed topic and of another topic are deleted
        OffsetDeleteResponseData response = deleteOffsets(GROUP, ORDERS_0, AUDIT_0);

        // Then only the unsubscribed topic's offset goes
        assertThat(response.errorCode()).isZero();
        assertThat(response.topics().find("orders").partitions().find(0).errorCode())
                .isEqualTo(Errors.GROUP_SUBSCRIBED_TO_TOPIC.code());
        assertThat(response.topics().find("audit").partitions().find(0).errorCode()).isZero();
        assertThat(harness.committed(GROUP, ORDERS_0)).isEqualTo(11L);
        assertThat(harness.committed(GROUP, AUDIT_0)).isEqualTo(-1L);
        assertThat(deleteOffsets("missing", ORDERS_0).errorCode()).isEqualTo(Errors.GROUP_ID_NOT_FOUND.code());
    }

    @Test
    void onlyEmptyGroupsCanBeDeletedAndTheirOffsetsGoWithThem() {
        // When the group is deleted while its member is active
        Errors whileActive = deleteGroup(GROUP);

        // Then it refuses; after the member leaves the group and its offsets are deleted, durably
        assertThat(whileActive).isEqualTo(Errors.NON_EMPTY_GROUP);
        harness.callNow(ApiKeys.LEAVE_GROUP, new LeaveGroupRequestData().setGroupId(GROUP).setMembers(List.of(
                new LeaveGroupRequestData.MemberIdentity().setMemberId(member.memberId()))),
                ApiKeys.LEAVE_GROUP.latestVersion(), LeaveGroupResponseData::new);
        assertThat(deleteGroup(GROUP)).isEqualTo(Errors.NONE);
        assertThat(deleteGroup(GROUP)).isEqualTo(Errors.GROUP_ID_NOT_FOUND);
        harness.restart();
        assertThat(harness.committed(GROUP, ORDERS_0)).isEqualTo(-1L);
        assertThat(harness.describe(GROUP).errorCode()).isEqualTo(Errors.GROUP_ID_NOT_FOUND.code());
        assertThat(harness.committed("tool-group", ORDERS_0)).isEqualTo(1L);
    }

    private ListGroupsResponseData list(List<String> states, List<String> types) {
        return harness.callNow(ApiKeys.LIST_GROUPS, new ListGroupsRequestData().setStatesFilter(states)
                .setTypesFilter(types), ApiKeys.LIST_GROUPS.latestVersion(), ListGroupsResponseData::new);
    }

    private Errors deleteGroup(String groupId) {
        DeleteGroupsResponseData response = harness.callNow(ApiKeys.DELETE_GROUPS,
                new DeleteGroupsRequestData().setGroupsNames(List.of(groupId)), ApiKeys.DELETE_GROUPS.latestVersion(),
                DeleteGroupsResponseData::new);
        return Errors.forCode(response.results().find(groupId).errorCode());
    }

    private OffsetDeleteResponseData deleteOffsets(String groupId, TopicPartition... partitions) {
        OffsetDeleteRequestData.OffsetDeleteRequestTopicCollection topics =
                new OffsetDeleteRequestData.OffsetDeleteRequestTopicCollection();
        for (TopicPartition partition : partitions) {
            OffsetDeleteRequestData.OffsetDeleteRequestPartition p = new OffsetDeleteRequestData.OffsetDeleteRequestPartition()
                    .setPartitionIndex(partition.partition());
            topics.add(new OffsetDeleteRequestData.OffsetDeleteRequestTopic().setName(partition.topic())
                    .setPartitions(List.of(p)));
        }
        return harness.callNow(ApiKeys.OFFSET_DELETE, new OffsetDeleteRequestData().setGroupId(groupId).setTopics(topics),
                ApiKeys.OFFSET_DELETE.latestVersion(), OffsetDeleteResponseData::new);
    }
}
