package io.memorystreamer.broker.internal.group;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.IntStream;
import org.apache.kafka.common.Uuid;
import org.junit.jupiter.api.Test;

/** The server-side assignors of the consumer group protocol: balance, co-partitioning, stickiness. */
class ServerAssignorsTest {

    private static final Uuid ORDERS = Uuid.randomUuid();
    private static final Uuid PAYMENTS = Uuid.randomUuid();
    private static final Uuid AUDIT = Uuid.randomUuid();

    private final UniformAssignor uniform = new UniformAssignor();
    private final RangeAssignor range = new RangeAssignor();

    @Test
    void uniformSpreadsEveryPartitionEvenlyAcrossMembers() {
        // Given three members subscribed to two topics of 7 and 4 partitions
        ServerAssignor.Spec spec = spec(Map.of("a", Set.of(ORDERS, PAYMENTS), "b", Set.of(ORDERS, PAYMENTS),
                "c", Set.of(ORDERS, PAYMENTS)), Map.of(ORDERS, 7, PAYMENTS, 4), Map.of());

        // When the uniform assignor assigns
        Map<String, PartitionSet> assignment = uniform.assign(spec);

        // Then every partition has exactly one member and the counts differ by at most one
        assertCoversExactly(assignment, Map.of(ORDERS, 7, PAYMENTS, 4));
        assertThat(assignment.values().stream().mapToInt(PartitionSet::size)).allMatch(n -> n == 3 || n == 4);
    }

    @Test
    void uniformKeepsPreviousPartitionsAndMovesOnlyWhatANewMemberNeeds() {
        // Given two members that had three partitions each of a 6-partition topic
        Map<String, PartitionSet> previous = uniform.assign(spec(Map.of("a", Set.of(ORDERS), "b", Set.of(ORDERS)),
                Map.of(ORDERS, 6), Map.of()));

        // When a third member joins
        Map<String, PartitionSet> next = uniform.assign(spec(Map.of("a", Set.of(ORDERS), "b", Set.of(ORDERS),
                "c", Set.of(ORDERS)), Map.of(ORDERS, 6), previous));

        // Then each has two, and the first two kept two of their former three (only two partitions moved)
        assertCoversExactly(next, Map.of(ORDERS, 6));
        assertThat(next.values()).allMatch(set -> set.size() == 2);
        assertThat(next.get("a").isSubsetOf(previous.get("a"))).isTrue();
        assertThat(next.get("b").isSubsetOf(previous.get("b"))).isTrue();
    }

    @Test
    void uniformGivesALeavingMembersPartitionsToTheOthersWithoutMovingTheirs() {
        // Given three members with two partitions each
        Map<String, PartitionSet> previous = uniform.assign(spec(Map.of("a", Set.of(ORDERS), "b", Set.of(ORDERS),
                "c", Set.of(ORDERS)), Map.of(ORDERS, 6), Map.of()));

        // When c is gone
        Map<String, PartitionSet> next = uniform.assign(spec(Map.of("a", Set.of(ORDERS), "b", Set.of(ORDERS)),
                Map.of(ORDERS, 6), previous));

        // Then a and b keep theirs and split c's
        assertCoversExactly(next, Map.of(ORDERS, 6));
        assertThat(previous.get("a").isSubsetOf(next.get("a"))).isTrue();
        assertThat(previous.get("b").isSubsetOf(next.get("b"))).isTrue();
        assertThat(next.values()).allMatch(set -> set.size() == 3);
    }

    @Test
    void uniformRespectsDifferentSubscriptions() {
        // Given a member of orders only, one of orders and audit, one of audit only
        ServerAssignor.Spec spec = spec(Map.of("a", Set.of(ORDERS), "b", Set.of(ORDERS, AUDIT), "c", Set.of(AUDIT)),
                Map.of(ORDERS, 4, AUDIT, 4), Map.of());

        // When assigned
        Map<String, PartitionSet> assignment = uniform.assign(spec);

        // Then nobody gets a topic it does not subscribe to, all partitions are covered, counts are balanced
        assertCoversExactly(assignment, Map.of(ORDERS, 4, AUDIT, 4));
        assertThat(assignment.get("a").topics()).containsOnly(ORDERS);
        assertThat(assignment.get("c").topics()).containsOnly(AUDIT);
        assertThat(assignment.values().stream().mapToInt(PartitionSet::size).max().orElseThrow()
                - assignment.values().stream().mapToInt(PartitionSet::size).min().orElseThrow()).isLessThanOrEqualTo(1);
    }

    @Test
    void uniformDropsPreviousPartitionsOfTopicsThatShrankOrWereUnsubscribed() {
        // Given a previous assignment naming partitions 0-5 of orders and a partition of payments
        Map<String, PartitionSet> previous = Map.of("a", PartitionSet.of(Map.of(ORDERS, List.of(0, 1, 2, 3, 4, 5),
                PAYMENTS, List.of(0))));

        // When orders has 3 partitions now and a no longer subscribes to payments
        Map<String, PartitionSet> next = uniform.assign(spec(Map.of("a", Set.of(ORDERS)), Map.of(ORDERS, 3), previous));

        // Then a has exactly the partitions that exist
        assertThat(next.get("a")).isEqualTo(PartitionSet.of(Map.of(ORDERS, List.of(0, 1, 2))));
    }

    @Test
    void rangeCoPartitionsTopicsWithTheSamePartitionCount() {
        // Given three members subscribed to two topics of 6 partitions each
        Map<String, Set<Uuid>> subscriptions = Map.of("m1", Set.of(ORDERS, PAYMENTS), "m2", Set.of(ORDERS, PAYMENTS),
                "m3", Set.of(ORDERS, PAYMENTS));

        // When the range assignor assigns
        Map<String, PartitionSet> assignment = range.assign(spec(subscriptions, Map.of(ORDERS, 6, PAYMENTS, 6), Map.of()));

        // Then each member has the same partition numbers of both topics, as contiguous ranges in member order
        assertCoversExactly(assignment, Map.of(ORDERS, 6, PAYMENTS, 6));
        assignment.values().forEach(set -> assertThat(set.partitions(ORDERS)).isEqualTo(set.partitions(PAYMENTS)));
        assertThat(assignment.get("m1").partitions(ORDERS)).containsExactly(0, 1);
        assertThat(assignment.get("m2").partitions(ORDERS)).containsExactly(2, 3);
        assertThat(assignment.get("m3").partitions(ORDERS)).containsExactly(4, 5);
    }

    @Test
    void rangeGivesTheFirstMembersOneMoreWhenPartitionsDoNotDivideEvenly() {
        // When 7 partitions are split between three members
        Map<String, PartitionSet> assignment = range.assign(spec(Map.of("m1", Set.of(ORDERS), "m2", Set.of(ORDERS),
                "m3", Set.of(ORDERS)), Map.of(ORDERS, 7), Map.of()));

        // Then the ranges are 3, 2 and 2 long
        assertThat(assignment.get("m1").partitions(ORDERS)).containsExactly(0, 1, 2);
        assertThat(assignment.get("m2").partitions(ORDERS)).containsExactly(3, 4);
        assertThat(assignment.get("m3").partitions(ORDERS)).containsExactly(5, 6);
    }

    @Test
    void bothGiveMembersWithoutSubscribedTopicsAnEmptyAssignment() {
        // Given a member whose topics do not exist
        ServerAssignor.Spec spec = spec(Map.of("a", Set.of(ORDERS), "b", Set.of()), Map.of(ORDERS, 2), Map.of());

        // Then both assignors list it, with nothing
        assertThat(uniform.assign(spec).get("b")).isEqualTo(PartitionSet.EMPTY);
        assertThat(range.assign(spec).get("b")).isEqualTo(PartitionSet.EMPTY);
    }

    private static ServerAssignor.Spec spec(Map<String, Set<Uuid>> subscriptions, Map<Uuid, Integer> counts,
            Map<String, PartitionSet> previous) {
        return new ServerAssignor.Spec(subscriptions, counts, previous);
    }

    /** Every partition of every topic is assigned to exactly one member. */
    private static void assertCoversExactly(Map<String, PartitionSet> assignment, Map<Uuid, Integer> counts) {
        Map<Uuid, Set<Integer>> seen = new HashMap<>();
        int total = 0;
        for (PartitionSet set : assignment.values()) {
            for (Uuid topic : set.topics()) {
                seen.computeIfAbsent(topic, t -> new HashSet<>()).addAll(set.partitions(topic));
                total += set.partitions(topic).size();
            }
        }
        int expected = counts.values().stream().mapToInt(Integer::intValue).sum();
        assertThat(total).as("no partition twice").isEqualTo(expected);
        counts.forEach((topic, count) -> assertThat(seen.get(topic))
                .containsExactlyInAnyOrderElementsOf(IntStream.range(0, count).boxed().toList()));
    }
}
