package io.memorystreamer.broker.internal.group;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.memorystreamer.broker.internal.topic.TopicInfo;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.kafka.common.message.ConsumerGroupDescribeResponseData;
import org.apache.kafka.common.message.ConsumerGroupHeartbeatResponseData;
import org.apache.kafka.common.protocol.Errors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The consumer group protocol (KIP-848) through ConsumerGroupHeartbeat and ConsumerGroupDescribe:
 * joining, epochs, reconciliation with revocation, fencing, leaving and static members.
 */
class ConsumerGroupProtocolTest {

    private static final String GROUP = "readers";
    private static final int HEARTBEAT_MS = 100;
    /** Short heartbeats allowed; sessions long unless a test shortens them. */
    private static final Map<String, String> CONFIG = Map.of(
            "group.consumer.min.heartbeat.interval.ms", "10",
            "group.consumer.heartbeat.interval.ms", String.valueOf(HEARTBEAT_MS),
            "group.consumer.min.session.timeout.ms", "100",
            "group.consumer.session.timeout.ms", "60000");

    @TempDir
    Path dir;
    private GroupHarness harness;
    private TopicInfo orders;

    @BeforeEach
    void start() {
        harness = new GroupHarness(dir, CONFIG);
        orders = harness.topics.create("orders", 6);
    }

    @AfterEach
    void stop() throws InterruptedException {
        harness.close();
    }

    @Test
    void aJoiningMemberKeepsItsOwnIdAndGetsEveryPartitionAtTheNewEpoch() {
        // When the first member joins
        ConsumerMember a = new ConsumerMember(harness, GROUP);
        ConsumerGroupHeartbeatResponseData response = a.join("orders");

        // Then it is member 1 of epoch 1 with all six partitions and the configured heartbeat interval
        assertThat(a.lastError()).isEqualTo(Errors.NONE);
        assertThat(response.memberId()).isEqualTo(a.memberId());
        assertThat(response.memberEpoch()).isEqualTo(1);
        assertThat(response.heartbeatIntervalMs()).isEqualTo(HEARTBEAT_MS);
        assertThat(a.owned(orders.id())).containsExactly(0, 1, 2, 3, 4, 5);
        assertThat(harness.describeConsumerGroup(GROUP).groupState()).isEqualTo("Stable");
    }

    @Test
    void aNewMemberGetsPartitionsOnlyOnceTheirOwnerRevokedThem() {
        // Given a member that owns all six partitions
        ConsumerMember a = new ConsumerMember(harness, GROUP);
        a.join("orders");

        // When a second member joins
        ConsumerMember b = new ConsumerMember(harness, GROUP);
        b.join("orders");

        // Then it is at the new epoch but gets nothing yet: every partition is still a's
        assertThat(b.epoch()).isEqualTo(2);
        assertThat(b.owned().isEmpty()).isTrue();
        assertThat(harness.describeConsumerGroup(GROUP).groupState()).isEqualTo("Reconciling");

        // When a heartbeats, it is told to keep three and stays at its epoch until it revoked the others
        a.heartbeat();
        assertThat(a.owned(orders.id())).hasSize(3);
        assertThat(a.epoch()).isEqualTo(1);
        b.heartbeat();
        assertThat(b.owned().isEmpty()).as("the revoked partitions are not reported released yet").isTrue();

        // When a reports the revocation, it moves to epoch 2, and then b gets the other three
        a.heartbeat();
        assertThat(a.epoch()).isEqualTo(2);
        b.heartbeat();
        assertThat(b.owned(orders.id())).hasSize(3);
        Set<Integer> union = new HashSet<>(a.owned(orders.id()));
        union.addAll(b.owned(orders.id()));
        assertThat(union).containsExactlyInAnyOrder(0, 1, 2, 3, 4, 5);
        assertThat(harness.describeConsumerGroup(GROUP).groupState()).isEqualTo("Stable");
    }

    @Test
    void membersNeverOwnAPartitionAtTheSameTime() {
        // Given three members joining one after the other, heartbeating in turns
        ConsumerMember a = new ConsumerMember(harness, GROUP);
        ConsumerMember b = new ConsumerMember(harness, GROUP);
        ConsumerMember c = new ConsumerMember(harness, GROUP);
        a.join("orders");
        b.join("orders");
        for (int round = 0; round < 6; round++) {
            if (round == 2) {
                c.join("orders");
            }
            for (ConsumerMember member : List.of(a, b, c)) {
                if (round >= 2 || member != c) {
                    member.heartbeat();
                }
                // Then at no moment do two members hold the same partition
                assertDisjoint(a, b, c);
            }
        }

        // And in the end each has two
        ConsumerMember.settle(a, b, c);
        assertThat(List.of(a, b, c)).allSatisfy(m -> assertThat(m.owned(orders.id())).hasSize(2));
        assertDisjoint(a, b, c);
    }

    @Test
    void anEpochAheadOrAStaleEpochIsFenced() {
        // Given a member at epoch 1
        ConsumerMember a = new ConsumerMember(harness, GROUP);
        a.join("orders");

        // When it sends epoch 2
        ConsumerGroupHeartbeatResponseData ahead = harness.consumerHeartbeat(a.joinRequest().setMemberEpoch(2)
                .setTopicPartitions(null));

        // Then it is fenced
        assertThat(Errors.forCode(ahead.errorCode())).isEqualTo(Errors.FENCED_MEMBER_EPOCH);
        assertThat(ahead.errorMessage()).contains("greater member epoch");
    }

    @Test
    void theEpochBeforeAnUnseenBumpIsAcceptedWithPartitionsTheMemberStillHas() {
        // Given member a at epoch 1 with all partitions, and b joining so that a moves to epoch 2
        ConsumerMember a = new ConsumerMember(harness, GROUP);
        a.join("orders");
        ConsumerMember b = new ConsumerMember(harness, GROUP);
        b.join("orders");
        ConsumerMember.settle(a, b);
        int current = a.epoch();

        // When a heartbeats with its previous epoch (the bump's response was lost) and a subset of its partitions
        ConsumerGroupHeartbeatResponseData lost = harness.consumerHeartbeat(a.joinRequest()
                .setMemberEpoch(current - 1).setRebalanceTimeoutMs(-1).setServerAssignor(null)
                .setTopicPartitions(ConsumerMember.topicPartitions(a.owned())));

        // Then it is accepted and told its epoch again
        assertThat(Errors.forCode(lost.errorCode())).isEqualTo(Errors.NONE);
        assertThat(lost.memberEpoch()).isEqualTo(current);

        // But the previous epoch with partitions the member no longer has is fenced
        ConsumerGroupHeartbeatResponseData stale = harness.consumerHeartbeat(a.joinRequest()
                .setMemberEpoch(current - 1).setRebalanceTimeoutMs(-1).setServerAssignor(null)
                .setTopicPartitions(ConsumerMember.topicPartitions(PartitionSet.of(Map.of(orders.id(),
                        List.of(0, 1, 2, 3, 4, 5))))));
        assertThat(Errors.forCode(stale.errorCode())).isEqualTo(Errors.FENCED_MEMBER_EPOCH);
        assertThat(stale.errorMessage()).contains("smaller member epoch");
    }

    @Test
    void aHeartbeatFromAnUnknownMemberIsRefused() {
        // Given a group with one member
        new ConsumerMember(harness, GROUP).join("orders");

        // When another member id heartbeats at epoch 1
        ConsumerMember stranger = new ConsumerMember(harness, GROUP);
        ConsumerGroupHeartbeatResponseData response = harness.consumerHeartbeat(stranger.joinRequest().setMemberEpoch(1)
                .setTopicPartitions(null));

        // Then it is unknown
        assertThat(Errors.forCode(response.errorCode())).isEqualTo(Errors.UNKNOWN_MEMBER_ID);
    }

    @Test
    void aMemberThatRejoinsAtEpochZeroStartsOverWithoutBeingFenced() {
        // Given a member at epoch 1 with every partition
        ConsumerMember a = new ConsumerMember(harness, GROUP);
        a.join("orders");

        // When it rejoins with the same id (it lost its partitions, say after a poll timeout)
        a.join("orders");

        // Then it is back with every partition at a new epoch
        assertThat(a.lastError()).isEqualTo(Errors.NONE);
        assertThat(a.epoch()).isEqualTo(2);
        assertThat(a.owned(orders.id())).hasSize(6);
    }

    @Test
    void aLeavingMembersPartitionsGoToTheOthers() {
        // Given two settled members
        ConsumerMember a = new ConsumerMember(harness, GROUP);
        ConsumerMember b = new ConsumerMember(harness, GROUP);
        a.join("orders");
        b.join("orders");
        ConsumerMember.settle(a, b);

        // When b leaves
        ConsumerGroupHeartbeatResponseData left = b.leave(false);

        // Then it is told epoch -1, and a gets all six at its next heartbeat
        assertThat(left.memberEpoch()).isEqualTo(-1);
        a.heartbeat();
        assertThat(a.owned(orders.id())).hasSize(6);
        assertThat(harness.describeConsumerGroup(GROUP).members()).extracting(m -> m.memberId())
                .containsExactly(a.memberId());
    }

    @Test
    void aMemberThatStopsHeartbeatingIsRemovedAfterTheSessionTimeout() {
        // Given a coordinator with a short session timeout and two settled members
        restartWith(Map.of("group.consumer.session.timeout.ms", "300"));
        ConsumerMember a = new ConsumerMember(harness, GROUP);
        ConsumerMember b = new ConsumerMember(harness, GROUP);
        a.join("orders");
        b.join("orders");
        ConsumerMember.settle(a, b);

        // When b stops heartbeating while a goes on
        // Then b is removed after its session timeout and a gets its partitions
        await().atMost(Duration.ofSeconds(10)).pollInterval(Duration.ofMillis(50)).untilAsserted(() -> {
            a.heartbeat();
            assertThat(a.owned(orders.id())).hasSize(6);
        });
        assertThat(harness.describeConsumerGroup(GROUP).members()).hasSize(1);
        assertThat(b.heartbeat().errorCode()).isEqualTo(Errors.UNKNOWN_MEMBER_ID.code());
    }

    @Test
    void aMemberThatDoesNotRevokeWithinItsRebalanceTimeoutIsRemoved() {
        // Given a member with a 200 ms rebalance timeout that owns every partition
        ConsumerMember a = new ConsumerMember(harness, GROUP);
        a.send(a.joinRequest().setSubscribedTopicNames(List.of("orders")).setRebalanceTimeoutMs(200));

        // When a second member joins and a is asked to revoke but never reports it did
        ConsumerMember b = new ConsumerMember(harness, GROUP);
        b.join("orders");
        harness.consumerHeartbeat(a.joinRequest().setMemberEpoch(a.epoch()).setRebalanceTimeoutMs(-1)
                .setTopicPartitions(null));

        // Then a is removed once the rebalance timeout passes, and b gets every partition
        await().atMost(Duration.ofSeconds(10)).pollInterval(Duration.ofMillis(50)).untilAsserted(() -> {
            b.heartbeat();
            assertThat(b.owned(orders.id())).hasSize(6);
        });
    }

    @Test
    void aStaticMemberThatLeavesForAWhileGetsItsPartitionsBackUnderANewMemberId() {
        // Given two static members with three partitions each
        ConsumerMember a = new ConsumerMember(harness, GROUP).withInstanceId("instance-a");
        ConsumerMember b = new ConsumerMember(harness, GROUP).withInstanceId("instance-b");
        a.join("orders");
        b.join("orders");
        ConsumerMember.settle(a, b);
        PartitionSet aHad = a.owned();
        int epochBefore = harness.describeConsumerGroup(GROUP).groupEpoch();

        // When a leaves with epoch -2, then a new process with the same instance id joins
        assertThat(a.leave(true).memberEpoch()).isEqualTo(-2);
        b.heartbeat();
        ConsumerMember again = new ConsumerMember(harness, GROUP).withInstanceId("instance-a");
        again.join("orders");

        // Then the new member has a's partitions at once, b kept its own, and the group did not rebalance
        assertThat(again.lastError()).isEqualTo(Errors.NONE);
        assertThat(again.owned()).isEqualTo(aHad);
        assertThat(b.owned(orders.id())).hasSize(3);
        ConsumerGroupDescribeResponseData.DescribedGroup described = harness.describeConsumerGroup(GROUP);
        assertThat(described.groupEpoch()).isEqualTo(epochBefore);
        assertThat(described.members()).extracting(m -> m.memberId())
                .containsExactlyInAnyOrder(again.memberId(), b.memberId());
    }

    @Test
    void anInstanceIdInUseCannotJoinUnderAnotherMemberId() {
        // Given a static member that did not leave
        new ConsumerMember(harness, GROUP).withInstanceId("instance-a").join("orders");

        // When another process joins with the same instance id
        ConsumerMember other = new ConsumerMember(harness, GROUP).withInstanceId("instance-a");
        other.join("orders");

        // Then it is refused
        assertThat(other.lastError()).isEqualTo(Errors.UNRELEASED_INSTANCE_ID);
    }

    @Test
    void aGroupRefusesMembersBeyondItsMaximumSize() {
        // Given a maximum of one member, and one member
        restartWith(Map.of("group.consumer.max.size", "1"));
        new ConsumerMember(harness, GROUP).join("orders");

        // When a second joins
        ConsumerMember second = new ConsumerMember(harness, GROUP);
        second.join("orders");

        // Then it is refused
        assertThat(second.lastError()).isEqualTo(Errors.GROUP_MAX_SIZE_REACHED);
    }

    @Test
    void membersAskingForTheRangeAssignorGetCoPartitionedRanges() {
        // Given two topics of six partitions and two members asking for range
        TopicInfo payments = harness.topics.create("payments", 6);
        ConsumerMember a = new ConsumerMember(harness, GROUP).withAssignor("range");
        ConsumerMember b = new ConsumerMember(harness, GROUP).withAssignor("range");
        a.join("orders", "payments");
        b.join("orders", "payments");
        ConsumerMember.settle(a, b);

        // Then each has the same partition numbers of both topics, and the group says range
        for (ConsumerMember member : List.of(a, b)) {
            assertThat(member.owned(orders.id())).hasSize(3).isEqualTo(member.owned(payments.id()));
        }
        assertThat(harness.describeConsumerGroup(GROUP).assignorName()).isEqualTo("range");
    }

    @Test
    void aRegexSubscriptionFollowsTopicsCreatedLater() {
        // Given a member subscribed to orders-.* while only orders-eu exists
        TopicInfo eu = harness.topics.create("orders-eu", 2);
        ConsumerMember a = new ConsumerMember(harness, GROUP);
        a.joinRegex("orders-.*");
        assertThat(a.owned().topics()).containsExactly(eu.id());

        // When orders-us is created and the member heartbeats after the metadata refresh interval
        TopicInfo us = harness.topics.create("orders-us", 3);
        harness.clock.addAndGet(ConsumerGroupRebalancer.METADATA_REFRESH_INTERVAL_MS);
        a.heartbeat();

        // Then it owns both topics' partitions, and not the plain orders topic
        assertThat(a.owned(us.id())).containsExactly(0, 1, 2);
        assertThat(a.owned(eu.id())).containsExactly(0, 1);
        assertThat(a.owned(orders.id())).isEmpty();
        assertThat(harness.describeConsumerGroup(GROUP).members().getFirst().subscribedTopicRegex())
                .isEqualTo("orders-.*");
    }

    @Test
    void partitionsAddedToASubscribedTopicAreAssigned() {
        // Given a member with the six partitions of orders
        ConsumerMember a = new ConsumerMember(harness, GROUP);
        a.join("orders");

        // When orders grows to eight partitions
        harness.topics.addPartitions("orders", 8);
        harness.clock.addAndGet(ConsumerGroupRebalancer.METADATA_REFRESH_INTERVAL_MS);
        a.heartbeat();

        // Then the member gets the new ones at a new epoch
        assertThat(a.owned(orders.id())).hasSize(8);
        assertThat(a.epoch()).isEqualTo(2);
    }

    @Test
    void aDeletedTopicLeavesTheAssignment() {
        // Given a member of orders and payments
        TopicInfo payments = harness.topics.create("payments", 2);
        ConsumerMember a = new ConsumerMember(harness, GROUP);
        a.join("orders", "payments");

        // When payments is deleted
        harness.topics.delete("payments");
        harness.apis().onTopicDeleted("payments");
        ConsumerMember.settle(a);

        // Then only orders is assigned
        assertThat(a.owned().topics()).containsExactly(orders.id());
        assertThat(a.owned(payments.id())).isEmpty();
    }

    @Test
    void describeShowsEpochsSubscriptionsAndBothAssignments() {
        // Given a member with every partition
        ConsumerMember a = new ConsumerMember(harness, GROUP);
        a.join("orders");

        // When the group is described
        ConsumerGroupDescribeResponseData.DescribedGroup described = harness.describeConsumerGroup(GROUP);

        // Then its epochs, assignor and member are there
        assertThat(described.errorCode()).isZero();
        assertThat(described.groupEpoch()).isEqualTo(1);
        assertThat(described.assignmentEpoch()).isEqualTo(1);
        assertThat(described.assignorName()).isEqualTo("uniform");
        ConsumerGroupDescribeResponseData.Member member = described.members().getFirst();
        assertThat(member.memberEpoch()).isEqualTo(1);
        assertThat(member.clientId()).isEqualTo(GroupHarness.CLIENT_ID);
        assertThat(member.subscribedTopicNames()).containsExactly("orders");
        assertThat(member.assignment().topicPartitions().getFirst().topicName()).isEqualTo("orders");
        assertThat(member.assignment().topicPartitions().getFirst().partitions()).hasSize(6);
        assertThat(member.targetAssignment()).isEqualTo(member.assignment());
        assertThat(member.memberType()).isEqualTo((byte) 1);
    }

    private void restartWith(Map<String, String> overrides) {
        try {
            harness.close();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        Map<String, String> config = new HashMap<>(CONFIG);
        config.putAll(overrides);
        harness = new GroupHarness(dir.resolve("restarted-" + System.nanoTime()), config);
        orders = harness.topics.create("orders", 6);
    }

    private void assertDisjoint(ConsumerMember... members) {
        Set<Integer> seen = new HashSet<>();
        for (ConsumerMember member : members) {
            for (int partition : member.owned(orders.id())) {
                assertThat(seen.add(partition)).as("partition %d owned twice", partition).isTrue();
            }
        }
    }
}
