package io.memorystreamer.broker.internal.group;

import io.memorystreamer.broker.internal.group.MemberAssignment.State;
import java.util.HashSet;
import java.util.Set;
import org.apache.kafka.common.Uuid;

/**
 * Moves one member's current assignment towards its target assignment, as KIP-848 reconciles: a
 * member first revokes the partitions it must give up (staying at its epoch until it reports them
 * gone), then moves to the target epoch and gets the target partitions that no other member still
 * owns; partitions still owned elsewhere follow once they are released.
 *
 * <p>Pure: it reads the owners of partitions through {@link Owners} and changes nothing.
 */
final class Reconciliation {

    /** Who owns a partition now (assigned or pending revocation). */
    @FunctionalInterface
    interface Owners {
        /** The member id that owns the partition, or null when it is free. */
        String owner(Uuid topic, int partition);
    }

    private Reconciliation() {
    }

    /**
     * @param memberId the member
     * @param current its assignment state now
     * @param targetEpoch the epoch of the group's target assignment
     * @param target the member's partitions in that target assignment
     * @param owners who owns each partition now
     * @param owned the partitions the member reports owning, or null when it did not say
     * @return the next assignment state, or {@code current} when nothing changes
     */
    static MemberAssignment reconcile(String memberId, MemberAssignment current, int targetEpoch, PartitionSet target,
            Owners owners, PartitionSet owned) {
        return switch (current.state()) {
            case STABLE -> current.memberEpoch() == targetEpoch
                    ? current
                    : next(memberId, current, current.memberEpoch(), targetEpoch, target, owners, owned);
            // Revoked partitions count as gone once the member stops reporting them.
            case UNREVOKED_PARTITIONS -> ownsAny(owned, current.pendingRevocation())
                    ? current
                    : next(memberId, current, current.memberEpoch() + 1, targetEpoch, target, owners, owned);
            case UNRELEASED_PARTITIONS -> next(memberId, current, current.memberEpoch(), targetEpoch, target, owners,
                    owned);
        };
    }

    private static MemberAssignment next(String memberId, MemberAssignment current, int memberEpoch, int targetEpoch,
            PartitionSet target, Owners owners, PartitionSet owned) {
        PartitionSet.Builder kept = new PartitionSet.Builder();
        PartitionSet.Builder revoking = new PartitionSet.Builder();
        PartitionSet.Builder free = new PartitionSet.Builder();
        boolean unreleased = false;
        Set<Uuid> topics = new HashSet<>(current.assigned().topics());
        topics.addAll(target.topics());
        for (Uuid topic : topics) {
            Set<Integer> wanted = target.partitions(topic);
            Set<Integer> have = current.assigned().partitions(topic);
            for (int partition : have) {
                if (wanted.contains(partition)) {
                    kept.add(topic, partition);
                } else {
                    revoking.add(topic, partition);
                }
            }
            for (int partition : wanted) {
                if (have.contains(partition)) {
                    continue;
                }
                String owner = owners.owner(topic, partition);
                if (owner == null || owner.equals(memberId)) {
                    free.add(topic, partition);
                } else {
                    unreleased = true;
                }
            }
        }
        PartitionSet toRevoke = revoking.build();
        MemberAssignment next;
        if (!toRevoke.isEmpty() && ownsAny(owned, toRevoke)) {
            // Revoke first: new partitions only come with the next epoch.
            next = new MemberAssignment(memberEpoch, current.memberEpoch(), State.UNREVOKED_PARTITIONS, kept.build(),
                    toRevoke);
        } else {
            free.build().byTopic().forEach((topic, partitions) -> partitions.forEach(p -> kept.add(topic, p)));
            next = new MemberAssignment(targetEpoch, current.memberEpoch(),
                    unreleased ? State.UNRELEASED_PARTITIONS : State.STABLE, kept.build(), PartitionSet.EMPTY);
        }
        return sameExceptPreviousEpoch(next, current) ? current : next;
    }

    /** Nothing changed: keeping the previous epoch keeps a lost response's epoch acceptable. */
    private static boolean sameExceptPreviousEpoch(MemberAssignment a, MemberAssignment b) {
        return a.memberEpoch() == b.memberEpoch() && a.state() == b.state() && a.assigned().equals(b.assigned())
                && a.pendingRevocation().equals(b.pendingRevocation());
    }

    /** Whether the member still owns any of {@code partitions}; when it did not say, assume so. */
    private static boolean ownsAny(PartitionSet owned, PartitionSet partitions) {
        return owned == null || owned.intersects(partitions);
    }
}
