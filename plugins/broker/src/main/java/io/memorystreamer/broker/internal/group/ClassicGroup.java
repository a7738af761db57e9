package io.memorystreamer.broker.internal.group;

import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ScheduledFuture;
import org.apache.kafka.common.GroupType;
import org.apache.kafka.common.message.JoinGroupResponseData;
import org.apache.kafka.common.message.SyncGroupResponseData;
import org.apache.kafka.common.protocol.Errors;

/**
 * The state of one classic consumer group: members, generation, selected protocol, the
 * rebalance bookkeeping and the group's committed offsets.
 *
 * <p>Not thread-safe by itself: every access happens while holding {@link #lock()} (see
 * {@link GroupRegistry}). Futures of parked requests are never completed under the lock: they are
 * queued with {@link #defer} and run by the registry after it unlocked.
 */
final class ClassicGroup extends Group {

    private GroupState state = GroupState.EMPTY;
    private GroupState previousState = GroupState.DEAD;
    private long stateTimestampMs;
    private String protocolType;
    private String protocolName;
    private int generationId;
    private String leaderId;
    /** Insertion order, so a new leader is the longest-standing member. */
    private final Map<String, GroupMember> members = new LinkedHashMap<>();
    private final Map<String, String> staticMembers = new HashMap<>();
    /** Members told MEMBER_ID_REQUIRED that have not joined yet, with their expiry timers. */
    private final Map<String, ScheduledFuture<?>> pendingJoinMembers = new HashMap<>();
    private final Set<String> pendingSyncMembers = new HashSet<>();
    private final Map<String, Integer> protocolSupport = new HashMap<>();
    private int awaitingJoinCount;
    private boolean newMemberAdded;
    /** The topics the members subscribe to, or null when unknown (not the consumer protocol). */
    private Set<String> subscribedTopics;
    private final TimerSlot joinTimer = new TimerSlot();
    private final TimerSlot syncTimer = new TimerSlot();

    ClassicGroup(String groupId, long nowMs) {
        super(groupId);
        this.stateTimestampMs = nowMs;
    }

    /** A group restored from the state store: empty, with its last generation and protocol type. */
    static ClassicGroup restored(String groupId, String protocolType, int generationId, long emptySinceMs) {
        ClassicGroup group = new ClassicGroup(groupId, emptySinceMs);
        group.protocolType = protocolType;
        group.generationId = generationId;
        if (protocolType != null && protocolType.equals(SubscribedTopics.CONSUMER_PROTOCOL_TYPE)) {
            group.subscribedTopics = Set.of();
        }
        return group;
    }

    @Override
    GroupType type() {
        return GroupType.CLASSIC;
    }

    @Override
    boolean isDead() {
        return state == GroupState.DEAD;
    }

    @Override
    boolean hasNoMembers() {
        return state == GroupState.EMPTY && pendingJoinMembers.isEmpty();
    }

    @Override
    String stateName() {
        return state.displayName();
    }

    @Override
    String protocolTypeOrEmpty() {
        return protocolType == null ? "" : protocolType;
    }

    // ---- state ----

    GroupState state() {
        return state;
    }

    boolean is(GroupState candidate) {
        return state == candidate;
    }

    GroupState previousState() {
        return previousState;
    }

    @Override
    long stateTimestampMs() {
        return stateTimestampMs;
    }

    void transitionTo(GroupState next, long nowMs) {
        if (!next.validPreviousStates().contains(state)) {
            throw new IllegalStateException("group " + groupId() + " cannot go from " + state + " to " + next);
        }
        previousState = state;
        state = next;
        stateTimestampMs = nowMs;
    }

    boolean canRebalance() {
        return GroupState.PREPARING_REBALANCE.validPreviousStates().contains(state);
    }

    String protocolType() {
        return protocolType;
    }

    String protocolName() {
        return protocolName;
    }

    int generationId() {
        return generationId;
    }

    boolean usesConsumerProtocol() {
        return SubscribedTopics.CONSUMER_PROTOCOL_TYPE.equals(protocolType);
    }

    boolean newMemberAdded() {
        return newMemberAdded;
    }

    void setNewMemberAdded(boolean value) {
        this.newMemberAdded = value;
    }

    // ---- members ----

    boolean hasMember(String memberId) {
        return members.containsKey(memberId);
    }

    GroupMember member(String memberId) {
        return members.get(memberId);
    }

    Collection<GroupMember> members() {
        return members.values();
    }

    int memberCount() {
        return members.size();
    }

    boolean isLeader(String memberId) {
        return memberId != null && memberId.equals(leaderId);
    }

    String leaderId() {
        return leaderId;
    }

    String staticMemberId(String groupInstanceId) {
        return staticMembers.get(groupInstanceId);
    }

    boolean hasStaticMember(String groupInstanceId) {
        return staticMembers.containsKey(groupInstanceId);
    }

    int staticMemberCount() {
        return staticMembers.size();
    }

    static String newMemberId(String clientId, String groupInstanceId) {
        return (groupInstanceId != null ? groupInstanceId : clientId) + "-" + UUID.randomUUID();
    }

    /** Adds a member, parking its JoinGroup (may be null). The first member fixes the protocol type. */
    void add(GroupMember member, CompletableFuture<JoinGroupResponseData> joinFuture) {
        if (member.isStatic()) {
            if (staticMembers.containsKey(member.groupInstanceId())) {
                throw new IllegalStateException("static member " + member.groupInstanceId() + " is already in " + groupId());
            }
            staticMembers.put(member.groupInstanceId(), member.memberId());
        }
        if (members.isEmpty()) {
            protocolType = member.protocolType();
        }
        if (leaderId == null) {
            leaderId = member.memberId();
        }
        members.put(member.memberId(), member);
        countProtocols(member, 1);
        member.setAwaitingJoin(joinFuture);
        if (joinFuture != null) {
            awaitingJoinCount++;
        }
        removePendingJoinMember(member.memberId());
    }

    /** Removes a member, answering any request it still has parked, and elects a new leader if needed. */
    void remove(String memberId) {
        GroupMember removed = members.get(memberId);
        if (removed != null) {
            // Normally answered by the caller already; never leave a request parked forever.
            completeJoin(removed, new JoinGroupResponseData()
                    .setMemberId("")
                    .setErrorCode(Errors.UNKNOWN_MEMBER_ID.code()));
            completeSync(removed, new SyncGroupResponseData()
                    .setAssignment(GroupMember.EMPTY_ASSIGNMENT)
                    .setErrorCode(Errors.UNKNOWN_MEMBER_ID.code()));
            members.remove(memberId);
            countProtocols(removed, -1);
            if (removed.isStatic()) {
                staticMembers.remove(removed.groupInstanceId());
            }
            removed.heartbeatTimer().cancel();
        }
        if (memberId.equals(leaderId)) {
            leaderId = members.isEmpty() ? null : members.keySet().iterator().next();
        }
        removePendingJoinMember(memberId);
        pendingSyncMembers.remove(memberId);
    }

    /** Changes a member's protocols and timeouts and parks (or un-parks, with null) its JoinGroup. */
    void updateMember(GroupMember member, List<GroupMember.Protocol> protocols, int rebalanceTimeoutMs,
            int sessionTimeoutMs, CompletableFuture<JoinGroupResponseData> joinFuture) {
        countProtocols(member, -1);
        member.update(protocols, rebalanceTimeoutMs, sessionTimeoutMs);
        countProtocols(member, 1);
        if (member.isAwaitingJoin()) {
            // A client only retries JoinGroup after giving up on the previous one; answer it anyway
            // so no request stays parked forever.
            CompletableFuture<JoinGroupResponseData> previous = member.awaitingJoin();
            defer(() -> previous.complete(new JoinGroupResponseData()
                    .setMemberId(member.memberId())
                    .setErrorCode(Errors.REBALANCE_IN_PROGRESS.code())));
            awaitingJoinCount--;
        }
        member.setAwaitingJoin(joinFuture);
        if (joinFuture != null) {
            awaitingJoinCount++;
        }
    }

    /**
     * Gives a static member's place to a new member id: the old id's parked requests are fenced,
     * the new member keeps the old one's protocols, timeouts and assignment.
     */
    GroupMember replaceStaticMember(String groupInstanceId, String oldMemberId, String newMemberId) {
        GroupMember old = members.remove(oldMemberId);
        if (old == null) {
            throw new IllegalStateException("no member " + oldMemberId + " to replace in " + groupId());
        }
        completeJoin(old, new JoinGroupResponseData()
                .setMemberId(oldMemberId)
                .setLeader("")
                .setProtocolName(null)
                .setProtocolType(null)
                .setErrorCode(Errors.FENCED_INSTANCE_ID.code()));
        completeSync(old, new SyncGroupResponseData()
                .setAssignment(GroupMember.EMPTY_ASSIGNMENT)
                .setErrorCode(Errors.FENCED_INSTANCE_ID.code()));
        old.heartbeatTimer().cancel();
        GroupMember replacement = new GroupMember(newMemberId, groupInstanceId, old.clientId(), old.clientHost(),
                old.rebalanceTimeoutMs(), old.sessionTimeoutMs(), old.protocolType(), old.protocols(), old.assignment());
        members.put(newMemberId, replacement);
        if (oldMemberId.equals(leaderId)) {
            leaderId = newMemberId;
        }
        staticMembers.put(groupInstanceId, newMemberId);
        if (pendingSyncMembers.remove(oldMemberId)) {
            pendingSyncMembers.add(newMemberId);
        }
        return replacement;
    }

    /**
     * Checks a request's member id and group instance id.
     *
     * @return NONE, UNKNOWN_MEMBER_ID or FENCED_INSTANCE_ID
     */
    Errors validateMember(String memberId, String groupInstanceId) {
        if (groupInstanceId != null) {
            String current = staticMembers.get(groupInstanceId);
            if (current == null) {
                return Errors.UNKNOWN_MEMBER_ID;
            }
            if (!current.equals(memberId)) {
                return Errors.FENCED_INSTANCE_ID;
            }
        }
        return members.containsKey(memberId) ? Errors.NONE : Errors.UNKNOWN_MEMBER_ID;
    }

    // ---- pending members ----

    boolean isPendingJoinMember(String memberId) {
        return pendingJoinMembers.containsKey(memberId);
    }

    void addPendingJoinMember(String memberId, ScheduledFuture<?> expiry) {
        pendingJoinMembers.put(memberId, expiry);
    }

    void removePendingJoinMember(String memberId) {
        ScheduledFuture<?> expiry = pendingJoinMembers.remove(memberId);
        if (expiry != null) {
            expiry.cancel(false);
        }
    }

    int pendingJoinMemberCount() {
        return pendingJoinMembers.size();
    }

    void addPendingSyncMember(String memberId) {
        pendingSyncMembers.add(memberId);
    }

    void removePendingSyncMember(String memberId) {
        pendingSyncMembers.remove(memberId);
    }

    boolean hasReceivedSyncFromAllMembers() {
        return pendingSyncMembers.isEmpty();
    }

    Set<String> pendingSyncMembers() {
        return Set.copyOf(pendingSyncMembers);
    }

    void clearPendingSyncMembers() {
        pendingSyncMembers.clear();
    }

    // ---- join phase ----

    int awaitingJoinCount() {
        return awaitingJoinCount;
    }

    boolean hasAllMembersJoined() {
        return members.size() == awaitingJoinCount && pendingJoinMembers.isEmpty();
    }

    List<GroupMember> notYetRejoinedMembers() {
        List<GroupMember> missing = new ArrayList<>();
        for (GroupMember member : members.values()) {
            if (!member.isAwaitingJoin()) {
                missing.add(member);
            }
        }
        return missing;
    }

    /** The longest rebalance timeout of the members: how long a rebalance may take. */
    int rebalanceTimeoutMs() {
        int max = 0;
        for (GroupMember member : members.values()) {
            max = Math.max(max, member.rebalanceTimeoutMs());
        }
        return max;
    }

    /**
     * Keeps the leader if it rejoined, else picks a member that did.
     *
     * @return whether the group has a leader that rejoined
     */
    boolean electJoinedLeader() {
        if (leaderId == null) {
            return false;
        }
        if (members.get(leaderId).isAwaitingJoin()) {
            return true;
        }
        for (GroupMember member : members.values()) {
            if (member.isAwaitingJoin()) {
                leaderId = member.memberId();
                return true;
            }
        }
        return false;
    }

    /**
     * Whether a joining member could be part of this group: it names a protocol type and
     * protocols, and (unless the group is empty) the group's type and a protocol every member supports.
     */
    boolean supportsProtocols(String memberProtocolType, List<GroupMember.Protocol> memberProtocols) {
        if (state == GroupState.EMPTY) {
            return memberProtocolType != null && !memberProtocolType.isEmpty() && !memberProtocols.isEmpty();
        }
        if (protocolType == null || !protocolType.equals(memberProtocolType)) {
            return false;
        }
        for (GroupMember.Protocol protocol : memberProtocols) {
            if (protocolSupport.getOrDefault(protocol.name(), 0) == members.size()) {
                return true;
            }
        }
        return false;
    }

    /** The protocol every member supports that most members prefer. */
    String selectProtocol() {
        if (members.isEmpty()) {
            throw new IllegalStateException("cannot select a protocol for empty group " + groupId());
        }
        Set<String> candidates = new HashSet<>();
        protocolSupport.forEach((name, count) -> {
            if (count == members.size()) {
                candidates.add(name);
            }
        });
        Map<String, Integer> votes = new LinkedHashMap<>();
        for (GroupMember member : members.values()) {
            votes.merge(member.vote(candidates), 1, Integer::sum);
        }
        String best = null;
        int bestVotes = -1;
        for (Map.Entry<String, Integer> entry : votes.entrySet()) {
            if (entry.getValue() > bestVotes) {
                best = entry.getKey();
                bestVotes = entry.getValue();
            }
        }
        return best;
    }

    /** Starts the next generation: CompletingRebalance with a selected protocol, or Empty. */
    void initNextGeneration(long nowMs) {
        generationId++;
        if (!members.isEmpty()) {
            protocolName = selectProtocol();
            subscribedTopics = SubscribedTopics.of(this);
            transitionTo(GroupState.COMPLETING_REBALANCE, nowMs);
        } else {
            protocolName = null;
            subscribedTopics = usesConsumerProtocol() ? Set.of() : null;
            transitionTo(GroupState.EMPTY, nowMs);
        }
        pendingSyncMembers.clear();
    }

    private void countProtocols(GroupMember member, int delta) {
        for (GroupMember.Protocol protocol : member.protocols()) {
            protocolSupport.merge(protocol.name(), delta, Integer::sum);
        }
    }

    // ---- parked requests ----

    /** Answers a member's parked JoinGroup, if any (after the lock is released). */
    boolean completeJoin(GroupMember member, JoinGroupResponseData response) {
        CompletableFuture<JoinGroupResponseData> future = member.awaitingJoin();
        if (future == null) {
            return false;
        }
        member.setAwaitingJoin(null);
        awaitingJoinCount--;
        defer(() -> future.complete(response));
        return true;
    }

    /** Answers a member's parked SyncGroup, if any (after the lock is released). */
    boolean completeSync(GroupMember member, SyncGroupResponseData response) {
        CompletableFuture<SyncGroupResponseData> future = member.awaitingSync();
        if (future == null) {
            return false;
        }
        member.setAwaitingSync(null);
        defer(() -> future.complete(response));
        return true;
    }

    /** The member list the leader gets in its JoinGroup response. */
    List<JoinGroupResponseData.JoinGroupResponseMember> joinResponseMembers() {
        List<JoinGroupResponseData.JoinGroupResponseMember> list = new ArrayList<>(members.size());
        for (GroupMember member : members.values()) {
            list.add(new JoinGroupResponseData.JoinGroupResponseMember()
                    .setMemberId(member.memberId())
                    .setGroupInstanceId(member.groupInstanceId())
                    .setMetadata(member.metadata(protocolName)));
        }
        return list;
    }

    @Override
    void answerParkedRequests(Errors error) {
        for (GroupMember member : members.values()) {
            completeJoin(member, new JoinGroupResponseData()
                    .setMemberId(member.memberId())
                    .setErrorCode(error.code()));
            completeSync(member, new SyncGroupResponseData()
                    .setAssignment(GroupMember.EMPTY_ASSIGNMENT)
                    .setErrorCode(error.code()));
        }
    }

    @Override
    ClassicGroup restarted(long nowMs) {
        ClassicGroup fresh = restored(groupId(), protocolType, generationId, nowMs);
        fresh.offsets().putAll(offsets());
        return fresh;
    }

    // ---- timers ----

    /** The timer that ends the join phase (initial delay or rebalance timeout). */
    TimerSlot joinTimer() {
        return joinTimer;
    }

    /** The timer that removes members that never sent SyncGroup. */
    TimerSlot syncTimer() {
        return syncTimer;
    }

    @Override
    void markDead(long nowMs) {
        joinTimer.cancel();
        syncTimer.cancel();
        for (GroupMember member : members.values()) {
            member.heartbeatTimer().cancel();
        }
        for (ScheduledFuture<?> expiry : pendingJoinMembers.values()) {
            if (expiry != null) {
                expiry.cancel(false);
            }
        }
        transitionTo(GroupState.DEAD, nowMs);
    }

    // ---- subscriptions and offsets ----

    /** Whether a topic's offsets are in use by the group's members (as Kafka decides it). */
    @Override
    boolean isSubscribedTo(String topic) {
        return subscribedTopics != null ? subscribedTopics.contains(topic) : usesConsumerProtocol();
    }

    Set<String> subscribedTopics() {
        return subscribedTopics;
    }
}
