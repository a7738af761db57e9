package io.memorystreamer.broker.internal.group;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.apache.kafka.common.Uuid;

/**
 * The {@code range} server assignor: each topic's partitions are cut into contiguous ranges, one
 * per subscribed member in member-id order, the first {@code partitions % members} ranges one
 * longer. Members subscribed to the same topics get the same partition numbers of topics with the
 * same partition count (co-partitioning, for joins). It is deterministic rather than sticky: a
 * membership change moves only the partitions whose range boundaries shift.
 */
final class RangeAssignor implements ServerAssignor {

    static final String NAME = "range";

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public Map<String, PartitionSet> assign(Spec spec) {
        Map<Uuid, List<String>> subscribers = new HashMap<>();
        // Sorted member ids give every topic the same member order.
        new TreeMap<>(spec.subscriptions()).forEach((member, topics) -> {
            for (Uuid topic : topics) {
                subscribers.computeIfAbsent(topic, t -> new ArrayList<>()).add(member);
            }
        });
        Map<String, PartitionSet.Builder> builders = new HashMap<>();
        spec.subscriptions().keySet().forEach(member -> builders.put(member, new PartitionSet.Builder()));
        subscribers.forEach((topic, members) -> {
            int partitions = spec.partitionCounts().getOrDefault(topic, 0);
            int quota = partitions / members.size();
            int extra = partitions % members.size();
            int next = 0;
            for (int i = 0; i < members.size(); i++) {
                int length = quota + (i < extra ? 1 : 0);
                PartitionSet.Builder builder = builders.get(members.get(i));
                for (int p = next; p < next + length; p++) {
                    builder.add(topic, p);
                }
                next += length;
            }
        });
        Map<String, PartitionSet> result = new HashMap<>();
        builders.forEach((member, builder) -> result.put(member, builder.build()));
        return result;
    }
}
