package io.memorystreamer.broker.internal.group;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import org.apache.kafka.common.message.JoinGroupRequestData.JoinGroupRequestProtocol;
import org.apache.kafka.common.message.JoinGroupResponseData;
import org.apache.kafka.common.message.SyncGroupResponseData;

/**
 * One member of a classic group: its identity, the protocols it supports, its assignment and the
 * JoinGroup or SyncGroup it has parked. Guarded by the lock of its {@link ClassicGroup}.
 */
final class GroupMember {

    static final byte[] EMPTY_ASSIGNMENT = new byte[0];

    /** One protocol a member supports, with its metadata, in the member's order of preference. */
    record Protocol(String name, byte[] metadata) {
    }

    private final String memberId;
    private final String groupInstanceId;
    private final String clientId;
    private final String clientHost;
    private final String protocolType;
    private int rebalanceTimeoutMs;
    private int sessionTimeoutMs;
    private List<Protocol> protocols;
    private byte[] assignment;
    private CompletableFuture<JoinGroupResponseData> awaitingJoin;
    private CompletableFuture<SyncGroupResponseData> awaitingSync;
    private boolean isNew;
    /** When the member's session runs out unless it heartbeats, in {@link System#nanoTime()} terms. */
    private long heartbeatDeadlineNanos;
    /** The timer that looks at the deadline. */
    private final TimerSlot heartbeatTimer = new TimerSlot();

    GroupMember(String memberId, String groupInstanceId, String clientId, String clientHost,
            int rebalanceTimeoutMs, int sessionTimeoutMs, String protocolType, List<Protocol> protocols,
            byte[] assignment) {
        this.memberId = memberId;
        this.groupInstanceId = groupInstanceId;
        this.clientId = clientId;
        this.clientHost = clientHost;
        this.rebalanceTimeoutMs = rebalanceTimeoutMs;
        this.sessionTimeoutMs = sessionTimeoutMs;
        this.protocolType = protocolType;
        this.protocols = List.copyOf(protocols);
        this.assignment = assignment;
    }

    /**
     * The protocols of a JoinGroup request, in the order the member listed them. A name listed
     * twice counts once, with its first metadata: the group counts each member's support per name
     * when it selects a protocol.
     */
    static List<Protocol> protocolsOf(Iterable<JoinGroupRequestProtocol> requested) {
        List<Protocol> list = new ArrayList<>();
        Set<String> names = new HashSet<>();
        for (JoinGroupRequestProtocol protocol : requested) {
            if (names.add(protocol.name())) {
                list.add(new Protocol(protocol.name(), protocol.metadata()));
            }
        }
        return list;
    }

    String memberId() {
        return memberId;
    }

    /** The static membership id, or null for a dynamic member. */
    String groupInstanceId() {
        return groupInstanceId;
    }

    boolean isStatic() {
        return groupInstanceId != null;
    }

    String clientId() {
        return clientId;
    }

    String clientHost() {
        return clientHost;
    }

    String protocolType() {
        return protocolType;
    }

    int rebalanceTimeoutMs() {
        return rebalanceTimeoutMs;
    }

    int sessionTimeoutMs() {
        return sessionTimeoutMs;
    }

    List<Protocol> protocols() {
        return protocols;
    }

    void update(List<Protocol> newProtocols, int newRebalanceTimeoutMs, int newSessionTimeoutMs) {
        this.protocols = List.copyOf(newProtocols);
        this.rebalanceTimeoutMs = newRebalanceTimeoutMs;
        this.sessionTimeoutMs = newSessionTimeoutMs;
    }

    /** Whether a JoinGroup carries exactly this member's protocols and metadata, in the same order. */
    boolean matches(List<Protocol> other) {
        if (other.size() != protocols.size()) {
            return false;
        }
        for (int i = 0; i < other.size(); i++) {
            Protocol mine = protocols.get(i);
            Protocol theirs = other.get(i);
            if (!mine.name().equals(theirs.name()) || !Arrays.equals(mine.metadata(), theirs.metadata())) {
                return false;
            }
        }
        return true;
    }

    /** The metadata the member sent for a protocol, empty if it does not support it. */
    byte[] metadata(String protocolName) {
        for (Protocol protocol : protocols) {
            if (protocol.name().equals(protocolName)) {
                return protocol.metadata();
            }
        }
        return EMPTY_ASSIGNMENT;
    }

    /** The member's most preferred protocol among the candidates. */
    String vote(Set<String> candidates) {
        for (Protocol protocol : protocols) {
            if (candidates.contains(protocol.name())) {
                return protocol.name();
            }
        }
        throw new IllegalStateException("member " + memberId + " supports none of " + candidates);
    }

    byte[] assignment() {
        return assignment;
    }

    void setAssignment(byte[] assignment) {
        this.assignment = assignment;
    }

    boolean isAwaitingJoin() {
        return awaitingJoin != null;
    }

    CompletableFuture<JoinGroupResponseData> awaitingJoin() {
        return awaitingJoin;
    }

    void setAwaitingJoin(CompletableFuture<JoinGroupResponseData> future) {
        this.awaitingJoin = future;
    }

    boolean isAwaitingSync() {
        return awaitingSync != null;
    }

    CompletableFuture<SyncGroupResponseData> awaitingSync() {
        return awaitingSync;
    }

    void setAwaitingSync(CompletableFuture<SyncGroupResponseData> future) {
        this.awaitingSync = future;
    }

    boolean isNew() {
        return isNew;
    }

    void setNew(boolean isNew) {
        this.isNew = isNew;
    }

    /**
     * Whether a missed heartbeat deadline is excused: a member parked in JoinGroup or SyncGroup
     * cannot heartbeat, unless it is new (a new member's parked join times out like a session).
     */
    boolean hasSatisfiedHeartbeat() {
        return !isNew && (isAwaitingJoin() || isAwaitingSync());
    }

    long heartbeatDeadlineNanos() {
        return heartbeatDeadlineNanos;
    }

    void setHeartbeatDeadlineNanos(long deadline) {
        this.heartbeatDeadlineNanos = deadline;
    }

    TimerSlot heartbeatTimer() {
        return heartbeatTimer;
    }

    @Override
    public String toString() {
        return "GroupMember(memberId=" + memberId + ", groupInstanceId=" + groupInstanceId + ", clientId=" + clientId
                + ", clientHost=" + clientHost + ")";
    }
}
