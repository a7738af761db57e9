package io.memorystreamer.broker.internal.group;

import java.util.Map;
import java.util.Set;
import org.apache.kafka.common.Uuid;

/**
 * A server-side partition assignor of the consumer group protocol (KIP-848): from the members'
 * subscriptions, the topics' partition counts and the previous target assignment it computes the
 * next target assignment. Implementations are pure and thread-safe.
 */
interface ServerAssignor {

    /**
     * What an assignor works from.
     *
     * @param subscriptions each member's subscribed topics that exist, by topic id
     * @param partitionCounts the partition count of every subscribed topic
     * @param previous the previous target assignment (members may be gone, topics may have shrunk)
     */
    record Spec(Map<String, Set<Uuid>> subscriptions, Map<Uuid, Integer> partitionCounts,
            Map<String, PartitionSet> previous) {

        public Spec {
            subscriptions = Map.copyOf(subscriptions);
            partitionCounts = Map.copyOf(partitionCounts);
            previous = Map.copyOf(previous);
        }
    }

    /** The name a client picks it by ({@code group.remote.assignor}). */
    String name();

    /**
     * @return the target partitions of every member of {@code spec} (possibly none), each partition
     *     of a subscribed topic given to exactly one member that subscribes to it
     */
    Map<String, PartitionSet> assign(Spec spec);
}
