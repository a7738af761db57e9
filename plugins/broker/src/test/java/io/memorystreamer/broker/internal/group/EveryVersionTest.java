package io.memorystreamer.broker.internal.group;

import static io.memorystreamer.broker.internal.group.GroupHarness.SESSION_MS;
import static io.memorystreamer.broker.internal.group.GroupHarness.consumerProtocol;
import static io.memorystreamer.broker.internal.group.GroupHarness.joinRequest;
import static org.assertj.core.api.Assertions.assertThat;

import io.memorystreamer.broker.internal.topic.TopicInfo;
import java.nio.file.Path;
import java.util.List;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.message.DeleteGroupsRequestData;
import org.apache.kafka.common.message.DeleteGroupsResponseData;
import org.apache.kafka.common.message.DescribeGroupsRequestData;
import org.apache.kafka.common.message.DescribeGroupsResponseData;
import org.apache.kafka.common.message.FindCoordinatorRequestData;
import org.apache.kafka.common.message.FindCoordinatorResponseData;
import org.apache.kafka.common.message.HeartbeatRequestData;
import org.apache.kafka.common.message.HeartbeatResponseData;
import org.apache.kafka.common.message.JoinGroupResponseData;
import org.apache.kafka.common.message.LeaveGroupRequestData;
import org.apache.kafka.common.message.LeaveGroupResponseData;
import org.apache.kafka.common.message.ListGroupsRequestData;
import org.apache.kafka.common.message.ListGroupsResponseData;
import org.apache.kafka.common.message.OffsetCommitRequestData;
import org.apache.kafka.common.message.OffsetCommitResponseData;
import org.apache.kafka.common.message.OffsetDeleteRequestData;
import org.apache.kafka.common.message.OffsetDeleteResponseData;
import org.apache.kafka.common.message.OffsetFetchRequestData;
import org.apache.kafka.common.message.OffsetFetchResponseData;
import org.apache.kafka.common.message.SyncGroupRequestData;
import org.apache.kafka.common.message.SyncGroupResponseData;
import org.apache.kafka.common.protocol.ApiKeys;
import org.apache.kafka.common.protocol.Errors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Every version of every group API that kafka-clients knows gets an answer that encodes at that
 * version (the broker advertises them all).
 */
class EveryVersionTest {

    @TempDir
    Path dir;
    private GroupHarness harness;
    private TopicInfo orders;

    @BeforeEach
    void start() {
        harness = new GroupHarness(dir);
        orders = harness.topics.create("orders", 1);
    }

    @AfterEach
    void stop() throws InterruptedException {
        harness.close();
    }

    @Test
    void findCoordinator() {
        for (short v = ApiKeys.FIND_COORDINATOR.oldestVersion(); v <= ApiKeys.FIND_COORDINATOR.latestVersion(); v++) {
            FindCoordinatorRequestData request = v < 4 ? new FindCoordinatorRequestData().setKey("g")
                    : new FindCoordinatorRequestData().setCoordinatorKeys(List.of("g"));
            FindCoordinatorResponseData response = harness.callNow(ApiKeys.FIND_COORDINATOR, request, v,
                    FindCoordinatorResponseData::new);
            assertThat(v < 4 ? response.nodeId() : response.coordinators().getFirst().nodeId()).as("v%d", v).isEqualTo(1);
        }
    }

    @Test
    void joinGroupFromVersionZeroOn() {
        for (short v = ApiKeys.JOIN_GROUP.oldestVersion(); v <= ApiKeys.JOIN_GROUP.latestVersion(); v++) {
            JoinGroupResponseData response = harness.callNow(ApiKeys.JOIN_GROUP,
                    joinRequest("join-v" + v, "", null, SESSION_MS, consumerProtocol("range", "orders")), v,
                    JoinGroupResponseData::new);
            // Before v4 a new member joins at once; since, it first learns its id.
            assertThat(Errors.forCode(response.errorCode())).as("v%d", v)
                    .isEqualTo(v < 4 ? Errors.NONE : Errors.MEMBER_ID_REQUIRED);
        }
    }

    @Test
    void syncHeartbeatAndLeaveOfAnUnknownGroup() {
        for (short v = ApiKeys.SYNC_GROUP.oldestVersion(); v <= ApiKeys.SYNC_GROUP.latestVersion(); v++) {
            SyncGroupResponseData response = harness.callNow(ApiKeys.SYNC_GROUP, new SyncGroupRequestData()
                    .setGroupId("none").setMemberId("m").setGenerationId(1), v, SyncGroupResponseData::new);
            assertThat(response.errorCode()).as("v%d", v).isEqualTo(Errors.UNKNOWN_MEMBER_ID.code());
        }
        for (short v = ApiKeys.HEARTBEAT.oldestVersion(); v <= ApiKeys.HEARTBEAT.latestVersion(); v++) {
            HeartbeatResponseData response = harness.callNow(ApiKeys.HEARTBEAT, new HeartbeatRequestData()
                    .setGroupId("none").setMemberId("m").setGenerationId(1), v, HeartbeatResponseData::new);
            assertThat(response.errorCode()).as("v%d", v).isEqualTo(Errors.UNKNOWN_MEMBER_ID.code());
        }
        for (short v = ApiKeys.LEAVE_GROUP.oldestVersion(); v <= ApiKeys.LEAVE_GROUP.latestVersion(); v++) {
            LeaveGroupRequestData request = v < 3 ? new LeaveGroupRequestData().setGroupId("none").setMemberId("m")
                    : new LeaveGroupRequestData().setGroupId("none").setMembers(List.of(
                            new LeaveGroupRequestData.MemberIdentity().setMemberId("m")));
            LeaveGroupResponseData response = harness.callNow(ApiKeys.LEAVE_GROUP, request, v, LeaveGroupResponseData::new);
            short error = v < 3 ? response.errorCode() : response.members().getFirst().errorCode();
            assertThat(error).as("v%d", v).isEqualTo(Errors.UNKNOWN_MEMBER_ID.code());
        }
    }

    @Test
    void offsetCommitAndFetch() {
        for (short v = ApiKeys.OFFSET_COMMIT.oldestVersion(); v <= ApiKeys.OFFSET_COMMIT.latestVersion(); v++) {
            OffsetCommitRequestData.OffsetCommitRequestTopic topic = new OffsetCommitRequestData.OffsetCommitRequestTopic()
                    .setPartitions(List.of(new OffsetCommitRequestData.OffsetCommitRequestPartition()
                            .setPartitionIndex(0).setCommittedOffset(100 + v)));
            if (v >= 10) {
                topic.setTopicId(orders.id());
            } else {
                topic.setName("orders");
            }
            OffsetCommitResponseData response = harness.callNow(ApiKeys.OFFSET_COMMIT, new OffsetCommitRequestData()
                    .setGroupId("offsets").setMemberId("").setGenerationIdOrMemberEpoch(-1).setTopics(List.of(topic)),
                    v, OffsetCommitResponseData::new);
            assertThat(response.topics().getFirst().partitions().getFirst().errorCode()).as("v%d", v).isZero();
        }
        long lastCommitted = 100 + ApiKeys.OFFSET_COMMIT.latestVersion();
        for (short v = ApiKeys.OFFSET_FETCH.oldestVersion(); v <= ApiKeys.OFFSET_FETCH.latestVersion(); v++) {
            long fetched;
            if (v < 8) {
                OffsetFetchResponseData response = harness.callNow(ApiKeys.OFFSET_FETCH, new OffsetFetchRequestData()
                        .setGroupId("offsets").setTopics(List.of(new OffsetFetchRequestData.OffsetFetchRequestTopic()
                                .setName("orders").setPartitionIndexes(List.of(0)))), v, OffsetFetchResponseData::new);
                fetched = response.topics().getFirst().partitions().getFirst().committedOffset();
            } else {
                OffsetFetchRequestData.OffsetFetchRequestTopics topic = new OffsetFetchRequestData.OffsetFetchRequestTopics()
                        .setPartitionIndexes(List.of(0));
                if (v >= 10) {
                    topic.setTopicId(orders.id());
                } else {
                    topic.setName("orders");
                }
                OffsetFetchResponseData response = harness.callNow(ApiKeys.OFFSET_FETCH, new OffsetFetchRequestData()
                        .setGroups(List.of(new OffsetFetchRequestData.OffsetFetchRequestGroup().setGroupId("offsets")
                                .setTopics(List.of(topic)))), v, OffsetFetchResponseData::new);
                fetched = response.groups().getFirst().topics().getFirst().partitions().getFirst().committedOffset();
            }
            assertThat(fetched).as("v%d", v).isEqualTo(lastCommitted);
        }
    }

    @Test
    void listDescribeDeleteGroupsAndDeleteOffsets() {
        harness.commit("offsets", "", -1, new TopicPartition("orders", 0), 1L);
        for (short v = ApiKeys.LIST_GROUPS.oldestVersion(); v <= ApiKeys.LIST_GROUPS.latestVersion(); v++) {
            ListGroupsResponseData response = harness.callNow(ApiKeys.LIST_GROUPS, new ListGroupsRequestData(), v,
                    ListGroupsResponseData::new);
            assertThat(response.groups()).as("v%d", v).extracting(ListGroupsResponseData.ListedGroup::groupId)
                    .containsExactly("offsets");
        }
        for (short v = ApiKeys.DESCRIBE_GROUPS.oldestVersion(); v <= ApiKeys.DESCRIBE_GROUPS.latestVersion(); v++) {
            DescribeGroupsResponseData response = harness.callNow(ApiKeys.DESCRIBE_GROUPS,
                    new DescribeGroupsRequestData().setGroups(List.of("offsets", "missing")), v,
                    DescribeGroupsResponseData::new);
            assertThat(response.groups().get(0).groupState()).as("v%d", v).isEqualTo("Empty");
            assertThat(response.groups().get(1).groupState()).as("v%d", v).isEqualTo("Dead");
        }
        for (short v = ApiKeys.OFFSET_DELETE.oldestVersion(); v <= ApiKeys.OFFSET_DELETE.latestVersion(); v++) {
            OffsetDeleteRequestData.OffsetDeleteRequestTopicCollection topics =
                    new OffsetDeleteRequestData.OffsetDeleteRequestTopicCollection();
            topics.add(new OffsetDeleteRequestData.OffsetDeleteRequestTopic().setName("orders").setPartitions(List.of(
                    new OffsetDeleteRequestData.OffsetDeleteRequestPartition().setPartitionIndex(0))));
            OffsetDeleteResponseData response = harness.callNow(ApiKeys.OFFSET_DELETE, new OffsetDeleteRequestData()
                    .setGroupId("offsets").setTopics(topics), v, OffsetDeleteResponseData::new);
            assertThat(response.errorCode()).as("v%d", v).isZero();
        }
        for (short v = ApiKeys.DELETE_GROUPS.oldestVersion(); v <= ApiKeys.DELETE_GROUPS.latestVersion(); v++) {
            DeleteGroupsResponseData response = harness.callNow(ApiKeys.DELETE_GROUPS,
                    new DeleteGroupsRequestData().setGroupsNames(List.of("missing")), v, DeleteGroupsResponseData::new);
            assertThat(response.results().find("missing").errorCode()).as("v%d", v)
                    .isEqualTo(Errors.GROUP_ID_NOT_FOUND.code());
        }
    }
}
