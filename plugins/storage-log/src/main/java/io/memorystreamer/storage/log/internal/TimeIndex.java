package io.memorystreamer.storage.log.internal;

import java.lang.foreign.MemorySegment;
import java.nio.file.Path;

/**
 * The sparse time index of a segment ({@code .timeindex}): 12-byte entries of int64 timestamp and
 * int32 offset relative to the segment's base offset. An entry (T, X) says that every batch up to
 * and including the one holding offset X has a max timestamp of at most T; timestamps and offsets
 * strictly ascend. The last slot is kept for the entry written when the segment is sealed, which
 * records the segment's largest timestamp.
 */
final class TimeIndex extends MappedIndex {

    static final int ENTRY_SIZE = 12;

    // Written by the log's writer only.
    private long lastTimestamp = BatchHeader.NO_TIMESTAMP;

    TimeIndex(Path file, long baseOffset) {
        super(file, baseOffset, ENTRY_SIZE);
    }

    /** Full for ordinary entries (one slot stays free for the sealing entry). */
    boolean isFull() {
        return entries() >= capacity() - 1;
    }

    /** Loads the writer's view of the last entry after the file was opened or truncated. */
    void refreshLastTimestamp() {
        MemorySegment map = acquireRead();
        try {
            int count = entries();
            lastTimestamp = count == 0 ? BatchHeader.NO_TIMESTAMP : map.get(LONG, (long) (count - 1) * ENTRY_SIZE);
        } finally {
            releaseRead();
        }
    }

    /** The timestamp of the last entry, or -1 when the index is empty. */
    long lastTimestamp() {
        return lastTimestamp;
    }

    /**
     * Adds (timestamp, offset) if the timestamp is larger than the last entry's.
     *
     * @param sealing whether this is the last entry of the segment, which may use the reserved slot
     */
    void maybeAppend(long timestamp, long offset, boolean sealing) {
        int count = entries();
        if (timestamp <= lastTimestamp || count >= (sealing ? capacity() : capacity() - 1)) {
            return;
        }
        MemorySegment map = appendTarget();
        long at = (long) count * ENTRY_SIZE;
        map.set(LONG, at, timestamp);
        map.set(INT, at + 8, (int) (offset - baseOffset));
        lastTimestamp = timestamp;
        publish(count + 1);
    }

    /**
     * The offset of the last entry whose timestamp is below {@code timestamp}: every batch up to
     * it is older than {@code timestamp}. -1 when no entry is.
     */
    long offsetBefore(long timestamp) {
        MemorySegment map = acquireRead();
        try {
            int low = 0;
            int high = entries() - 1;
            int found = -1;
            while (low <= high) {
                int mid = (low + high) >>> 1;
                if (map.get(LONG, (long) mid * ENTRY_SIZE) < timestamp) {
                    found = mid;
                    low = mid + 1;
                } else {
                    high = mid - 1;
                }
            }
            return found < 0 ? -1 : baseOffset + map.get(INT, (long) found * ENTRY_SIZE + 8);
        } finally {
            releaseRead();
        }
    }

    /** Whether the first and last entries ascend and stay below {@code nextOffset} (a cheap check). */
    boolean isConsistentWith(long nextOffset) {
        MemorySegment map = acquireRead();
        try {
            int count = entries();
            if (count == 0) {
                return true;
            }
            long lastSlot = (long) (count - 1) * ENTRY_SIZE;
            int firstRelative = map.get(INT, 8L);
            int lastRelative = map.get(INT, lastSlot + 8);
            return firstRelative >= 0 && lastRelative >= firstRelative
                    && map.get(LONG, lastSlot) >= map.get(LONG, 0L)
                    && baseOffset + lastRelative < nextOffset;
        } finally {
            releaseRead();
        }
    }
}
