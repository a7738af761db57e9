package io.memorystreamer.broker.internal.group;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.apache.kafka.common.Uuid;
import org.apache.kafka.common.message.ConsumerGroupHeartbeatRequestData;
import org.apache.kafka.common.message.ConsumerGroupHeartbeatResponseData;
import org.apache.kafka.common.protocol.Errors;

/**
 * A member of a consumer group (KIP-848) that behaves as the Kafka consumer does: it joins at epoch
 * 0 with its own member id, takes the assignment of each response at once (revoking what is gone),
 * and reports what it owns in the next heartbeat after its ownership changed.
 */
final class ConsumerMember {

    static final int REBALANCE_TIMEOUT_MS = 30_000;

    private final GroupHarness harness;
    private final String groupId;
    private final String memberId = Uuid.randomUuid().toString();
    private String instanceId;
    private String assignor;
    private int epoch;
    private PartitionSet owned = PartitionSet.EMPTY;
    private boolean ownedChanged;
    private ConsumerGroupHeartbeatResponseData last;

    ConsumerMember(GroupHarness harness, String groupId) {
        this.harness = harness;
        this.groupId = groupId;
    }

    ConsumerMember withInstanceId(String value) {
        this.instanceId = value;
        return this;
    }

    ConsumerMember withAssignor(String value) {
        this.assignor = value;
        return this;
    }

    /** Joins subscribed to topic names (after dropping any partitions, as a rejoining client does). */
    ConsumerGroupHeartbeatResponseData join(String... topics) {
        forgetAssignment();
        return send(joinRequest().setSubscribedTopicNames(List.of(topics)));
    }

    /** Joins subscribed to a regex. */
    ConsumerGroupHeartbeatResponseData joinRegex(String regex) {
        forgetAssignment();
        return send(joinRequest().setSubscribedTopicNames(List.of()).setSubscribedTopicRegex(regex));
    }

    private void forgetAssignment() {
        epoch = 0;
        owned = PartitionSet.EMPTY;
        ownedChanged = false;
    }

    /** A full join request of this member, to send as is or to alter. */
    ConsumerGroupHeartbeatRequestData joinRequest() {
        return new ConsumerGroupHeartbeatRequestData()
                .setGroupId(groupId)
                .setMemberId(memberId)
                .setMemberEpoch(0)
                .setInstanceId(instanceId)
                .setRebalanceTimeoutMs(REBALANCE_TIMEOUT_MS)
                .setServerAssignor(assignor)
                .setTopicPartitions(List.of());
    }

    /** A regular heartbeat: owned partitions only when they changed since the last one sent. */
    ConsumerGroupHeartbeatResponseData heartbeat() {
        ConsumerGroupHeartbeatRequestData request = new ConsumerGroupHeartbeatRequestData()
                .setGroupId(groupId)
                .setMemberId(memberId)
                .setMemberEpoch(epoch)
                .setInstanceId(instanceId);
        if (ownedChanged) {
            request.setTopicPartitions(topicPartitions(owned));
            ownedChanged = false;
        }
        return send(request);
    }

    /** Leaves the group (epoch -1, or -2 for a static member that will be back). */
    ConsumerGroupHeartbeatResponseData leave(boolean temporarily) {
        return harness.consumerHeartbeat(new ConsumerGroupHeartbeatRequestData()
                .setGroupId(groupId)
                .setMemberId(memberId)
                .setInstanceId(instanceId)
                .setMemberEpoch(temporarily ? -2 : -1));
    }

    /** Sends a request as is and takes its assignment, as the client would. */
    ConsumerGroupHeartbeatResponseData send(ConsumerGroupHeartbeatRequestData request) {
        last = harness.consumerHeartbeat(request);
        if (last.errorCode() == Errors.NONE.code()) {
            epoch = last.memberEpoch();
            if (last.assignment() != null) {
                PartitionSet assigned = fromResponse(last.assignment().topicPartitions());
                ownedChanged |= !assigned.equals(owned);
                owned = assigned;
            }
        }
        return last;
    }

    String memberId() {
        return memberId;
    }

    int epoch() {
        return epoch;
    }

    PartitionSet owned() {
        return owned;
    }

    /** The partitions of one topic this member owns. */
    Set<Integer> owned(Uuid topic) {
        return new TreeSet<>(owned.partitions(topic));
    }

    ConsumerGroupHeartbeatResponseData last() {
        return last;
    }

    Errors lastError() {
        return Errors.forCode(last.errorCode());
    }

    static List<ConsumerGroupHeartbeatRequestData.TopicPartitions> topicPartitions(PartitionSet partitions) {
        List<ConsumerGroupHeartbeatRequestData.TopicPartitions> topics = new ArrayList<>();
        partitions.byTopic().forEach((topic, set) -> topics.add(new ConsumerGroupHeartbeatRequestData.TopicPartitions()
                .setTopicId(topic).setPartitions(new ArrayList<>(set))));
        return topics;
    }

    static PartitionSet fromResponse(List<ConsumerGroupHeartbeatResponseData.TopicPartitions> topics) {
        PartitionSet.Builder builder = new PartitionSet.Builder();
        for (ConsumerGroupHeartbeatResponseData.TopicPartitions topic : topics) {
            topic.partitions().forEach(p -> builder.add(topic.topicId(), p));
        }
        return builder.build();
    }

    /** Heartbeats every member a few rounds, as their heartbeat intervals would, until nothing changes. */
    static void settle(ConsumerMember... members) {
        for (int round = 0; round < 10; round++) {
            boolean changed = false;
            for (ConsumerMember member : members) {
                PartitionSet before = member.owned;
                int epochBefore = member.epoch;
                member.heartbeat();
                changed |= !before.equals(member.owned) || epochBefore != member.epoch || member.ownedChanged;
            }
            if (!changed) {
                return;
            }
        }
        throw new AssertionError("members did not settle: " + Map.of("owned", List.of(members).stream()
                .map(ConsumerMember::owned).toList()));
    }
}
