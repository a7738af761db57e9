package io.memorystreamer.broker.internal.group;

import io.memorystreamer.spi.state.StateException;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.function.LongSupplier;
import org.apache.kafka.common.message.JoinGroupResponseData;
import org.apache.kafka.common.message.SyncGroupResponseData;
import org.apache.kafka.common.protocol.Errors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The rebalance state machine of classic groups, as Kafka's group coordinator runs it: preparing a
 * rebalance, completing the join phase into a new generation, distributing assignments, and the
 * timers that end waits (initial delay, rebalance timeout, sync timeout, session expiry).
 *
 * <p>Every method except the timer callbacks is called with the group's lock held; the callbacks
 * take the lock through the {@link GroupRegistry} and ignore timers that became stale.
 */
final class Rebalancer {

    private static final Logger LOG = LoggerFactory.getLogger(Rebalancer.class);

    private final GroupRegistry registry;
    private final GroupTimers timers;
    private final GroupConfig config;
    private final GroupStore store;
    private final LongSupplier clock;

    Rebalancer(GroupRegistry registry, GroupTimers timers, GroupConfig config, GroupStore store, LongSupplier clock) {
        this.registry = registry;
        this.timers = timers;
        this.config = config;
        this.store = store;
        this.clock = clock;
    }

    long nowMs() {
        return clock.getAsLong();
    }

    // ---- sessions ----

    /** Pushes a member's session deadline to now plus its session timeout. */
    void rescheduleHeartbeat(ClassicGroup group, GroupMember member) {
        rescheduleHeartbeat(group, member, member.sessionTimeoutMs());
    }

    /** Pushes a member's session deadline to now plus {@code timeoutMs}. */
    void rescheduleHeartbeat(ClassicGroup group, GroupMember member, long timeoutMs) {
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(timeoutMs);
        member.setHeartbeatDeadlineNanos(deadline);
        TimerSlot slot = member.heartbeatTimer();
        // A heartbeat only moves the deadline: the armed timer looks at it when it fires and arms
        // itself again, so frequent heartbeats cost no scheduler work.
        if (slot.isArmed() && slot.firesNanos() - deadline <= 0) {
            return;
        }
        armSessionTimer(group, member, timeoutMs);
    }

    private void armSessionTimer(ClassicGroup group, GroupMember member, long delayMs) {
        arm(group, member.heartbeatTimer(), delayMs, "session expiry of " + member.memberId(), g -> {
            if (g.member(member.memberId()) != member) {
                return;
            }
            long remainingNanos = member.heartbeatDeadlineNanos() - System.nanoTime();
            if (remainingNanos > 0) {
                armSessionTimer(g, member, TimeUnit.NANOSECONDS.toMillis(remainingNanos) + 1);
            } else if (!member.hasSatisfiedHeartbeat()) {
                LOG.info("Member {} of group {} has failed (no heartbeat within its session timeout of {} ms), "
                        + "removing it", member.memberId(), g.groupId(), member.sessionTimeoutMs());
                removeMemberAndUpdateGroup(g, member, "removing member " + member.memberId() + " on session expiry");
            }
        });
    }

    /** Forgets a member that was told MEMBER_ID_REQUIRED if it does not join within its session timeout. */
    void addPendingJoinMember(ClassicGroup group, String memberId, int sessionTimeoutMs) {
        group.addPendingJoinMember(memberId, timers.schedule(sessionTimeoutMs, "pending member expiry",
                () -> registry.runIfLive(group, g -> {
                    if (g.isPendingJoinMember(memberId)) {
                        LOG.info("Pending member {} of group {} did not join within its session timeout; forgetting it",
                                memberId, g.groupId());
                        g.removePendingJoinMember(memberId);
                        if (g.is(GroupState.PREPARING_REBALANCE) && g.hasAllMembersJoined()) {
                            completeJoin(g);
                        }
                    }
                })));
    }

    /** Removes a failed member (answering its parked join) and rebalances the others. */
    void removeMemberAndUpdateGroup(ClassicGroup group, GroupMember member, String reason) {
        // A new member may still have a parked JoinGroup: UNKNOWN_MEMBER_ID makes a live client retry.
        group.completeJoin(member, new JoinGroupResponseData()
                .setMemberId("")
                .setErrorCode(Errors.UNKNOWN_MEMBER_ID.code()));
        group.remove(member.memberId());
        if (group.is(GroupState.STABLE) || group.is(GroupState.COMPLETING_REBALANCE)) {
            maybePrepareRebalanceOrCompleteJoin(group, reason);
        } else if (group.is(GroupState.PREPARING_REBALANCE) && group.hasAllMembersJoined()) {
            completeJoin(group);
        }
    }

    // ---- join phase ----

    void maybePrepareRebalanceOrCompleteJoin(ClassicGroup group, String reason) {
        if (group.canRebalance()) {
            prepareRebalance(group, reason);
        } else {
            maybeCompleteJoinPhase(group);
        }
    }

    /** Starts a rebalance: members parked in SyncGroup must rejoin, everyone gets until the rebalance timeout. */
    void prepareRebalance(ClassicGroup group, String reason) {
        if (group.is(GroupState.COMPLETING_REBALANCE)) {
            resetAndPropagateAssignmentWithError(group, Errors.REBALANCE_IN_PROGRESS);
        }
        group.clearPendingSyncMembers();
        group.syncTimer().cancel();
        boolean initialRebalance = group.is(GroupState.EMPTY);
        if (initialRebalance) {
            // A new group waits a little for more members, so its first generation is not wasted.
            int delayMs = config.initialRebalanceDelayMs();
            int remainingMs = Math.max(group.rebalanceTimeoutMs() - delayMs, 0);
            armInitialDelay(group, delayMs, remainingMs);
        }
        group.transitionTo(GroupState.PREPARING_REBALANCE, nowMs());
        LOG.info("Preparing to rebalance group {} with old generation {} ({})", group.groupId(),
                group.generationId(), reason);
        if (!initialRebalance) {
            if (group.hasAllMembersJoined()) {
                completeJoin(group);
            } else {
                arm(group, group.joinTimer(), group.rebalanceTimeoutMs(), "rebalance timeout", this::completeJoin);
            }
        }
    }

    private void armInitialDelay(ClassicGroup group, int delayMs, int remainingMs) {
        arm(group, group.joinTimer(), delayMs, "initial rebalance delay", g -> {
            if (g.newMemberAdded() && remainingMs != 0) {
                // Members are still arriving: wait once more, never beyond the rebalance timeout.
                g.setNewMemberAdded(false);
                int nextDelay = Math.min(config.initialRebalanceDelayMs(), remainingMs);
                armInitialDelay(g, nextDelay, Math.max(remainingMs - delayMs, 0));
            } else {
                completeJoin(g);
            }
        });
    }

    /** Completes the join phase once every known member rejoined (never during the initial delay). */
    void maybeCompleteJoinPhase(ClassicGroup group) {
        if (group.is(GroupState.PREPARING_REBALANCE) && group.previousState() != GroupState.EMPTY
                && group.hasAllMembersJoined()) {
            completeJoin(group);
        }
    }

    /**
     * Ends the join phase: dynamic members that did not rejoin are dropped, the generation moves
     * on, and every parked JoinGroup is answered (the leader gets the members' metadata).
     */
    void completeJoin(ClassicGroup group) {
        if (!group.is(GroupState.PREPARING_REBALANCE)) {
            return;
        }
        group.joinTimer().cancel();
        List<GroupMember> missing = group.notYetRejoinedMembers().stream().filter(m -> !m.isStatic()).toList();
        for (GroupMember member : missing) {
            group.remove(member.memberId());
        }
        if (!missing.isEmpty()) {
            LOG.info("Group {} removed dynamic members that did not rejoin: {}", group.groupId(),
                    missing.stream().map(GroupMember::memberId).toList());
        }
        if (!group.electJoinedLeader() && group.memberCount() > 0) {
            // Only static members remain and none rejoined: wait for them or their session expiry.
            LOG.warn("Group {} could not complete its rebalance because no member rejoined", group.groupId());
            arm(group, group.joinTimer(), group.rebalanceTimeoutMs(), "rebalance timeout", this::completeJoin);
            return;
        }
        group.initNextGeneration(nowMs());
        if (group.is(GroupState.EMPTY)) {
            LOG.info("Group {} with generation {} is now empty", group.groupId(), group.generationId());
            persist(group);
            return;
        }
        LOG.info("Stabilized group {} generation {} with {} members (protocol {})", group.groupId(),
                group.generationId(), group.memberCount(), group.protocolName());
        for (GroupMember member : group.members()) {
            JoinGroupResponseData response = new JoinGroupResponseData()
                    .setMembers(group.isLeader(member.memberId()) ? group.joinResponseMembers() : List.of())
                    .setMemberId(member.memberId())
                    .setGenerationId(group.generationId())
                    .setProtocolName(group.protocolName())
                    .setProtocolType(group.protocolType())
                    .setLeader(group.leaderId())
                    .setSkipAssignment(false);
            group.completeJoin(member, response);
            rescheduleHeartbeat(group, member);
            member.setNew(false);
            group.addPendingSyncMember(member.memberId());
        }
        int generation = group.generationId();
        arm(group, group.syncTimer(), group.rebalanceTimeoutMs(), "sync timeout", g -> expirePendingSync(g, generation));
    }

    /** Members that never sent SyncGroup for the generation are removed and the group rebalances. */
    private void expirePendingSync(ClassicGroup group, int generation) {
        if (generation != group.generationId()
                || !(group.is(GroupState.COMPLETING_REBALANCE) || group.is(GroupState.STABLE))
                || group.hasReceivedSyncFromAllMembers()) {
            return;
        }
        var missing = group.pendingSyncMembers();
        for (String memberId : missing) {
            group.remove(memberId);
        }
        LOG.info("Group {} removed members that did not send SyncGroup in time: {}", group.groupId(), missing);
        prepareRebalance(group, "removing " + missing + " on pending sync expiry");
    }

    // ---- sync phase ----

    void resetAndPropagateAssignmentWithError(ClassicGroup group, Errors error) {
        for (GroupMember member : group.members()) {
            member.setAssignment(GroupMember.EMPTY_ASSIGNMENT);
        }
        propagateAssignment(group, error);
    }

    void setAndPropagateAssignment(ClassicGroup group, Map<String, byte[]> assignment) {
        for (GroupMember member : group.members()) {
            member.setAssignment(assignment.getOrDefault(member.memberId(), GroupMember.EMPTY_ASSIGNMENT));
        }
        propagateAssignment(group, Errors.NONE);
    }

    private void propagateAssignment(ClassicGroup group, Errors error) {
        boolean ok = error == Errors.NONE;
        for (GroupMember member : group.members()) {
            SyncGroupResponseData response = new SyncGroupResponseData()
                    .setProtocolType(ok ? group.protocolType() : null)
                    .setProtocolName(ok ? group.protocolName() : null)
                    .setAssignment(member.assignment())
                    .setErrorCode(error.code());
            if (group.completeSync(member, response)) {
                // A session that ran out while the member waited was excused; it starts afresh now.
                rescheduleHeartbeat(group, member);
            }
        }
    }

    /** Moves a group whose leader sent the assignment to Stable and answers every parked SyncGroup. */
    void completeSync(ClassicGroup group, Map<String, byte[]> assignment) {
        setAndPropagateAssignment(group, assignment);
        group.transitionTo(GroupState.STABLE, nowMs());
        persist(group);
    }

    /** Removes a member that asked to leave, answering its parked join. */
    void removeLeavingMember(ClassicGroup group, String memberId, String reason) {
        GroupMember member = group.member(memberId);
        LOG.info("Member {} has left group {} ({})", memberId, group.groupId(), reason);
        group.completeJoin(member, new JoinGroupResponseData()
                .setMemberId("")
                .setErrorCode(Errors.UNKNOWN_MEMBER_ID.code()));
        group.remove(memberId);
    }

    // ---- persistence ----

    /**
     * Stores the group's protocol type and generation so both survive a restart. Only groups
     * with a protocol type are stored; simple groups are rebuilt from their offsets. A failure is
     * logged: the group's state in memory stays right, and only its generation might repeat
     * after a restart.
     */
    void persist(ClassicGroup group) {
        if (group.protocolType() == null) {
            return;
        }
        try {
            store.putGroup(group.groupId(), new GroupRecords.StoredGroup(group.protocolType(), group.generationId(),
                    group.is(GroupState.EMPTY), group.stateTimestampMs()));
        } catch (StateException e) {
            LOG.warn("Could not store the metadata of group {} (generation {}): {}", group.groupId(),
                    group.generationId(), e.getMessage());
        }
    }

    // ---- timers ----

    /** Arms a timer slot: {@code task} runs under the group's lock unless the slot was re-armed or cancelled. */
    private void arm(ClassicGroup group, TimerSlot slot, long delayMs, String what, Consumer<ClassicGroup> task) {
        long token = slot.arm();
        slot.set(timers.schedule(delayMs, what + " of group " + group.groupId(), () -> registry.runIfLive(group, g -> {
            if (slot.isCurrent(token)) {
                slot.fired();
                task.accept(g);
            }
        })), System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(delayMs));
    }
}
