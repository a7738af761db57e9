package io.memorystreamer.broker.internal.group;

import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.apache.kafka.common.Uuid;
import org.apache.kafka.common.message.ConsumerGroupHeartbeatRequestData;
import org.apache.kafka.common.message.ConsumerGroupHeartbeatResponseData;

/**
 * An immutable set of partitions keyed by topic id, the shape of every KIP-848 assignment (owned,
 * assigned, pending revocation, target). Topics with no partitions are not kept, so two sets with
 * the same partitions are equal.
 *
 * @param byTopic the partitions of each topic
 */
record PartitionSet(Map<Uuid, Set<Integer>> byTopic) {

    static final PartitionSet EMPTY = new PartitionSet(Map.of());

    PartitionSet {
        Map<Uuid, Set<Integer>> copy = new HashMap<>();
        byTopic.forEach((topic, partitions) -> {
            if (!partitions.isEmpty()) {
                copy.put(topic, Collections.unmodifiableSet(new TreeSet<>(partitions)));
            }
        });
        byTopic = Collections.unmodifiableMap(copy);
    }

    static PartitionSet of(Map<Uuid, ? extends Collection<Integer>> partitions) {
        Map<Uuid, Set<Integer>> sets = new HashMap<>();
        partitions.forEach((topic, list) -> sets.put(topic, new TreeSet<>(list)));
        return new PartitionSet(sets);
    }

    /** The partitions a heartbeat reports as owned, or null when the member did not send them. */
    static PartitionSet fromRequest(List<ConsumerGroupHeartbeatRequestData.TopicPartitions> topics) {
        if (topics == null) {
            return null;
        }
        Map<Uuid, Set<Integer>> sets = new HashMap<>();
        for (ConsumerGroupHeartbeatRequestData.TopicPartitions topic : topics) {
            sets.computeIfAbsent(topic.topicId(), id -> new TreeSet<>()).addAll(topic.partitions());
        }
        return new PartitionSet(sets);
    }

    /** The partitions of one topic, empty when there are none. */
    Set<Integer> partitions(Uuid topic) {
        return byTopic.getOrDefault(topic, Set.of());
    }

    Set<Uuid> topics() {
        return byTopic.keySet();
    }

    boolean contains(Uuid topic, int partition) {
        return partitions(topic).contains(partition);
    }

    boolean isEmpty() {
        return byTopic.isEmpty();
    }

    int size() {
        int size = 0;
        for (Set<Integer> partitions : byTopic.values()) {
            size += partitions.size();
        }
        return size;
    }

    /** Whether the two sets share a partition. */
    boolean intersects(PartitionSet other) {
        for (Map.Entry<Uuid, Set<Integer>> entry : byTopic.entrySet()) {
            Set<Integer> theirs = other.partitions(entry.getKey());
            for (int partition : entry.getValue()) {
                if (theirs.contains(partition)) {
                    return true;
                }
            }
        }
        return false;
    }

    /** Whether every partition of this set is in {@code other}. */
    boolean isSubsetOf(PartitionSet other) {
        for (Map.Entry<Uuid, Set<Integer>> entry : byTopic.entrySet()) {
            if (!other.partitions(entry.getKey()).containsAll(entry.getValue())) {
                return false;
            }
        }
        return true;
    }

    /** The assignment as a ConsumerGroupHeartbeat response carries it. */
    List<ConsumerGroupHeartbeatResponseData.TopicPartitions> toHeartbeatTopics() {
        List<ConsumerGroupHeartbeatResponseData.TopicPartitions> topics = new ArrayList<>(byTopic.size());
        byTopic.forEach((topic, partitions) -> topics.add(new ConsumerGroupHeartbeatResponseData.TopicPartitions()
                .setTopicId(topic)
                .setPartitions(new ArrayList<>(partitions))));
        return topics;
    }

    /** A mutable accumulator of partitions. */
    static final class Builder {

        private final Map<Uuid, Set<Integer>> partitions = new HashMap<>();

        Builder add(Uuid topic, int partition) {
            partitions.computeIfAbsent(topic, id -> new TreeSet<>()).add(partition);
            return this;
        }

        Builder remove(Uuid topic, int partition) {
            Set<Integer> set = partitions.get(topic);
            if (set != null) {
                set.remove(partition);
            }
            return this;
        }

        int size() {
            int size = 0;
            for (Set<Integer> set : partitions.values()) {
                size += set.size();
            }
            return size;
        }

        boolean isEmpty() {
            return size() == 0;
        }

        /** The partitions of one topic so far (live view). */
        Set<Integer> partitions(Uuid topic) {
            return partitions.getOrDefault(topic, Set.of());
        }

        PartitionSet build() {
            return new PartitionSet(partitions);
        }
    }
}
