package io.memorystreamer.broker.internal.group;

import static io.memorystreamer.broker.internal.group.GroupHarness.SESSION_MS;
import static io.memorystreamer.broker.internal.group.GroupHarness.await;
import static io.memorystreamer.broker.internal.group.GroupHarness.consumerProtocol;
import static io.memorystreamer.broker.internal.group.GroupHarness.joinRequest;
import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.message.JoinGroupRequestData;
import org.apache.kafka.common.message.JoinGroupResponseData;
import org.apache.kafka.common.message.LeaveGroupRequestData;
import org.apache.kafka.common.message.LeaveGroupResponseData;
import org.apache.kafka.common.message.SyncGroupResponseData;
import org.apache.kafka.common.protocol.ApiKeys;
import org.apache.kafka.common.protocol.Errors;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Join, sync, heartbeat and leave through the group handlers, as a consumer drives them. */
class GroupMembershipTest {

    private static final String GROUP = "orders-app";
    private static final byte[] ASSIGNMENT_A = "a".getBytes(StandardCharsets.UTF_8);
    private static final byte[] ASSIGNMENT_B = "b".getBytes(StandardCharsets.UTF_8);

    @TempDir
    Path dir;
    private GroupHarness harness;

    @BeforeEach
    void start() {
        harness = new GroupHarness(dir);
    }

    @AfterEach
    void stop() throws InterruptedException {
        harness.close();
    }

    @Test
    void firstJoinOfANewMemberAsksItToRejoinWithAnAssignedId() {
        // When a consumer joins with no member id
        JoinGroupResponseData response = await(harness.join(
                joinRequest(GROUP, "", null, SESSION_MS, consumerProtocol("range", "orders"))));

        // Then it is told to rejoin with the id the coordinator made for it
        assertThat(Errors.forCode(response.errorCode())).isEqualTo(Errors.MEMBER_ID_REQUIRED);
        assertThat(response.memberId()).startsWith(GroupHarness.CLIENT_ID + "-");
    }

    @Test
    void aSingleMemberLeadsTheFirstGenerationAndGetsTheAssignmentItSyncs() {
        // Given a consumer that joined
        JoinGroupResponseData joined = await(harness.joinNew(GROUP, SESSION_MS, consumerProtocol("range", "orders")));

        // When it syncs its own assignment
        SyncGroupResponseData synced = await(harness.sync(GROUP, joined.memberId(), joined.generationId(),
                Map.of(joined.memberId(), ASSIGNMENT_A)));

        // Then it led generation 1 with the range protocol, got its assignment and the group is stable
        assertThat(joined.errorCode()).isZero();
        assertThat(joined.generationId()).isEqualTo(1);
        assertThat(joined.leader()).isEqualTo(joined.memberId());
        assertThat(joined.protocolName()).isEqualTo("range");
        assertThat(joined.members()).extracting(JoinGroupResponseData.JoinGroupResponseMember::memberId)
                .containsExactly(joined.memberId());
        assertThat(synced.errorCode()).isZero();
        assertThat(synced.assignment()).isEqualTo(ASSIGNMENT_A);
        assertThat(harness.heartbeat(GROUP, joined.memberId(), 1)).isEqualTo(Errors.NONE);
        assertThat(harness.describe(GROUP).groupState()).isEqualTo("Stable");
    }

    @Test
    void aProtocolListedTwiceCountsOnce() {
        // When a consumer joins listing the range protocol twice
        JoinGroupResponseData joined = await(harness.joinNew(GROUP, SESSION_MS, consumerProtocol("range", "orders"),
                consumerProtocol("range", "orders")));

        // Then it leads generation 1 with that protocol, as with one listing
        assertThat(joined.errorCode()).isZero();
        assertThat(joined.generationId()).isEqualTo(1);
        assertThat(joined.protocolName()).isEqualTo("range");
    }

    @Test
    void aNewMemberTriggersARebalanceThatEveryMemberRejoins() {
        // Given a stable group of one
        JoinGroupResponseData first = stableSingleMember();

        // When a second consumer joins
        CompletableFuture<JoinGroupResponseData> second = harness.joinNew(GROUP, SESSION_MS,
                consumerProtocol("range", "orders"));

        // Then the first learns of the rebalance from its heartbeat, rejoins, and both enter generation 2
        assertThat(harness.heartbeat(GROUP, first.memberId(), 1)).isEqualTo(Errors.REBALANCE_IN_PROGRESS);
        assertThat(second).isNotDone();
        JoinGroupResponseData firstAgain = await(harness.join(
                joinRequest(GROUP, first.memberId(), null, SESSION_MS, consumerProtocol("range", "orders"))));
        JoinGroupResponseData secondJoined = await(second);
        assertThat(firstAgain.generationId()).isEqualTo(2);
        assertThat(secondJoined.generationId()).isEqualTo(2);
        assertThat(firstAgain.leader()).isEqualTo(first.memberId());
        assertThat(firstAgain.members()).hasSize(2);
        assertThat(secondJoined.members()).isEmpty();

        // And the leader's sync hands each member its own share
        CompletableFuture<SyncGroupResponseData> followerSync = harness.sync(GROUP, secondJoined.memberId(), 2, Map.of());
        assertThat(followerSync).isNotDone();
        SyncGroupResponseData leaderSync = await(harness.sync(GROUP, first.memberId(), 2,
                Map.of(first.memberId(), ASSIGNMENT_A, secondJoined.memberId(), ASSIGNMENT_B)));
        assertThat(leaderSync.assignment()).isEqualTo(ASSIGNMENT_A);
        assertThat(await(followerSync).assignment()).isEqualTo(ASSIGNMENT_B);
    }

    @Test
    void theGroupUsesTheProtocolEveryMemberSupports() {
        // Given a member preferring roundrobin over range
        JoinGroupResponseData first = stableSingleMember("roundrobin", "range");

        // When a member that only supports range joins and the first rejoins
        CompletableFuture<JoinGroupResponseData> second = harness.joinNew(GROUP, SESSION_MS,
                consumerProtocol("range", "orders"));
        JoinGroupResponseData rejoined = await(harness.join(joinRequest(GROUP, first.memberId(), null, SESSION_MS,
                consumerProtocol("roundrobin", "orders"), consumerProtocol("range", "orders"))));

        // Then generation 2 uses range
        assertThat(first.protocolName()).isEqualTo("roundrobin");
        assertThat(rejoined.protocolName()).isEqualTo("range");
        assertThat(await(second).protocolName()).isEqualTo("range");
    }

    @Test
    void aMemberWithNoCommonProtocolIsRefused() {
        // Given a stable range group
        stableSingleMember();

        // When a member that only knows roundrobin joins
        JoinGroupResponseData refused = await(harness.join(
                joinRequest(GROUP, "", null, SESSION_MS, consumerProtocol("roundrobin", "orders"))));

        // Then it is told its protocols are inconsistent with the group's
        assertThat(Errors.forCode(refused.errorCode())).isEqualTo(Errors.INCONSISTENT_GROUP_PROTOCOL);
    }

    @Test
    void aSessionTimeoutOutsideTheConfiguredRangeIsRefused() {
        // When a consumer asks for a session timeout below the minimum
        JoinGroupResponseData refused = await(harness.join(
                joinRequest(GROUP, "", null, 5, consumerProtocol("range", "orders"))));

        // Then the join is refused
        assertThat(Errors.forCode(refused.errorCode())).isEqualTo(Errors.INVALID_SESSION_TIMEOUT);
    }

    @Test
    void requestsOfAnOlderGenerationOrUnknownMemberAreFenced() {
        // Given a stable group in generation 1
        JoinGroupResponseData member = stableSingleMember();

        // Then a wrong generation or member id is fenced on heartbeat, sync and commit
        assertThat(harness.heartbeat(GROUP, member.memberId(), 0)).isEqualTo(Errors.ILLEGAL_GENERATION);
        assertThat(harness.heartbeat(GROUP, "someone-else", 1)).isEqualTo(Errors.UNKNOWN_MEMBER_ID);
        assertThat(harness.heartbeat("no-such-group", member.memberId(), 1)).isEqualTo(Errors.UNKNOWN_MEMBER_ID);
        assertThat(Errors.forCode(await(harness.sync(GROUP, member.memberId(), 7, Map.of())).errorCode()))
                .isEqualTo(Errors.ILLEGAL_GENERATION);
        harness.topics.create("orders", 1);
        assertThat(harness.commit(GROUP, member.memberId(), 0, new TopicPartition("orders", 0), 5))
                .isEqualTo(Errors.ILLEGAL_GENERATION);
        assertThat(harness.commit(GROUP, "", -1, new TopicPartition("orders", 0), 5))
                .isEqualTo(Errors.UNKNOWN_MEMBER_ID);
    }

    @Test
    void aLeavingMemberMakesTheOthersRebalanceAndTheLastOneEmptiesTheGroup() {
        // Given a stable group of two
        JoinGroupResponseData[] members = stableTwoMembers();

        // When the second leaves
        LeaveGroupResponseData left = leave(members[1].memberId());

        // Then the first must rejoin, and after it does it is alone in generation 3
        assertThat(left.members().getFirst().errorCode()).isZero();
        assertThat(harness.heartbeat(GROUP, members[0].memberId(), 2)).isEqualTo(Errors.REBALANCE_IN_PROGRESS);
        JoinGroupResponseData alone = await(harness.join(joinRequest(GROUP, members[0].memberId(), null, SESSION_MS,
                consumerProtocol("range", "orders"))));
        assertThat(alone.generationId()).isEqualTo(3);
        assertThat(alone.members()).hasSize(1);

        // And when the last one leaves the group is empty
        leave(members[0].memberId());
        assertThat(harness.describe(GROUP).groupState()).isEqualTo("Empty");
    }

    @Test
    void aMemberThatStopsHeartbeatingIsRemovedAfterItsSessionTimeout() {
        // Given a stable group of two, where the second has a short session
        JoinGroupResponseData first = stableSingleMember();
        CompletableFuture<JoinGroupResponseData> second = harness.joinNew(GROUP, 300, consumerProtocol("range", "orders"));
        JoinGroupResponseData firstAgain = await(harness.join(joinRequest(GROUP, first.memberId(), null, SESSION_MS,
                consumerProtocol("range", "orders"))));
        String secondId = await(second).memberId();
        CompletableFuture<SyncGroupResponseData> followerSync = harness.sync(GROUP, secondId, 2, Map.of());
        await(harness.sync(GROUP, first.memberId(), 2, Map.of()));
        await(followerSync);

        // When only the first keeps heartbeating, the second is evicted and the group rebalances
        Awaitility.await().atMost(Duration.ofSeconds(10)).until(
                () -> harness.heartbeat(GROUP, first.memberId(), firstAgain.generationId()) == Errors.REBALANCE_IN_PROGRESS);
        JoinGroupResponseData alone = await(harness.join(joinRequest(GROUP, first.memberId(), null, SESSION_MS,
                consumerProtocol("range", "orders"))));

        // Then the first is alone in the next generation and the second is unknown
        assertThat(alone.members()).extracting(JoinGroupResponseData.JoinGroupResponseMember::memberId)
                .containsExactly(first.memberId());
        assertThat(harness.heartbeat(GROUP, secondId, 2)).isEqualTo(Errors.UNKNOWN_MEMBER_ID);
    }

    @Test
    void aSoleMemberThatStopsHeartbeatingLeavesAnEmptyGroup() {
        // Given a stable group whose only member has a short session
        JoinGroupResponseData joined = await(harness.joinNew(GROUP, 200, consumerProtocol("range", "orders")));
        await(harness.sync(GROUP, joined.memberId(), joined.generationId(), Map.of()));

        // When it never heartbeats, the group becomes empty in a new generation
        Awaitility.await().atMost(Duration.ofSeconds(10))
                .until(() -> harness.describe(GROUP).groupState().equals("Empty"));

        // Then the member is unknown
        assertThat(harness.heartbeat(GROUP, joined.memberId(), joined.generationId()))
                .isIn(Errors.UNKNOWN_MEMBER_ID, Errors.ILLEGAL_GENERATION);
    }

    @Test
    void aMemberThatDoesNotRejoinWithinTheRebalanceTimeoutIsDropped() {
        // Given a stable group of two whose members allow 300 ms for a rebalance
        JoinGroupResponseData first = await(joinNewWithRebalanceTimeout(300));
        await(harness.sync(GROUP, first.memberId(), 1, Map.of()));
        CompletableFuture<JoinGroupResponseData> second = joinNewWithRebalanceTimeout(300);
        await(harness.join(withRebalanceTimeout(joinRequest(GROUP, first.memberId(), null, SESSION_MS,
                consumerProtocol("range", "orders")), 300)));
        String secondId = await(second).memberId();

        // When a third member joins and only the first rejoins
        CompletableFuture<JoinGroupResponseData> third = joinNewWithRebalanceTimeout(300);
        JoinGroupResponseData firstAgain = await(harness.join(withRebalanceTimeout(joinRequest(GROUP, first.memberId(),
                null, SESSION_MS, consumerProtocol("range", "orders")), 300)));

        // Then after the rebalance timeout the generation goes on without the second
        assertThat(firstAgain.generationId()).isEqualTo(3);
        assertThat(firstAgain.members()).extracting(JoinGroupResponseData.JoinGroupResponseMember::memberId)
                .containsExactlyInAnyOrder(first.memberId(), await(third).memberId());
        assertThat(harness.heartbeat(GROUP, secondId, 2)).isEqualTo(Errors.UNKNOWN_MEMBER_ID);
    }

    private CompletableFuture<JoinGroupResponseData> joinNewWithRebalanceTimeout(int rebalanceMs) {
        JoinGroupResponseData first = await(harness.join(withRebalanceTimeout(
                joinRequest(GROUP, "", null, SESSION_MS, consumerProtocol("range", "orders")), rebalanceMs)));
        return harness.join(withRebalanceTimeout(
                joinRequest(GROUP, first.memberId(), null, SESSION_MS, consumerProtocol("range", "orders")), rebalanceMs));
    }

    private static JoinGroupRequestData withRebalanceTimeout(JoinGroupRequestData request, int rebalanceMs) {
        return request.setRebalanceTimeoutMs(rebalanceMs);
    }

    private LeaveGroupResponseData leave(String memberId) {
        LeaveGroupRequestData request = new LeaveGroupRequestData().setGroupId(GROUP).setMembers(List.of(
                new LeaveGroupRequestData.MemberIdentity().setMemberId(memberId)));
        return harness.callNow(ApiKeys.LEAVE_GROUP, request, ApiKeys.LEAVE_GROUP.latestVersion(),
                LeaveGroupResponseData::new);
    }

    private JoinGroupResponseData stableSingleMember(String... protocols) {
        String[] names = protocols.length == 0 ? new String[] {"range"} : protocols;
        var requested = Arrays.stream(names).map(name -> consumerProtocol(name, "orders"))
                .toArray(JoinGroupRequestData.JoinGroupRequestProtocol[]::new);
        JoinGroupResponseData joined = await(harness.joinNew(GROUP, SESSION_MS, requested));
        await(harness.sync(GROUP, joined.memberId(), joined.generationId(), Map.of(joined.memberId(), ASSIGNMENT_A)));
        return joined;
    }

    private JoinGroupResponseData[] stableTwoMembers() {
        JoinGroupResponseData first = stableSingleMember();
        CompletableFuture<JoinGroupResponseData> second = harness.joinNew(GROUP, SESSION_MS,
                consumerProtocol("range", "orders"));
        JoinGroupResponseData firstAgain = await(harness.join(joinRequest(GROUP, first.memberId(), null, SESSION_MS,
                consumerProtocol("range", "orders"))));
        JoinGroupResponseData secondJoined = await(second);
        CompletableFuture<SyncGroupResponseData> followerSync = harness.sync(GROUP, secondJoined.memberId(), 2, Map.of());
        await(harness.sync(GROUP, first.memberId(), 2,
                Map.of(first.memberId(), ASSIGNMENT_A, secondJoined.memberId(), ASSIGNMENT_B)));
        await(followerSync);
        return new JoinGroupResponseData[] {firstAgain, secondJoined};
    }
}
