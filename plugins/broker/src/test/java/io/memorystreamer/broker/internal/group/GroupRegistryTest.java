package io.memorystreamer.broker.internal.group;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicReference;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.CoordinatorNotAvailableException;
import org.apache.kafka.common.errors.InvalidRequestException;
import org.apache.kafka.common.message.JoinGroupResponseData;
import org.apache.kafka.common.message.SyncGroupResponseData;
import org.apache.kafka.common.protocol.Errors;
import org.junit.jupiter.api.Test;

/** How the registry runs operations on a group, and what it does when one fails half-way. */
class GroupRegistryTest {

    private static final String GROUP = "payments";
    private static final TopicPartition PARTITION = new TopicPartition("orders", 0);
    private static final CommittedOffset OFFSET = new CommittedOffset(42L, 3, "", 1_000L, CommittedOffset.NO_EXPIRY);

    private final GroupRegistry registry = new GroupRegistry(() -> 5_000L);

    @Test
    void anOperationThatFailsHalfWayAnswersParkedRequestsAndResetsTheGroupToItsCommittedState() {
        CompletableFuture<JoinGroupResponseData> parkedJoin = new CompletableFuture<>();
        CompletableFuture<SyncGroupResponseData> parkedSync = new CompletableFuture<>();
        ClassicGroup original = stableGroupWithParkedRequests(parkedJoin, parkedSync);

        assertThatThrownBy(() -> registry.apply(GROUP, false, group -> {
            group.transitionTo(GroupState.PREPARING_REBALANCE, 5_000L);
            throw new IllegalStateException("a bug in the middle of a rebalance");
        }, null)).isInstanceOf(CoordinatorNotAvailableException.class).hasMessageContaining(GROUP);

        assertThat(parkedJoin).isCompleted();
        assertThat(parkedJoin.join().errorCode()).isEqualTo(Errors.COORDINATOR_NOT_AVAILABLE.code());
        assertThat(parkedSync.join().errorCode()).isEqualTo(Errors.COORDINATOR_NOT_AVAILABLE.code());
        assertThat(original.isDead()).isTrue();
        assertThat(registry.resets()).isEqualTo(1);
        ClassicGroup reset = registry.apply(GROUP, false, group -> group, null);
        assertThat(reset).isNotSameAs(original);
        assertThat(reset.state()).isEqualTo(GroupState.EMPTY);
        assertThat(reset.memberCount()).isZero();
        assertThat(reset.generationId()).isEqualTo(original.generationId());
        assertThat(reset.protocolType()).isEqualTo("consumer");
        assertThat(reset.offsets()).containsEntry(PARTITION, OFFSET);
    }

    @Test
    void aFailingTimerTaskAnswersTheRequestsItLeftParked() {
        CompletableFuture<JoinGroupResponseData> parkedJoin = new CompletableFuture<>();
        ClassicGroup group = stableGroupWithParkedRequests(parkedJoin, new CompletableFuture<>());

        assertThatThrownBy(() -> registry.runIfLive(group, g -> {
            throw new IllegalStateException("a bug in a timer");
        })).isInstanceOf(CoordinatorNotAvailableException.class);

        assertThat(parkedJoin.join().errorCode()).isEqualTo(Errors.COORDINATOR_NOT_AVAILABLE.code());
        assertThat(registry.snapshot()).singleElement().isNotSameAs(group);
    }

    @Test
    void aRefusalKeepsTheGroupAndStillDeliversWhatTheOperationAnswered() {
        CompletableFuture<JoinGroupResponseData> parkedJoin = new CompletableFuture<>();
        ClassicGroup original = stableGroupWithParkedRequests(parkedJoin, new CompletableFuture<>());
        JoinGroupResponseData answer = new JoinGroupResponseData().setErrorCode(Errors.REBALANCE_IN_PROGRESS.code());

        assertThatThrownBy(() -> registry.apply(GROUP, false, group -> {
            group.completeJoin(group.members().iterator().next(), answer);
            throw new InvalidRequestException("refused on purpose");
        }, null)).isInstanceOf(InvalidRequestException.class);

        assertThat(parkedJoin).isCompletedWithValue(answer);
        ClassicGroup current = registry.apply(GROUP, false, group -> group, null);
        assertThat(current).isSameAs(original);
        assertThat(original.memberCount()).isEqualTo(1);
        assertThat(registry.resets()).isZero();
    }

    @Test
    void aConsumerGroupIsResetToItsEpochAndOffsets() {
        AtomicReference<ConsumerGroup> original = new AtomicReference<>();
        registry.applyConsumer(GROUP, true, group -> {
            original.set(group);
            group.offsets().put(PARTITION, OFFSET);
            return group;
        }, null, null);

        assertThatThrownBy(() -> registry.applyConsumer(GROUP, false, group -> {
            throw new IllegalStateException("a bug in a heartbeat");
        }, null, null)).isInstanceOf(CoordinatorNotAvailableException.class);

        ConsumerGroup reset = registry.applyConsumer(GROUP, false, group -> group, null, null);
        assertThat(reset).isNotSameAs(original.get());
        assertThat(reset.groupEpoch()).isEqualTo(original.get().groupEpoch());
        assertThat(reset.offsets()).containsEntry(PARTITION, OFFSET);
        assertThat(reset.hasNoMembers()).isTrue();
    }

    @Test
    void aGroupThatFailsDoesNotStopAnActionOnEveryGroup() {
        registry.apply("first", true, group -> group, null);
        registry.apply("second", true, group -> group, null);
        List<String> visited = new ArrayList<>();

        registry.runOnEach("a scan", group -> {
            visited.add(group.groupId());
            if (visited.size() == 1) {
                throw new IllegalStateException("a bug in a scan");
            }
        });

        assertThat(visited).containsExactlyInAnyOrder("first", "second");
        assertThat(registry.resets()).isEqualTo(1);
        assertThat(registry.snapshot()).extracting(Group::groupId).containsExactlyInAnyOrder("first", "second");
    }

    /** A stable classic group of generation 1 with one member that has a JoinGroup and a SyncGroup parked. */
    private ClassicGroup stableGroupWithParkedRequests(CompletableFuture<JoinGroupResponseData> join,
            CompletableFuture<SyncGroupResponseData> sync) {
        return registry.apply(GROUP, true, group -> {
            group.offsets().put(PARTITION, OFFSET);
            GroupMember member = new GroupMember("member-1", null, "client", "/127.0.0.1", 30_000, 10_000, "consumer",
                    List.of(new GroupMember.Protocol("range", new byte[0])), GroupMember.EMPTY_ASSIGNMENT);
            group.add(member, null);
            group.transitionTo(GroupState.PREPARING_REBALANCE, 5_000L);
            group.initNextGeneration(5_000L);
            group.transitionTo(GroupState.STABLE, 5_000L);
            group.updateMember(member, member.protocols(), 30_000, 10_000, join);
            member.setAwaitingSync(sync);
            return group;
        }, null);
    }
}
