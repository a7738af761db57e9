package io.memorystreamer.broker.internal.group;

import static org.assertj.core.api.Assertions.assertThat;

import io.memorystreamer.broker.internal.group.MemberAssignment.State;
import java.util.List;
import java.util.Map;
import org.apache.kafka.common.Uuid;
import org.junit.jupiter.api.Test;

/** A member's way from its current assignment to its target: revoke first, then take what is free. */
class ReconciliationTest {

    private static final Uuid ORDERS = Uuid.randomUuid();
    private static final Reconciliation.Owners NOBODY = (topic, partition) -> null;

    @Test
    void aJoiningMemberGetsItsFreeTargetPartitionsAtTheTargetEpoch() {
        // When a new member reconciles towards epoch 3 with partitions 0 and 1 free
        MemberAssignment next = Reconciliation.reconcile("a", MemberAssignment.JOINING, 3, partitions(0, 1), NOBODY,
                PartitionSet.EMPTY);

        // Then it is stable at epoch 3 with both
        assertThat(next).isEqualTo(new MemberAssignment(3, 0, State.STABLE, partitions(0, 1), PartitionSet.EMPTY));
    }

    @Test
    void partitionsAnotherMemberStillOwnsWaitUntilItReleasesThem() {
        // Given partition 1 still owned by b
        Reconciliation.Owners owners = (topic, partition) -> partition == 1 ? "b" : null;

        // When a reconciles towards partitions 0 and 1
        MemberAssignment next = Reconciliation.reconcile("a", MemberAssignment.JOINING, 3, partitions(0, 1), owners,
                PartitionSet.EMPTY);

        // Then it gets 0 now and waits for 1
        assertThat(next.state()).isEqualTo(State.UNRELEASED_PARTITIONS);
        assertThat(next.memberEpoch()).isEqualTo(3);
        assertThat(next.assigned()).isEqualTo(partitions(0));

        // And once b released it, a gets it and is stable
        MemberAssignment after = Reconciliation.reconcile("a", next, 3, partitions(0, 1), NOBODY, partitions(0));
        assertThat(after.state()).isEqualTo(State.STABLE);
        assertThat(after.assigned()).isEqualTo(partitions(0, 1));
    }

    @Test
    void aMemberRevokesFirstAndStaysAtItsEpochUntilItReportsThePartitionsGone() {
        // Given a stable member with 0, 1 and 2 at epoch 2, whose target at epoch 3 is 0 and 3
        MemberAssignment stable = new MemberAssignment(2, 1, State.STABLE, partitions(0, 1, 2), PartitionSet.EMPTY);

        // When it heartbeats still owning everything
        MemberAssignment revoking = Reconciliation.reconcile("a", stable, 3, partitions(0, 3), NOBODY,
                partitions(0, 1, 2));

        // Then it keeps 0 only, must revoke 1 and 2, and gets nothing new at its old epoch
        assertThat(revoking).isEqualTo(new MemberAssignment(2, 2, State.UNREVOKED_PARTITIONS, partitions(0),
                partitions(1, 2)));

        // When it heartbeats again without saying what it owns, or still owning 2
        assertThat(Reconciliation.reconcile("a", revoking, 3, partitions(0, 3), NOBODY, null)).isSameAs(revoking);
        assertThat(Reconciliation.reconcile("a", revoking, 3, partitions(0, 3), NOBODY, partitions(0, 2)))
                .isSameAs(revoking);

        // Then once it reports only 0, it moves to epoch 3 with 0 and 3
        MemberAssignment done = Reconciliation.reconcile("a", revoking, 3, partitions(0, 3), NOBODY, partitions(0));
        assertThat(done).isEqualTo(new MemberAssignment(3, 2, State.STABLE, partitions(0, 3), PartitionSet.EMPTY));
    }

    @Test
    void aMemberThatAlreadyDroppedThePartitionsSkipsTheRevocationStep() {
        // Given a stable member at epoch 2 with 0 and 1, whose target at epoch 3 is 0
        MemberAssignment stable = new MemberAssignment(2, 1, State.STABLE, partitions(0, 1), PartitionSet.EMPTY);

        // When it reports owning only 0 already
        MemberAssignment next = Reconciliation.reconcile("a", stable, 3, partitions(0), NOBODY, partitions(0));

        // Then it goes straight to epoch 3
        assertThat(next).isEqualTo(new MemberAssignment(3, 2, State.STABLE, partitions(0), PartitionSet.EMPTY));
    }

    @Test
    void aReconciledMemberStaysAsItIs() {
        MemberAssignment stable = new MemberAssignment(3, 2, State.STABLE, partitions(0), PartitionSet.EMPTY);

        assertThat(Reconciliation.reconcile("a", stable, 3, partitions(0, 1), NOBODY, partitions(0))).isSameAs(stable);
    }

    private static PartitionSet partitions(Integer... partitions) {
        return PartitionSet.of(Map.of(ORDERS, List.of(partitions)));
    }
}
