package io.memorystreamer.broker.internal.group;

import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import org.apache.kafka.common.GroupType;
import org.apache.kafka.common.Uuid;
import org.apache.kafka.common.protocol.Errors;

/**
 * The state of one consumer group of the KIP-848 protocol: members, the group epoch (bumped when
 * subscriptions or subscribed topics change), the target assignment and its epoch, and who owns
 * each partition now (a partition has one owner from the moment it is assigned until its owner
 * revoked it). Committed offsets are shared with the classic protocol (see {@link Group}).
 *
 * <p>Not thread-safe by itself: every access happens while holding {@link #lock()}.
 */
final class ConsumerGroup extends Group {

    /** A topic the members subscribe to, as it exists now. */
    record SubscribedTopic(Uuid id, String name, int partitions) {
    }

    /** The states of a consumer group, named as Kafka reports them. */
    enum State {
        EMPTY("Empty"),
        /**
         * The group epoch moved on and its target assignment is not computed yet. Only seen
         * inside a heartbeat here: this coordinator computes a target assignment at once.
         */
        ASSIGNING("Assigning"),
        /** Some members have not reached the target assignment yet. */
        RECONCILING("Reconciling"),
        STABLE("Stable"),
        DEAD("Dead");

        private final String displayName;

        State(String displayName) {
            this.displayName = displayName;
        }

        String displayName() {
            return displayName;
        }
    }

    /** Insertion order, for stable describe output. */
    private final Map<String, ConsumerGroupMember> members = new LinkedHashMap<>();
    private final Map<String, String> staticMembers = new HashMap<>();
    private final Map<Uuid, Map<Integer, String>> owners = new HashMap<>();
    private Map<String, PartitionSet> targetAssignment = new HashMap<>();
    private Map<String, SubscribedTopic> subscribedTopics = Map.of();
    private Map<String, Set<Uuid>> memberTopics = Map.of();
    private int groupEpoch;
    private int assignmentEpoch;
    private long nextMetadataRefreshMs;
    private long stateTimestampMs;
    private boolean dead;

    ConsumerGroup(String groupId, long nowMs) {
        super(groupId);
        this.stateTimestampMs = nowMs;
    }

    /** A group restored from the state store: empty, at its last epoch. */
    static ConsumerGroup restored(String groupId, int groupEpoch, long emptySinceMs) {
        ConsumerGroup group = new ConsumerGroup(groupId, emptySinceMs);
        group.groupEpoch = groupEpoch;
        group.assignmentEpoch = groupEpoch;
        return group;
    }

    @Override
    GroupType type() {
        return GroupType.CONSUMER;
    }

    @Override
    boolean isDead() {
        return dead;
    }

    @Override
    void markDead(long nowMs) {
        members.values().forEach(ConsumerGroupMember::cancelTimers);
        dead = true;
        stateTimestampMs = nowMs;
    }

    @Override
    boolean hasNoMembers() {
        return members.isEmpty();
    }

    @Override
    ConsumerGroup restarted(long nowMs) {
        ConsumerGroup fresh = restored(groupId(), groupEpoch, nowMs);
        fresh.offsets().putAll(offsets());
        return fresh;
    }

    /** Heartbeats are answered at once: nothing is ever parked. */
    @Override
    void answerParkedRequests(Errors error) {
    }

    @Override
    String stateName() {
        return state().displayName();
    }

    @Override
    long stateTimestampMs() {
        return stateTimestampMs;
    }

    @Override
    String protocolTypeOrEmpty() {
        return SubscribedTopics.CONSUMER_PROTOCOL_TYPE;
    }

    @Override
    boolean isSubscribedTo(String topic) {
        return subscribedTopics.containsKey(topic);
    }

    State state() {
        if (dead) {
            return State.DEAD;
        }
        if (members.isEmpty()) {
            return State.EMPTY;
        }
        if (groupEpoch > assignmentEpoch) {
            return State.ASSIGNING;
        }
        for (ConsumerGroupMember member : members.values()) {
            if (!member.assignment().isReconciledTo(assignmentEpoch)) {
                return State.RECONCILING;
            }
        }
        return State.STABLE;
    }

    // ---- members ----

    ConsumerGroupMember member(String memberId) {
        return members.get(memberId);
    }

    boolean hasMember(String memberId) {
        return members.containsKey(memberId);
    }

    Collection<ConsumerGroupMember> members() {
        return members.values();
    }

    int memberCount() {
        return members.size();
    }

    /** The static member with this instance id, or null. */
    ConsumerGroupMember staticMember(String instanceId) {
        String memberId = staticMembers.get(instanceId);
        return memberId == null ? null : members.get(memberId);
    }

    void addMember(ConsumerGroupMember member, long nowMs) {
        if (members.isEmpty()) {
            stateTimestampMs = nowMs;
        }
        members.put(member.memberId(), member);
        if (member.isStatic()) {
            staticMembers.put(member.instanceId(), member.memberId());
        }
    }

    /** Records that a member became static (it sent its instance id after joining). */
    void registerStatic(ConsumerGroupMember member) {
        if (member.isStatic()) {
            staticMembers.put(member.instanceId(), member.memberId());
        }
    }

    /** Removes a member: its timers stop, its partitions are free, it leaves the target assignment. */
    void removeMember(String memberId, long nowMs) {
        ConsumerGroupMember member = members.remove(memberId);
        if (member == null) {
            return;
        }
        member.cancelTimers();
        if (member.isStatic()) {
            staticMembers.remove(member.instanceId(), memberId);
        }
        release(memberId, member.assignment());
        targetAssignment.remove(memberId);
        if (members.isEmpty()) {
            stateTimestampMs = nowMs;
        }
    }

    /**
     * Puts a static member's new incarnation in the place of the old one: it inherits the old
     * one's target and owned partitions; the old one's timers stop.
     */
    void replaceStaticMember(ConsumerGroupMember old, ConsumerGroupMember replacement) {
        members.remove(old.memberId());
        old.cancelTimers();
        release(old.memberId(), old.assignment());
        PartitionSet target = targetAssignment.remove(old.memberId());
        if (target != null) {
            targetAssignment.put(replacement.memberId(), target);
        }
        members.put(replacement.memberId(), replacement);
        staticMembers.put(replacement.instanceId(), replacement.memberId());
        claim(replacement.memberId(), replacement.assignment());
    }

    /** Changes a member's assignment state, moving partition ownership with it. */
    void updateAssignment(ConsumerGroupMember member, MemberAssignment next) {
        release(member.memberId(), member.assignment());
        member.setAssignment(next);
        claim(member.memberId(), next);
    }

    /** The member that owns a partition now (assigned or pending revocation), or null. */
    String owner(Uuid topic, int partition) {
        Map<Integer, String> topicOwners = owners.get(topic);
        return topicOwners == null ? null : topicOwners.get(partition);
    }

    private void claim(String memberId, MemberAssignment assignment) {
        forEachPartition(assignment.assigned(), (topic, partition) ->
                owners.computeIfAbsent(topic, t -> new HashMap<>()).put(partition, memberId));
        forEachPartition(assignment.pendingRevocation(), (topic, partition) ->
                owners.computeIfAbsent(topic, t -> new HashMap<>()).put(partition, memberId));
    }

    private void release(String memberId, MemberAssignment assignment) {
        PartitionConsumer remove = (topic, partition) -> {
            Map<Integer, String> topicOwners = owners.get(topic);
            if (topicOwners != null && topicOwners.remove(partition, memberId) && topicOwners.isEmpty()) {
                owners.remove(topic);
            }
        };
        forEachPartition(assignment.assigned(), remove);
        forEachPartition(assignment.pendingRevocation(), remove);
    }

    @FunctionalInterface
    private interface PartitionConsumer {
        void accept(Uuid topic, int partition);
    }

    private static void forEachPartition(PartitionSet set, PartitionConsumer action) {
        set.byTopic().forEach((topic, partitions) -> partitions.forEach(p -> action.accept(topic, p)));
    }

    // ---- epochs and assignment ----

    int groupEpoch() {
        return groupEpoch;
    }

    void bumpGroupEpoch() {
        groupEpoch++;
    }

    int assignmentEpoch() {
        return assignmentEpoch;
    }

    Map<String, PartitionSet> targetAssignment() {
        return targetAssignment;
    }

    /** A member's partitions in the target assignment (none when it has no target yet). */
    PartitionSet target(String memberId) {
        return targetAssignment.getOrDefault(memberId, PartitionSet.EMPTY);
    }

    void setTargetAssignment(int epoch, Map<String, PartitionSet> target) {
        this.assignmentEpoch = epoch;
        this.targetAssignment = new HashMap<>(target);
    }

    /**
     * The assignor the group uses: the one most members ask for (ties: the name first in
     * alphabetical order), else {@code defaultAssignor}.
     */
    String preferredAssignor(String defaultAssignor) {
        Map<String, Integer> votes = new HashMap<>();
        for (ConsumerGroupMember member : members.values()) {
            if (member.serverAssignor() != null) {
                votes.merge(member.serverAssignor(), 1, Integer::sum);
            }
        }
        String best = null;
        for (Map.Entry<String, Integer> vote : votes.entrySet()) {
            if (best == null || vote.getValue() > votes.get(best)
                    || (vote.getValue().equals(votes.get(best)) && vote.getKey().compareTo(best) < 0)) {
                best = vote.getKey();
            }
        }
        return best != null ? best : defaultAssignor;
    }

    // ---- subscriptions ----

    /** The subscribed topics that exist, by name, as last resolved. */
    Map<String, SubscribedTopic> subscribedTopics() {
        return subscribedTopics;
    }

    /** Each member's subscribed topics that exist, as last resolved. */
    Map<String, Set<Uuid>> memberTopics() {
        return memberTopics;
    }

    void setSubscriptions(Map<String, SubscribedTopic> topics, Map<String, Set<Uuid>> perMember) {
        this.subscribedTopics = Map.copyOf(topics);
        this.memberTopics = Map.copyOf(perMember);
    }

    long nextMetadataRefreshMs() {
        return nextMetadataRefreshMs;
    }

    void setNextMetadataRefreshMs(long atMs) {
        this.nextMetadataRefreshMs = atMs;
    }
}
