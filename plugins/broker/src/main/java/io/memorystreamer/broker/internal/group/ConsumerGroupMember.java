package io.memorystreamer.broker.internal.group;

import java.util.List;
import java.util.Objects;

/**
 * One member of a consumer group (KIP-848): its identity, its subscription, where it stands in its
 * reconciliation, and its session and rebalance timers. Guarded by the group's lock.
 */
final class ConsumerGroupMember {

    private final String memberId;
    private String instanceId;
    private String rackId;
    private String clientId = "";
    private String clientHost = "";
    private int rebalanceTimeoutMs = -1;
    /** Sorted, so that the same subscription sent in another order is no change. */
    private List<String> subscribedTopicNames = List.of();
    private String subscribedTopicRegex;
    private String serverAssignor;
    private MemberAssignment assignment = MemberAssignment.JOINING;
    private final TimerSlot sessionTimer = new TimerSlot();
    private final TimerSlot rebalanceTimer = new TimerSlot();
    private long sessionDeadlineNanos;

    ConsumerGroupMember(String memberId) {
        this.memberId = Objects.requireNonNull(memberId, "memberId");
    }

    /**
     * The new incarnation of a static member that rejoins under a new member id: it keeps the
     * subscription and the partitions, at epoch 0.
     */
    ConsumerGroupMember replacement(String newMemberId) {
        ConsumerGroupMember next = new ConsumerGroupMember(newMemberId);
        next.instanceId = instanceId;
        next.rackId = rackId;
        next.clientId = clientId;
        next.clientHost = clientHost;
        next.rebalanceTimeoutMs = rebalanceTimeoutMs;
        next.subscribedTopicNames = subscribedTopicNames;
        next.subscribedTopicRegex = subscribedTopicRegex;
        next.serverAssignor = serverAssignor;
        next.assignment = new MemberAssignment(0, 0, MemberAssignment.State.STABLE, assignment.assigned(),
                PartitionSet.EMPTY);
        return next;
    }

    /**
     * Applies what a heartbeat sent (null fields did not change).
     *
     * @return whether the subscription (topic names, regex or assignor) changed
     */
    boolean update(ConsumerHeartbeat heartbeat) {
        if (heartbeat.instanceId() != null) {
            instanceId = heartbeat.instanceId();
        }
        if (heartbeat.rackId() != null) {
            rackId = heartbeat.rackId();
        }
        if (heartbeat.rebalanceTimeoutMs() != -1) {
            rebalanceTimeoutMs = heartbeat.rebalanceTimeoutMs();
        }
        clientId = heartbeat.clientId();
        clientHost = heartbeat.clientHost();
        boolean changed = false;
        if (heartbeat.subscribedTopicNames() != null) {
            List<String> sorted = heartbeat.subscribedTopicNames().stream().distinct().sorted().toList();
            changed = !sorted.equals(subscribedTopicNames);
            subscribedTopicNames = sorted;
        }
        if (heartbeat.subscribedTopicRegex() != null) {
            // An empty regex clears the regex subscription.
            String regex = heartbeat.subscribedTopicRegex().isEmpty() ? null : heartbeat.subscribedTopicRegex();
            changed |= !Objects.equals(regex, subscribedTopicRegex);
            subscribedTopicRegex = regex;
        }
        if (heartbeat.serverAssignor() != null) {
            changed |= !heartbeat.serverAssignor().equals(serverAssignor);
            serverAssignor = heartbeat.serverAssignor();
        }
        return changed;
    }

    String memberId() {
        return memberId;
    }

    String instanceId() {
        return instanceId;
    }

    boolean isStatic() {
        return instanceId != null;
    }

    String rackId() {
        return rackId;
    }

    String clientId() {
        return clientId;
    }

    String clientHost() {
        return clientHost;
    }

    int rebalanceTimeoutMs() {
        return rebalanceTimeoutMs;
    }

    List<String> subscribedTopicNames() {
        return subscribedTopicNames;
    }

    /** The regex subscription, or null. */
    String subscribedTopicRegex() {
        return subscribedTopicRegex;
    }

    /** The assignor the member asked for, or null. */
    String serverAssignor() {
        return serverAssignor;
    }

    MemberAssignment assignment() {
        return assignment;
    }

    /** Only {@link ConsumerGroup#updateAssignment} calls this: it keeps partition owners in step. */
    void setAssignment(MemberAssignment assignment) {
        this.assignment = assignment;
    }

    int memberEpoch() {
        return assignment.memberEpoch();
    }

    TimerSlot sessionTimer() {
        return sessionTimer;
    }

    TimerSlot rebalanceTimer() {
        return rebalanceTimer;
    }

    long sessionDeadlineNanos() {
        return sessionDeadlineNanos;
    }

    void setSessionDeadlineNanos(long deadline) {
        this.sessionDeadlineNanos = deadline;
    }

    void cancelTimers() {
        sessionTimer.cancel();
        rebalanceTimer.cancel();
    }
}
