package io.memorystreamer.broker.internal.group;

/**
 * Where a consumer group member stands in its reconciliation (KIP-848): its epoch, the partitions
 * it may use, and the partitions it must give up before it moves on.
 *
 * @param memberEpoch the epoch the member works at
 * @param previousMemberEpoch the epoch before the last change (a member whose response with the
 *     new epoch was lost may still send it)
 * @param state how the member relates to the target assignment
 * @param assigned the partitions the member may consume
 * @param pendingRevocation partitions the member still owns but must revoke
 */
record MemberAssignment(int memberEpoch, int previousMemberEpoch, State state, PartitionSet assigned,
        PartitionSet pendingRevocation) {

    /** A member that has just joined: epoch 0, nothing assigned. */
    static final MemberAssignment JOINING = new MemberAssignment(0, -1, State.STABLE, PartitionSet.EMPTY,
            PartitionSet.EMPTY);

    /** The reconciliation states of KIP-848. */
    enum State {
        /** At its epoch with everything assigned that it may have. */
        STABLE,
        /** Waiting for the member to revoke {@link MemberAssignment#pendingRevocation()}. */
        UNREVOKED_PARTITIONS,
        /** At the target epoch, waiting for partitions other members still have to release. */
        UNRELEASED_PARTITIONS
    }

    /** Whether the member has everything of the target assignment of {@code targetEpoch}. */
    boolean isReconciledTo(int targetEpoch) {
        return state == State.STABLE && memberEpoch == targetEpoch;
    }

    /** This assignment at another epoch, remembering the current one as previous. */
    MemberAssignment withEpoch(int epoch) {
        return new MemberAssignment(epoch, memberEpoch, state, assigned, pendingRevocation);
    }
}
