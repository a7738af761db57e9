package io.memorystreamer.broker.internal.group;

/**
 * A committed offset of one partition for one group.
 *
 * @param offset the next offset the group will consume
 * @param leaderEpoch the leader epoch the client saw, or -1
 * @param metadata the client's metadata string, never null ("" when the client sent none)
 * @param commitTimestampMs when the broker accepted the commit
 * @param expireTimestampMs when the commit expires by itself (OffsetCommit v2-v4 retention time),
 *     or -1 when the broker's retention applies
 */
record CommittedOffset(long offset, int leaderEpoch, String metadata, long commitTimestampMs, long expireTimestampMs) {

    static final long NO_EXPIRY = -1L;

    CommittedOffset {
        metadata = metadata == null ? "" : metadata;
    }
}
