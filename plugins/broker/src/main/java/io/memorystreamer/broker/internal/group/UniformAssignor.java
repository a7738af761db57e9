package io.memorystreamer.broker.internal.group;

import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import org.apache.kafka.common.Uuid;

/**
 * The {@code uniform} server assignor (the default): spreads partitions so that member partition
 * counts differ by at most one where subscriptions allow it, while keeping every member's previous
 * target partitions that it may still have (sticky), so a rebalance moves as few partitions as it
 * can. Works for different subscriptions per member too.
 *
 * <p>Steps: keep each member's previous partitions that are still valid; give every unassigned
 * partition to the least loaded subscribed member (topics with the fewest subscribers first);
 * then, while some member has at least two partitions more than another member that could take
 * one of them, move one. Each move lowers the sum of squared counts, so the last step ends.
 */
final class UniformAssignor implements ServerAssignor {

    static final String NAME = "uniform";

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public Map<String, PartitionSet> assign(Spec spec) {
        Map<String, Set<Uuid>> subscriptions = new TreeMap<>(spec.subscriptions());
        Map<String, PartitionSet.Builder> assignment = new TreeMap<>();
        Map<String, Integer> counts = new HashMap<>();
        subscriptions.keySet().forEach(member -> {
            assignment.put(member, new PartitionSet.Builder());
            counts.put(member, 0);
        });
        Map<Uuid, String[]> owners = new HashMap<>();
        spec.partitionCounts().forEach((topic, partitions) -> owners.put(topic, new String[partitions]));

        keepPrevious(spec, subscriptions, owners, assignment, counts);
        assignUnowned(subscriptions, owners, assignment, counts);
        balance(subscriptions, assignment, counts);

        Map<String, PartitionSet> result = new HashMap<>();
        assignment.forEach((member, builder) -> result.put(member, builder.build()));
        return result;
    }

    private static void keepPrevious(Spec spec, Map<String, Set<Uuid>> subscriptions, Map<Uuid, String[]> owners,
            Map<String, PartitionSet.Builder> assignment, Map<String, Integer> counts) {
        subscriptions.forEach((member, topics) -> {
            PartitionSet previous = spec.previous().getOrDefault(member, PartitionSet.EMPTY);
            for (Uuid topic : previous.topics()) {
                String[] topicOwners = owners.get(topic);
                if (topicOwners == null || !topics.contains(topic)) {
                    continue;
                }
                for (int partition : previous.partitions(topic)) {
                    if (partition < topicOwners.length && topicOwners[partition] == null) {
                        topicOwners[partition] = member;
                        assignment.get(member).add(topic, partition);
                        counts.merge(member, 1, Integer::sum);
                    }
                }
            }
        });
    }

    private static void assignUnowned(Map<String, Set<Uuid>> subscriptions, Map<Uuid, String[]> owners,
            Map<String, PartitionSet.Builder> assignment, Map<String, Integer> counts) {
        Map<Uuid, List<String>> subscribers = new HashMap<>();
        subscriptions.forEach((member, topics) -> {
            for (Uuid topic : topics) {
                if (owners.containsKey(topic)) {
                    subscribers.computeIfAbsent(topic, t -> new ArrayList<>()).add(member);
                }
            }
        });
        // The most constrained topics first, so members with few choices are filled before others.
        List<Uuid> topics = new ArrayList<>(subscribers.keySet());
        topics.sort(Comparator.<Uuid>comparingInt(t -> subscribers.get(t).size()).thenComparing(Uuid::toString));
        for (Uuid topic : topics) {
            String[] topicOwners = owners.get(topic);
            List<String> candidates = subscribers.get(topic);
            for (int partition = 0; partition < topicOwners.length; partition++) {
                if (topicOwners[partition] != null) {
                    continue;
                }
                String least = candidates.getFirst();
                for (String candidate : candidates) {
                    if (counts.get(candidate) < counts.get(least)) {
                        least = candidate;
                    }
                }
                topicOwners[partition] = least;
                assignment.get(least).add(topic, partition);
                counts.merge(least, 1, Integer::sum);
            }
        }
    }

    private static void balance(Map<String, Set<Uuid>> subscriptions, Map<String, PartitionSet.Builder> assignment,
            Map<String, Integer> counts) {
        List<String> members = new ArrayList<>(subscriptions.keySet());
        while (moveOne(members, subscriptions, assignment, counts)) {
            // Repeats until no move helps.
        }
    }

    /** Moves one partition from a member with more to one with at least two fewer, if any can move. */
    private static boolean moveOne(List<String> members, Map<String, Set<Uuid>> subscriptions,
            Map<String, PartitionSet.Builder> assignment, Map<String, Integer> counts) {
        List<String> byCount = new ArrayList<>(members);
        byCount.sort(Comparator.<String>comparingInt(counts::get).thenComparing(Comparator.naturalOrder()));
        for (int r = 0; r < byCount.size(); r++) {
            String receiver = byCount.get(r);
            for (int d = byCount.size() - 1; d > r; d--) {
                String donor = byCount.get(d);
                if (counts.get(donor) - counts.get(receiver) < 2) {
                    break;
                }
                if (moveBetween(donor, receiver, subscriptions.get(receiver), assignment)) {
                    counts.merge(donor, -1, Integer::sum);
                    counts.merge(receiver, 1, Integer::sum);
                    return true;
                }
            }
        }
        return false;
    }

    private static boolean moveBetween(String donor, String receiver, Set<Uuid> receiverTopics,
            Map<String, PartitionSet.Builder> assignment) {
        PartitionSet.Builder from = assignment.get(donor);
        for (Uuid topic : new TreeSet<>(receiverTopics)) {
            Set<Integer> partitions = from.partitions(topic);
            if (!partitions.isEmpty()) {
                // The highest partition moves: lower numbers stay where they were.
                int partition = Collections.max(partitions);
                from.remove(topic, partition);
                assignment.get(receiver).add(topic, partition);
                return true;
            }
        }
        return false;
    }
}
