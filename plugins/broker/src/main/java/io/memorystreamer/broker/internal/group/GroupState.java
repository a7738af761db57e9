package io.memorystreamer.broker.internal.group;

import java.util.EnumSet;
import java.util.Locale;
import java.util.Set;

/** The states of a classic consumer group, named as Kafka reports them. */
enum GroupState {
    /** No members; offsets may still be kept. */
    EMPTY("Empty"),
    /** Waiting for members to (re)join. */
    PREPARING_REBALANCE("PreparingRebalance"),
    /** Joined; waiting for the leader's assignment. */
    COMPLETING_REBALANCE("CompletingRebalance"),
    /** Every member has its assignment. */
    STABLE("Stable"),
    /** Removed; requests that still hold it must look the group up again. */
    DEAD("Dead");

    private final String displayName;

    GroupState(String displayName) {
        this.displayName = displayName;
    }

    /** The name Kafka uses in ListGroups and DescribeGroups. */
    String displayName() {
        return displayName;
    }

    String lowerCaseName() {
        return displayName.toLowerCase(Locale.ROOT);
    }

    /** The states a group may come from when it enters this one. */
    Set<GroupState> validPreviousStates() {
        return switch (this) {
            case EMPTY -> EnumSet.of(PREPARING_REBALANCE);
            case PREPARING_REBALANCE -> EnumSet.of(STABLE, COMPLETING_REBALANCE, EMPTY);
            case COMPLETING_REBALANCE -> EnumSet.of(PREPARING_REBALANCE);
            case STABLE -> EnumSet.of(COMPLETING_REBALANCE);
            case DEAD -> EnumSet.allOf(GroupState.class);
        };
    }
}
