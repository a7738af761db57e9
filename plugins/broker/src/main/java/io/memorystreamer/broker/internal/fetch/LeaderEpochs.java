package io.memorystreamer.broker.internal.fetch;

/** Leader epochs on a single node, where this broker has always led every partition. */
public final class LeaderEpochs {

    /** The epoch stamped on appended batches and reported by ListOffsets. */
    public static final int CURRENT = 0;

    private LeaderEpochs() {
    }
}
