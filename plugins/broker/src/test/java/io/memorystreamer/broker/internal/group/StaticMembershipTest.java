package io.memorystreamer.broker.internal.group;

import static io.memorystreamer.broker.internal.group.GroupHarness.SESSION_MS;
import static io.memorystreamer.broker.internal.group.GroupHarness.await;
import static io.memorystreamer.broker.internal.group.GroupHarness.consumerProtocol;
import static io.memorystreamer.broker.internal.group.GroupHarness.joinRequest;
import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import org.apache.kafka.common.message.JoinGroupResponseData;
import org.apache.kafka.common.message.LeaveGroupRequestData;
import org.apache.kafka.common.message.LeaveGroupResponseData;
import org.apache.kafka.common.message.SyncGroupResponseData;
import org.apache.kafka.common.protocol.ApiKeys;
import org.apache.kafka.common.protocol.Errors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Static membership ({@code group.instance.id}): restarts without rebalances, fencing of the old id. */
class StaticMembershipTest {

    private static final String GROUP = "billing";
    private static final byte[] ASSIGNMENT_A = "a".getBytes(StandardCharsets.UTF_8);
    private static final byte[] ASSIGNMENT_B = "b".getBytes(StandardCharsets.UTF_8);

    @TempDir
    Path dir;
    private GroupHarness harness;
    private JoinGroupResponseData instanceA;
    private JoinGroupResponseData instanceB;

    @BeforeEach
    void stableGroupOfTwoStaticMembers() {
        harness = new GroupHarness(dir);
        JoinGroupResponseData a = await(harness.join(joinRequest(GROUP, "", "instance-a", SESSION_MS,
                consumerProtocol("range", "invoices"))));
        await(harness.sync(GROUP, a.memberId(), a.generationId(), Map.of()));
        CompletableFuture<JoinGroupResponseData> b = harness.join(joinRequest(GROUP, "", "instance-b", SESSION_MS,
                consumerProtocol("range", "invoices")));
        instanceA = await(harness.join(joinRequest(GROUP, a.memberId(), "instance-a", SESSION_MS,
                consumerProtocol("range", "invoices"))));
        instanceB = await(b);
        CompletableFuture<SyncGroupResponseData> followerSync = harness.sync(GROUP, instanceB.memberId(), 2, Map.of());
        await(harness.sync(GROUP, instanceA.memberId(), 2,
                Map.of(instanceA.memberId(), ASSIGNMENT_A, instanceB.memberId(), ASSIGNMENT_B)));
        await(followerSync);
    }

    @AfterEach
    void stop() throws InterruptedException {
        harness.close();
    }

    @Test
    void aStaticMemberThatRestartsUnchangedReplacesItsOldIdWithoutARebalance() {
        // When instance b restarts (no member id) with the same metadata
        JoinGroupResponseData rejoined = await(harness.join(joinRequest(GROUP, "", "instance-b", SESSION_MS,
                consumerProtocol("range", "invoices"))));

        // Then it gets a new member id in the same generation, syncs its old assignment, and nobody rebalances
        assertThat(rejoined.errorCode()).isZero();
        assertThat(rejoined.memberId()).startsWith("instance-b-").isNotEqualTo(instanceB.memberId());
        assertThat(rejoined.generationId()).isEqualTo(2);
        assertThat(await(harness.sync(GROUP, rejoined.memberId(), 2, Map.of())).assignment()).isEqualTo(ASSIGNMENT_B);
        assertThat(harness.heartbeat(GROUP, instanceA.memberId(), 2)).isEqualTo(Errors.NONE);
        assertThat(harness.describe(GROUP).groupState()).isEqualTo("Stable");

        // And the old member id is fenced
        assertThat(harness.heartbeat(GROUP, instanceB.memberId(), "instance-b", 2)).isEqualTo(Errors.FENCED_INSTANCE_ID);
    }

    @Test
    void aStaticMemberThatRestartsWithANewSubscriptionTriggersARebalance() {
        // When instance b restarts subscribing to another topic as well
        CompletableFuture<JoinGroupResponseData> rejoined = harness.join(joinRequest(GROUP, "", "instance-b", SESSION_MS,
                consumerProtocol("range", "invoices", "refunds")));

        // Then the group rebalances into generation 3
        assertThat(harness.heartbeat(GROUP, instanceA.memberId(), 2)).isEqualTo(Errors.REBALANCE_IN_PROGRESS);
        JoinGroupResponseData a = await(harness.join(joinRequest(GROUP, instanceA.memberId(), "instance-a", SESSION_MS,
                consumerProtocol("range", "invoices"))));
        assertThat(a.generationId()).isEqualTo(3);
        assertThat(await(rejoined).generationId()).isEqualTo(3);
    }

    @Test
    void anAdministratorRemovesAStaticMemberByItsInstanceId() {
        // When instance b is removed by instance id only
        LeaveGroupRequestData request = new LeaveGroupRequestData().setGroupId(GROUP).setMembers(List.of(
                new LeaveGroupRequestData.MemberIdentity().setMemberId("").setGroupInstanceId("instance-b")));
        LeaveGroupResponseData response = harness.callNow(ApiKeys.LEAVE_GROUP, request,
                ApiKeys.LEAVE_GROUP.latestVersion(), LeaveGroupResponseData::new);

        // Then it is gone and the rest rebalances
        assertThat(response.members().getFirst().errorCode()).isZero();
        assertThat(harness.heartbeat(GROUP, instanceA.memberId(), 2)).isEqualTo(Errors.REBALANCE_IN_PROGRESS);
        assertThat(harness.heartbeat(GROUP, instanceB.memberId(), "instance-b", 2)).isEqualTo(Errors.UNKNOWN_MEMBER_ID);
    }
}
