package io.memorystreamer.broker.internal.group;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.locks.ReentrantLock;
import org.apache.kafka.common.GroupType;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.protocol.Errors;

/**
 * What every group of this coordinator has, whatever its protocol: an id shared by one namespace
 * (a group id names either a classic group or a consumer group, never both), a lock, work deferred
 * until the lock is released, and the committed offsets.
 *
 * <p>Not thread-safe by itself: every access happens while holding {@link #lock()} (see
 * {@link GroupRegistry}).
 */
abstract sealed class Group permits ClassicGroup, ConsumerGroup {

    private final String groupId;
    private final ReentrantLock lock = new ReentrantLock();
    private final List<Runnable> deferred = new ArrayList<>();
    private final Map<TopicPartition, CommittedOffset> offsets = new HashMap<>();

    Group(String groupId) {
        this.groupId = groupId;
    }

    final String groupId() {
        return groupId;
    }

    final ReentrantLock lock() {
        return lock;
    }

    /** Queues work (completing a parked request) to run once the lock is released. */
    final void defer(Runnable action) {
        deferred.add(action);
    }

    /** Takes the queued work. */
    final List<Runnable> drainDeferred() {
        if (deferred.isEmpty()) {
            return List.of();
        }
        List<Runnable> drained = List.copyOf(deferred);
        deferred.clear();
        return drained;
    }

    /** The committed offsets of the group. */
    final Map<TopicPartition, CommittedOffset> offsets() {
        return offsets;
    }

    /** Classic or consumer (KIP-848). */
    abstract GroupType type();

    /** Removed: a request that still holds the group must look it up again. */
    abstract boolean isDead();

    /** Marks the group removed and stops its timers; parked requests must have been answered. */
    abstract void markDead(long nowMs);

    /**
     * Without members and without members about to join: the group may be deleted, or taken over
     * by the other protocol.
     */
    abstract boolean hasNoMembers();

    /** The state as Kafka names it in ListGroups and DescribeGroups ("Empty", "Stable", ...). */
    abstract String stateName();

    /** When the group entered its current state (for an empty group: since when it is empty). */
    abstract long stateTimestampMs();

    /** The protocol type ListGroups and DescribeGroups report, or "" when there is none. */
    abstract String protocolTypeOrEmpty();

    /** Whether the offsets of a topic are in use by the group's members (OffsetDelete, retention). */
    abstract boolean isSubscribedTo(String topic);

    /**
     * The group as a broker restart would bring it back: empty, at its current generation or
     * epoch, with its committed offsets. Replaces a group whose state an internal failure left in
     * doubt; its members rejoin.
     */
    abstract Group restarted(long nowMs);

    /** Answers every request the group holds parked with {@code error} (after the lock is released). */
    abstract void answerParkedRequests(Errors error);
}
