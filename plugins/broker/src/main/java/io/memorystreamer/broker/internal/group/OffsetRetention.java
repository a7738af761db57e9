package io.memorystreamer.broker.internal.group;

import io.memorystreamer.spi.state.StateException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.ToLongFunction;
import org.apache.kafka.common.TopicPartition;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Expires committed offsets as Kafka does ({@code offsets.retention.minutes}): offsets of an empty
 * group expire once the group has been empty for the retention period; offsets of a simple group,
 * or of topics a stable classic consumer group or a consumer group (KIP-848) with members no
 * longer subscribes to, once they were last committed that long ago; an offset committed with an
 * explicit retention time (OffsetCommit v2-v4) at that time. An empty group left without offsets
 * is removed.
 */
final class OffsetRetention implements Runnable {

    private static final Logger LOG = LoggerFactory.getLogger(OffsetRetention.class);

    private final GroupServices services;

    OffsetRetention(GroupServices services) {
        this.services = services;
    }

    @Override
    public void run() {
        int expired = 0;
        int removedGroups = 0;
        for (Group group : services.registry().snapshot()) {
            int[] counts = services.registry().applyIfLive(group, this::cleanUp).orElse(new int[2]);
            expired += counts[0];
            removedGroups += counts[1];
        }
        if (expired > 0 || removedGroups > 0) {
            LOG.info("Offset retention removed {} expired offsets and {} groups", expired, removedGroups);
        }
    }

    /** @return the number of expired offsets and whether (1) or not (0) the group was removed */
    private int[] cleanUp(Group group) {
        long nowMs = services.nowMs();
        ToLongFunction<CommittedOffset> since = expiryBase(group);
        List<TopicPartition> expired = new ArrayList<>();
        if (since != null) {
            for (Map.Entry<TopicPartition, CommittedOffset> entry : group.offsets().entrySet()) {
                if (!group.isSubscribedTo(entry.getKey().topic()) && isExpired(entry.getValue(), since, nowMs)) {
                    expired.add(entry.getKey());
                }
            }
        }
        try {
            boolean removeGroup = group.hasNoMembers() && expired.size() == group.offsets().size();
            if (removeGroup) {
                services.store().deleteGroup(group.groupId(), expired);
                services.registry().remove(group);
            } else {
                services.store().deleteOffsets(group.groupId(), expired);
            }
            expired.forEach(group.offsets()::remove);
            return new int[] {expired.size(), removeGroup ? 1 : 0};
        } catch (StateException e) {
            LOG.warn("Could not remove expired offsets of group {}, retrying next time: {}", group.groupId(),
                    e.getMessage());
            return new int[2];
        }
    }

    /** From when an offset's retention counts, or null when the group's offsets do not expire now. */
    private static ToLongFunction<CommittedOffset> expiryBase(Group group) {
        return switch (group) {
            case ClassicGroup classic -> expiryBase(classic);
            case ConsumerGroup consumer -> {
                if (consumer.hasNoMembers()) {
                    long emptySince = consumer.stateTimestampMs();
                    yield offset -> emptySince;
                }
                yield CommittedOffset::commitTimestampMs;
            }
        };
    }

    private static ToLongFunction<CommittedOffset> expiryBase(ClassicGroup group) {
        if (group.protocolType() == null) {
            return CommittedOffset::commitTimestampMs;
        }
        if (group.is(GroupState.EMPTY)) {
            long emptySince = group.stateTimestampMs();
            return offset -> emptySince;
        }
        if (group.usesConsumerProtocol() && group.subscribedTopics() != null && group.is(GroupState.STABLE)) {
            return CommittedOffset::commitTimestampMs;
        }
        return null;
    }

    private boolean isExpired(CommittedOffset offset, ToLongFunction<CommittedOffset> since, long nowMs) {
        if (offset.expireTimestampMs() != CommittedOffset.NO_EXPIRY) {
            return nowMs >= offset.expireTimestampMs();
        }
        return nowMs - since.applyAsLong(offset) >= services.config().offsetsRetentionMs();
    }
}
