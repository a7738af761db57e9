package io.memorystreamer.broker.internal.group;

import static io.memorystreamer.broker.internal.group.GroupHarness.SESSION_MS;
import static io.memorystreamer.broker.internal.group.GroupHarness.await;
import static io.memorystreamer.broker.internal.group.GroupHarness.consumerProtocol;
import static io.memorystreamer.broker.internal.group.GroupHarness.joinRequest;
import static org.assertj.core.api.Assertions.assertThat;

import io.memorystreamer.broker.internal.topic.TopicInfo;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.message.JoinGroupResponseData;
import org.apache.kafka.common.message.LeaveGroupRequestData;
import org.apache.kafka.common.message.LeaveGroupResponseData;
import org.apache.kafka.common.message.OffsetCommitResponseData;
import org.apache.kafka.common.message.OffsetFetchRequestData;
import org.apache.kafka.common.message.OffsetFetchResponseData;
import org.apache.kafka.common.protocol.ApiKeys;
import org.apache.kafka.common.protocol.Errors;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** OffsetCommit and OffsetFetch over the real state store, across restarts, versions and retention. */
class CommittedOffsetsTest {

    private static final String GROUP = "reports";
    private static final TopicPartition ORDERS_0 = new TopicPartition("orders", 0);
    private static final TopicPartition ORDERS_1 = new TopicPartition("orders", 1);

    @TempDir
    Path dir;
    private GroupHarness harness;

    @AfterEach
    void stop() throws InterruptedException {
        harness.close();
    }

    @Test
    void aMemberCommitsOffsetsWithMetadataThatFetchReturns() {
        // Given a stable member
        harness = new GroupHarness(dir);
        harness.topics.create("orders", 2);
        JoinGroupResponseData member = stableMember();

        // When it commits with metadata at the latest version (topic ids)
        OffsetCommitResponseData committed = harness.commit(GROUP, member.memberId(), member.generationId(), ORDERS_1,
                42L, "checkpoint-7", ApiKeys.OFFSET_COMMIT.latestVersion());

        // Then fetching by name (v9) and by topic id (v10) returns offset and metadata; uncommitted is -1
        assertThat(committed.topics().getFirst().partitions().getFirst().errorCode()).isZero();
        OffsetFetchResponseData.OffsetFetchResponsePartitions byName = fetchOne(ORDERS_1, (short) 9);
        assertThat(byName.committedOffset()).isEqualTo(42L);
        assertThat(byName.metadata()).isEqualTo("checkpoint-7");
        assertThat(fetchOne(ORDERS_1, (short) 10).committedOffset()).isEqualTo(42L);
        assertThat(harness.committed(GROUP, ORDERS_0)).isEqualTo(-1L);
    }

    @Test
    void committedOffsetsAndTheGenerationSurviveReopeningTheStore() {
        // Given offsets committed by a member of generation 1
        harness = new GroupHarness(dir);
        harness.topics.create("orders", 2);
        JoinGroupResponseData member = stableMember();
        assertThat(harness.commit(GROUP, member.memberId(), 1, ORDERS_0, 10L)).isEqualTo(Errors.NONE);
        assertThat(harness.commit(GROUP, member.memberId(), 1, ORDERS_1, 20L)).isEqualTo(Errors.NONE);

        // When the coordinator and the state store restart
        harness.restart();

        // Then the offsets are there, the group is empty, and its next generation follows the stored one
        assertThat(harness.committed(GROUP, ORDERS_0)).isEqualTo(10L);
        assertThat(harness.committed(GROUP, ORDERS_1)).isEqualTo(20L);
        assertThat(harness.describe(GROUP).groupState()).isEqualTo("Empty");
        assertThat(harness.describe(GROUP).protocolType()).isEqualTo("consumer");
        assertThat(harness.heartbeat(GROUP, member.memberId(), 1)).isEqualTo(Errors.UNKNOWN_MEMBER_ID);
        assertThat(stableMember().generationId()).isEqualTo(2);
    }

    @Test
    void commitsToPartitionsThatDoNotExistAreRefused() {
        // Given a topic of two partitions
        harness = new GroupHarness(dir);
        harness.topics.create("orders", 2);

        // When offsets are committed for a third partition and an unknown topic
        Errors missingPartition = harness.commit(GROUP, "", -1, new TopicPartition("orders", 2), 1L);
        Errors missingTopic = Errors.forCode(harness.commit(GROUP, "", -1, new TopicPartition("nope", 0), 1L, "",
                (short) 9).topics().getFirst().partitions().getFirst().errorCode());

        // Then both are unknown
        assertThat(missingPartition).isEqualTo(Errors.UNKNOWN_TOPIC_OR_PARTITION);
        assertThat(missingTopic).isEqualTo(Errors.UNKNOWN_TOPIC_OR_PARTITION);
    }

    @Test
    void simpleCommitsCreateAGroupWithoutMembers() {
        // Given no group
        harness = new GroupHarness(dir);
        harness.topics.create("orders", 2);

        // When a tool commits with generation -1 and no member id (as reset-offsets does)
        Errors error = harness.commit(GROUP, "", -1, ORDERS_0, 5L);

        // Then the offset is stored under an empty group without protocol type
        assertThat(error).isEqualTo(Errors.NONE);
        assertThat(harness.committed(GROUP, ORDERS_0)).isEqualTo(5L);
        assertThat(harness.describe(GROUP).groupState()).isEqualTo("Empty");
        assertThat(harness.describe(GROUP).protocolType()).isEmpty();
    }

    @Test
    void aCommitForAGroupThatDoesNotExistSaysSo() {
        // Given no group
        harness = new GroupHarness(dir);
        harness.topics.create("orders", 2);

        // When a member of a generation commits
        Errors error = harness.commit(GROUP, "member-1", 3, ORDERS_0, 5L);

        // Then the group is not found
        assertThat(error).isEqualTo(Errors.GROUP_ID_NOT_FOUND);
    }

    @Test
    void fetchingAllOffsetsListsEveryCommittedPartitionInEachFormat() {
        // Given offsets on two partitions
        harness = new GroupHarness(dir);
        TopicInfo orders = harness.topics.create("orders", 2);
        harness.commit(GROUP, "", -1, ORDERS_0, 3L);
        harness.commit(GROUP, "", -1, ORDERS_1, 4L);

        // When all offsets are fetched in the single-group form (v7) and the multi-group form (v10)
        OffsetFetchResponseData single = harness.callNow(ApiKeys.OFFSET_FETCH,
                new OffsetFetchRequestData().setGroupId(GROUP).setTopics(null), (short) 7, OffsetFetchResponseData::new);
        OffsetFetchResponseData multi = harness.callNow(ApiKeys.OFFSET_FETCH,
                new OffsetFetchRequestData().setGroups(List.of(new OffsetFetchRequestData.OffsetFetchRequestGroup()
                        .setGroupId(GROUP).setTopics(null))), (short) 10, OffsetFetchResponseData::new);

        // Then both list both partitions
        assertThat(single.topics()).singleElement().satisfies(topic -> {
            assertThat(topic.name()).isEqualTo("orders");
            assertThat(topic.partitions()).extracting(p -> p.committedOffset()).containsExactly(3L, 4L);
        });
        assertThat(multi.groups().getFirst().topics()).singleElement().satisfies(topic -> {
            assertThat(topic.topicId()).isEqualTo(orders.id());
            assertThat(topic.partitions()).extracting(p -> p.committedOffset()).containsExactly(3L, 4L);
        });
    }

    @Test
    void offsetsOfAnEmptyGroupExpireAfterTheRetentionPeriod() {
        // Given retention of one minute checked every 50 ms, and a member that committed and left
        harness = new GroupHarness(dir, Map.of(GroupConfig.RETENTION_MINUTES, "1",
                GroupConfig.RETENTION_CHECK_INTERVAL, "50"));
        harness.topics.create("orders", 2);
        JoinGroupResponseData member = stableMember();
        harness.commit(GROUP, member.memberId(), 1, ORDERS_0, 10L);
        harness.callNow(ApiKeys.LEAVE_GROUP, new LeaveGroupRequestData().setGroupId(GROUP).setMembers(List.of(
                new LeaveGroupRequestData.MemberIdentity().setMemberId(member.memberId()))),
                ApiKeys.LEAVE_GROUP.latestVersion(), LeaveGroupResponseData::new);

        // When less than the retention period passes, the offset stays
        harness.clock.addAndGet(Duration.ofSeconds(30).toMillis());
        Awaitility.await().pollDelay(Duration.ofMillis(200)).atMost(Duration.ofSeconds(5))
                .until(() -> harness.committed(GROUP, ORDERS_0) == 10L);

        // Then once it has passed, the offset and the group are gone, also after a restart
        harness.clock.addAndGet(Duration.ofSeconds(31).toMillis());
        Awaitility.await().atMost(Duration.ofSeconds(5)).until(() -> harness.committed(GROUP, ORDERS_0) == -1L);
        assertThat(harness.describe(GROUP).errorCode()).isEqualTo(Errors.GROUP_ID_NOT_FOUND.code());
        harness.restart();
        assertThat(harness.committed(GROUP, ORDERS_0)).isEqualTo(-1L);
    }

    @Test
    void deletingATopicForgetsItsOffsets() {
        // Given committed offsets of a topic
        harness = new GroupHarness(dir);
        harness.topics.create("orders", 2);
        harness.commit(GROUP, "", -1, ORDERS_0, 3L);

        // When the topic is deleted and created again
        harness.topics.delete("orders");
        harness.apis().onTopicDeleted("orders");
        harness.topics.create("orders", 2);

        // Then the new topic has no committed offset, also after a restart
        assertThat(harness.committed(GROUP, ORDERS_0)).isEqualTo(-1L);
        harness.restart();
        assertThat(harness.committed(GROUP, ORDERS_0)).isEqualTo(-1L);
    }

    private JoinGroupResponseData stableMember() {
        JoinGroupResponseData joined = await(harness.joinNew(GROUP, SESSION_MS, consumerProtocol("range", "orders")));
        await(harness.sync(GROUP, joined.memberId(), joined.generationId(), Map.of()));
        return joined;
    }

    private OffsetFetchResponseData.OffsetFetchResponsePartitions fetchOne(TopicPartition partition, short version) {
        OffsetFetchRequestData.OffsetFetchRequestTopics topic = new OffsetFetchRequestData.OffsetFetchRequestTopics()
                .setPartitionIndexes(List.of(partition.partition()));
        if (version >= 10) {
            topic.setTopicId(harness.topics.topic(partition.topic()).orElseThrow().id());
        } else {
            topic.setName(partition.topic());
        }
        OffsetFetchRequestData request = new OffsetFetchRequestData().setGroups(List.of(
                new OffsetFetchRequestData.OffsetFetchRequestGroup().setGroupId(GROUP).setTopics(List.of(topic))));
        return harness.callNow(ApiKeys.OFFSET_FETCH, request, version, OffsetFetchResponseData::new)
                .groups().getFirst().topics().getFirst().partitions().getFirst();
    }
}
