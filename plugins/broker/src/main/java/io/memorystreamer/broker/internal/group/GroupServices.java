package io.memorystreamer.broker.internal.group;

import io.memorystreamer.broker.internal.topic.TopicCatalog;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.LongSupplier;

/**
 * What the group API handlers share.
 *
 * @param catalog the topics, to check committed partitions exist
 * @param registry the groups
 * @param rebalancer the rebalance state machine of classic groups
 * @param consumerRebalancer the consumer group protocol (KIP-848) of consumer groups
 * @param store durable offsets and group metadata
 * @param config group settings
 * @param clock wall-clock milliseconds (commit timestamps, retention)
 * @param closed set when the coordinator stops: handlers then answer COORDINATOR_NOT_AVAILABLE
 */
record GroupServices(
        TopicCatalog catalog,
        GroupRegistry registry,
        Rebalancer rebalancer,
        ConsumerGroupRebalancer consumerRebalancer,
        GroupStore store,
        GroupConfig config,
        LongSupplier clock,
        AtomicBoolean closed) {

    boolean isActive() {
        return !closed.get();
    }

    long nowMs() {
        return clock.getAsLong();
    }

    /** Kafka refuses an empty or missing group id for membership and commit APIs. */
    static boolean isValidGroupId(String groupId) {
        return groupId != null && !groupId.isEmpty();
    }
}
