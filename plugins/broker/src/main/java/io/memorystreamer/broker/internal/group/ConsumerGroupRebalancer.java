package io.memorystreamer.broker.internal.group;

import io.memorystreamer.broker.internal.topic.TopicCatalog;
import io.memorystreamer.spi.state.StateException;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.function.LongSupplier;
import org.apache.kafka.common.Uuid;
import org.apache.kafka.common.errors.ApiException;
import org.apache.kafka.common.message.ConsumerGroupHeartbeatResponseData;
import org.apache.kafka.common.protocol.Errors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The consumer group protocol (KIP-848) as the coordinator runs it: members join, heartbeat and
 * leave; a change of subscriptions or of subscribed topics bumps the group epoch and the server
 * assignor computes a new target assignment at once; each member then reconciles towards its
 * target on its own heartbeats ({@link Reconciliation}). A member that misses its session timeout,
 * or does not revoke partitions within its rebalance timeout, is fenced: removed, its partitions
 * freed for the others.
 *
 * <p>Every method except the timer callbacks is called with the group's lock held; the callbacks
 * take the lock through the {@link GroupRegistry} and ignore timers that became stale. Errors the
 * member must see are thrown as Kafka {@link ApiException}s before anything changed.
 */
final class ConsumerGroupRebalancer {

    private static final Logger LOG = LoggerFactory.getLogger(ConsumerGroupRebalancer.class);
    /** How often a heartbeat re-reads the subscribed topics (new topics, partitions, regex matches). */
    static final long METADATA_REFRESH_INTERVAL_MS = 1_000;

    private final GroupRegistry registry;
    private final GroupTimers timers;
    private final ConsumerGroupConfig config;
    private final GroupStore store;
    private final TopicCatalog catalog;
    private final LongSupplier clock;
    private final Map<String, ServerAssignor> assignors = new HashMap<>();

    ConsumerGroupRebalancer(GroupRegistry registry, GroupTimers timers, ConsumerGroupConfig config, GroupStore store,
            TopicCatalog catalog, LongSupplier clock) {
        this.registry = registry;
        this.timers = timers;
        this.config = config;
        this.store = store;
        this.catalog = catalog;
        this.clock = clock;
        for (ServerAssignor assignor : List.of(new UniformAssignor(), new RangeAssignor())) {
            if (config.assignors().contains(assignor.name())) {
                assignors.put(assignor.name(), assignor);
            }
        }
    }

    ConsumerGroupConfig config() {
        return config;
    }

    boolean supportsAssignor(String name) {
        return assignors.containsKey(name);
    }

    // ---- heartbeats ----

    /** A join (epoch 0) or a heartbeat of a member. */
    ConsumerGroupHeartbeatResponseData heartbeat(ConsumerGroup group, ConsumerHeartbeat heartbeat) {
        long nowMs = clock.getAsLong();
        boolean wasEmpty = group.hasNoMembers();
        ConsumerGroupMember member = joinOrFind(group, heartbeat, nowMs);
        PartitionSet assignedBefore = member.assignment().assigned();
        boolean subscriptionChanged = member.update(heartbeat);
        group.registerStatic(member);
        boolean newMember = member.memberEpoch() == 0 && member.assignment().previousMemberEpoch() == -1;
        if (refreshSubscriptions(group, nowMs, subscriptionChanged || newMember) || subscriptionChanged || newMember) {
            group.bumpGroupEpoch();
            LOG.info("Consumer group {} moves to epoch {} ({})", group.groupId(), group.groupEpoch(),
                    newMember ? "member " + member.memberId() + " joined" : "subscriptions or topics changed");
        }
        updateTargetAssignment(group);
        reconcile(group, member, heartbeat.owned());
        scheduleSessionTimeout(group, member);
        if (wasEmpty) {
            persist(group);
        }
        ConsumerGroupHeartbeatResponseData response = new ConsumerGroupHeartbeatResponseData()
                .setMemberId(member.memberId())
                .setMemberEpoch(member.memberEpoch())
                .setHeartbeatIntervalMs(config.heartbeatIntervalMs());
        if (heartbeat.isFull() || !assignedBefore.equals(member.assignment().assigned())) {
            response.setAssignment(new ConsumerGroupHeartbeatResponseData.Assignment()
                    .setTopicPartitions(member.assignment().assigned().toHeartbeatTopics()));
        }
        return response;
    }

    /** A member leaves (epoch -1), or a static member leaves for a while (epoch -2). */
    ConsumerGroupHeartbeatResponseData leave(ConsumerGroup group, ConsumerHeartbeat heartbeat) {
        ConsumerGroupMember member;
        if (heartbeat.instanceId() == null) {
            member = group.member(heartbeat.memberId());
            if (member == null) {
                throw Errors.UNKNOWN_MEMBER_ID.exception("Member " + heartbeat.memberId() + " is not in group "
                        + group.groupId() + ".");
            }
        } else {
            member = group.staticMember(heartbeat.instanceId());
            requireStaticMember(group, member, heartbeat);
        }
        ConsumerGroupHeartbeatResponseData response = new ConsumerGroupHeartbeatResponseData()
                .setMemberId(member.memberId())
                .setMemberEpoch(heartbeat.memberEpoch());
        if (heartbeat.memberEpoch() == ConsumerHeartbeat.STATIC_LEAVE_EPOCH) {
            // Its partitions wait for it (until its session times out) instead of moving.
            LOG.info("Static member {} (instance {}) of consumer group {} left for a while", member.memberId(),
                    member.instanceId(), group.groupId());
            MemberAssignment current = member.assignment();
            group.updateAssignment(member, new MemberAssignment(ConsumerHeartbeat.STATIC_LEAVE_EPOCH,
                    current.memberEpoch(), MemberAssignment.State.STABLE, current.assigned(), PartitionSet.EMPTY));
            member.rebalanceTimer().cancel();
            return response;
        }
        LOG.info("Member {} left consumer group {}", member.memberId(), group.groupId());
        fence(group, member);
        return response;
    }

    /**
     * The member the heartbeat is about: a new one (added to the group), a static member's new
     * incarnation, a member that rejoins (its partitions released), or an existing one whose epoch
     * is valid.
     */
    private ConsumerGroupMember joinOrFind(ConsumerGroup group, ConsumerHeartbeat heartbeat, long nowMs) {
        boolean joining = heartbeat.memberEpoch() == 0;
        ConsumerGroupMember member;
        if (heartbeat.instanceId() == null) {
            member = group.member(heartbeat.memberId());
        } else {
            ConsumerGroupMember existing = group.staticMember(heartbeat.instanceId());
            if (!joining) {
                requireStaticMember(group, existing, heartbeat);
            } else if (existing != null && !existing.memberId().equals(heartbeat.memberId())) {
                if (existing.memberEpoch() != ConsumerHeartbeat.STATIC_LEAVE_EPOCH) {
                    throw Errors.UNRELEASED_INSTANCE_ID.exception("Static member " + heartbeat.memberId()
                            + " with instance id " + heartbeat.instanceId() + " cannot join the group because the "
                            + "instance id is owned by member " + existing.memberId() + ".");
                }
                ConsumerGroupMember replacement = existing.replacement(heartbeat.memberId());
                group.replaceStaticMember(existing, replacement);
                LOG.info("Static member with instance id {} rejoins consumer group {} as member {} (was {})",
                        heartbeat.instanceId(), group.groupId(), replacement.memberId(), existing.memberId());
                return replacement;
            }
            member = existing != null ? existing : group.member(heartbeat.memberId());
        }
        if (member == null) {
            if (!joining) {
                throw Errors.UNKNOWN_MEMBER_ID.exception("Member " + heartbeat.memberId() + " is not in group "
                        + group.groupId() + ".");
            }
            if (group.memberCount() >= config.maxSize()) {
                throw Errors.GROUP_MAX_SIZE_REACHED.exception("The consumer group has reached its maximum capacity of "
                        + config.maxSize() + " members.");
            }
            member = new ConsumerGroupMember(heartbeat.memberId());
            group.addMember(member, nowMs);
            LOG.info("Member {} joins consumer group {}", member.memberId(), group.groupId());
        } else if (joining) {
            // A member rejoins after it lost its partitions (it was fenced, or gave up): start over.
            group.updateAssignment(member, MemberAssignment.JOINING);
            member.rebalanceTimer().cancel();
        } else {
            requireValidEpoch(member, heartbeat);
        }
        return member;
    }

    private static void requireStaticMember(ConsumerGroup group, ConsumerGroupMember member, ConsumerHeartbeat heartbeat) {
        if (member == null) {
            throw Errors.UNKNOWN_MEMBER_ID.exception("Instance id " + heartbeat.instanceId() + " is unknown in group "
                    + group.groupId() + ".");
        }
        if (!member.memberId().equals(heartbeat.memberId())) {
            throw Errors.FENCED_INSTANCE_ID.exception("Static member " + heartbeat.memberId() + " with instance id "
                    + heartbeat.instanceId() + " was replaced by member " + member.memberId() + ".");
        }
    }

    /**
     * A member must send its current epoch, or its previous one with partitions it still has (the
     * response with the new epoch may have been lost).
     */
    private static void requireValidEpoch(ConsumerGroupMember member, ConsumerHeartbeat heartbeat) {
        int received = heartbeat.memberEpoch();
        MemberAssignment assignment = member.assignment();
        if (received > assignment.memberEpoch()) {
            throw Errors.FENCED_MEMBER_EPOCH.exception("The consumer group member has a greater member epoch ("
                    + received + ") than the one known by the group coordinator (" + assignment.memberEpoch()
                    + "). The member must abandon all its partitions and rejoin.");
        }
        if (received < assignment.memberEpoch() && (received != assignment.previousMemberEpoch()
                || heartbeat.owned() == null || !heartbeat.owned().isSubsetOf(assignment.assigned()))) {
            throw Errors.FENCED_MEMBER_EPOCH.exception("The consumer group member has a smaller member epoch ("
                    + received + ") than the one known by the group coordinator (" + assignment.memberEpoch()
                    + "). The member must abandon all its partitions and rejoin.");
        }
    }

    // ---- fencing and timers ----

    /** Removes a member (left, or failed): its partitions are free, the others rebalance. */
    void fence(ConsumerGroup group, ConsumerGroupMember member) {
        long nowMs = clock.getAsLong();
        group.removeMember(member.memberId(), nowMs);
        refreshSubscriptions(group, nowMs, true);
        group.bumpGroupEpoch();
        updateTargetAssignment(group);
        if (group.hasNoMembers()) {
            persist(group);
        }
    }

    /** Re-reads the subscribed topics now (a topic was created, changed or deleted). */
    void onTopicsChanged(ConsumerGroup group) {
        if (!group.hasNoMembers() && refreshSubscriptions(group, clock.getAsLong(), true)) {
            group.bumpGroupEpoch();
            LOG.info("Consumer group {} moves to epoch {} (subscribed topics changed)", group.groupId(),
                    group.groupEpoch());
            updateTargetAssignment(group);
        }
    }

    /** Stops the group's timers (the coordinator closes). */
    void unload(ConsumerGroup group) {
        group.members().forEach(ConsumerGroupMember::cancelTimers);
    }

    private void scheduleSessionTimeout(ConsumerGroup group, ConsumerGroupMember member) {
        long timeoutMs = config.sessionTimeoutMs();
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(timeoutMs);
        member.setSessionDeadlineNanos(deadline);
        TimerSlot slot = member.sessionTimer();
        // A heartbeat only moves the deadline: the armed timer looks at it when it fires.
        if (slot.isArmed() && slot.firesNanos() - deadline <= 0) {
            return;
        }
        armSessionTimer(group, member, timeoutMs);
    }

    private void armSessionTimer(ConsumerGroup group, ConsumerGroupMember member, long delayMs) {
        arm(group, member.sessionTimer(), delayMs, "session expiry of " + member.memberId(), g -> {
            if (g.member(member.memberId()) != member) {
                return;
            }
            long remainingNanos = member.sessionDeadlineNanos() - System.nanoTime();
            if (remainingNanos > 0) {
                armSessionTimer(g, member, TimeUnit.NANOSECONDS.toMillis(remainingNanos) + 1);
            } else {
                LOG.info("Member {} of consumer group {} has failed (no heartbeat within the session timeout of {} ms), "
                        + "removing it", member.memberId(), g.groupId(), config.sessionTimeoutMs());
                fence(g, member);
            }
        });
    }

    private void scheduleRebalanceTimeout(ConsumerGroup group, ConsumerGroupMember member) {
        int epoch = member.memberEpoch();
        int timeoutMs = member.rebalanceTimeoutMs();
        arm(group, member.rebalanceTimer(), timeoutMs, "rebalance timeout of " + member.memberId(), g -> {
            if (g.member(member.memberId()) == member && member.memberEpoch() == epoch
                    && member.assignment().state() == MemberAssignment.State.UNREVOKED_PARTITIONS) {
                LOG.info("Member {} of consumer group {} did not revoke its partitions at epoch {} within {} ms, "
                        + "removing it", member.memberId(), g.groupId(), epoch, timeoutMs);
                fence(g, member);
            }
        });
    }

    /** Arms a timer slot: {@code task} runs under the group's lock unless the slot was re-armed or cancelled. */
    private void arm(ConsumerGroup group, TimerSlot slot, long delayMs, String what, Consumer<ConsumerGroup> task) {
        long token = slot.arm();
        slot.set(timers.schedule(delayMs, what + " of consumer group " + group.groupId(),
                () -> registry.runIfLive(group, g -> {
                    if (slot.isCurrent(token)) {
                        slot.fired();
                        task.accept(g);
                    }
                })), System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(delayMs));
    }

    // ---- assignment ----

    /**
     * Resolves the members' subscriptions against the topics when {@code force} or when due.
     *
     * @return whether the subscribed topics (names, ids or partition counts) changed
     */
    private boolean refreshSubscriptions(ConsumerGroup group, long nowMs, boolean force) {
        if (!force && nowMs < group.nextMetadataRefreshMs()) {
            return false;
        }
        group.setNextMetadataRefreshMs(nowMs + METADATA_REFRESH_INTERVAL_MS);
        ConsumerSubscriptions.Resolution resolution = ConsumerSubscriptions.resolve(group.members(), catalog);
        boolean changed = !resolution.topics().equals(group.subscribedTopics());
        group.setSubscriptions(resolution.topics(), resolution.memberTopics());
        return changed;
    }

    /** Computes the target assignment of the group epoch, if it is not computed yet. */
    private void updateTargetAssignment(ConsumerGroup group) {
        if (group.groupEpoch() <= group.assignmentEpoch()) {
            return;
        }
        if (group.hasNoMembers()) {
            group.setTargetAssignment(group.groupEpoch(), Map.of());
            return;
        }
        String name = group.preferredAssignor(config.defaultAssignor());
        ServerAssignor assignor = assignors.getOrDefault(name, assignors.get(config.defaultAssignor()));
        Map<String, Set<Uuid>> subscriptions = new HashMap<>();
        for (ConsumerGroupMember member : group.members()) {
            subscriptions.put(member.memberId(), group.memberTopics().getOrDefault(member.memberId(), Set.of()));
        }
        Map<Uuid, Integer> partitionCounts = new HashMap<>();
        group.subscribedTopics().values().forEach(topic -> partitionCounts.put(topic.id(), topic.partitions()));
        Map<String, PartitionSet> target = assignor.assign(
                new ServerAssignor.Spec(subscriptions, partitionCounts, group.targetAssignment()));
        group.setTargetAssignment(group.groupEpoch(), target);
        LOG.info("Consumer group {} has a new target assignment at epoch {} by the {} assignor for {} members",
                group.groupId(), group.groupEpoch(), assignor.name(), group.memberCount());
    }

    private void reconcile(ConsumerGroup group, ConsumerGroupMember member, PartitionSet owned) {
        MemberAssignment current = member.assignment();
        MemberAssignment next = Reconciliation.reconcile(member.memberId(), current, group.assignmentEpoch(),
                group.target(member.memberId()), group::owner, owned);
        if (next == current) {
            return;
        }
        group.updateAssignment(member, next);
        if (next.state() == MemberAssignment.State.UNREVOKED_PARTITIONS) {
            scheduleRebalanceTimeout(group, member);
        } else {
            member.rebalanceTimer().cancel();
        }
        LOG.debug("Member {} of consumer group {}: epoch {} state {} assigned {} revoking {}", member.memberId(),
                group.groupId(), next.memberEpoch(), next.state(), next.assigned(), next.pendingRevocation());
    }

    /**
     * Stores the group's epoch and whether it is empty, when it gains its first member or loses its
     * last. A failure is logged: the group in memory stays right.
     */
    private void persist(ConsumerGroup group) {
        try {
            store.putConsumerGroup(group.groupId(), new GroupRecords.StoredConsumerGroup(group.groupEpoch(),
                    group.hasNoMembers(), group.stateTimestampMs()));
        } catch (StateException e) {
            LOG.warn("Could not store the metadata of consumer group {} (epoch {}): {}", group.groupId(),
                    group.groupEpoch(), e.getMessage());
        }
    }
}
