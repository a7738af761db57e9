package io.memorystreamer.storage.log.internal;

import java.lang.foreign.MemorySegment;
import java.nio.file.Path;

/**
 * The sparse offset index of a segment ({@code .index}): 8-byte entries of int32 offset relative
 * to the segment's base offset and int32 file position of a batch starting with that offset,
 * ascending in both. A lookup returns a position at or before the batch holding an offset, from
 * which a short header scan finds the batch.
 */
final class OffsetIndex extends MappedIndex {

    static final int ENTRY_SIZE = 8;

    OffsetIndex(Path file, long baseOffset) {
        super(file, baseOffset, ENTRY_SIZE);
    }

    boolean isFull() {
        return entries() >= capacity();
    }

    /**
     * Adds an entry for a batch starting at {@code offset}; a full index skips it (the index is
     * sparse, so a missing entry only lengthens a scan).
     */
    void append(long offset, int position) {
        int count = entries();
        if (count >= capacity()) {
            return;
        }
        MemorySegment map = appendTarget();
        long at = (long) count * ENTRY_SIZE;
        map.set(INT, at, (int) (offset - baseOffset));
        map.set(INT, at + 4, position);
        publish(count + 1);
    }

    /** The position of the last indexed batch at or before {@code offset}, 0 when none is indexed. */
    int floorPosition(long offset) {
        long relative = offset - baseOffset;
        if (relative <= 0) {
            return 0;
        }
        MemorySegment map = acquireRead();
        try {
            int slot = floorSlot(map, entries(), relative);
            return slot < 0 ? 0 : map.get(INT, (long) slot * ENTRY_SIZE + 4);
        } finally {
            releaseRead();
        }
    }

    /**
     * The position of the last indexed batch that starts at or below {@code maxPosition} with a
     * base offset at or below {@code maxOffset}, or -1 when none does. Every batch before that
     * position ends there and holds offsets below {@code maxOffset}, so a read can take them
     * whole without looking at their headers.
     */
    int floorBoundary(long maxOffset, long maxPosition) {
        long relative = maxOffset - baseOffset;
        if (relative < 0 || maxPosition < 0) {
            return -1;
        }
        MemorySegment map = acquireRead();
        try {
            int count = entries();
            int slot = Math.min(floorSlot(map, count, relative), floorPositionSlot(map, count, maxPosition));
            return slot < 0 ? -1 : map.get(INT, (long) slot * ENTRY_SIZE + 4);
        } finally {
            releaseRead();
        }
    }

    /** The absolute offset of the last entry, or -1 when the index is empty. */
    long lastOffset() {
        MemorySegment map = acquireRead();
        try {
            int count = entries();
            return count == 0 ? -1 : baseOffset + map.get(INT, (long) (count - 1) * ENTRY_SIZE);
        } finally {
            releaseRead();
        }
    }

    /** The position of the last entry, 0 when the index is empty. */
    int lastPosition() {
        MemorySegment map = acquireRead();
        try {
            int count = entries();
            return count == 0 ? 0 : map.get(INT, (long) (count - 1) * ENTRY_SIZE + 4);
        } finally {
            releaseRead();
        }
    }

    /** Drops the entries of batches at or after {@code offset}. */
    void truncateFrom(long offset) {
        long relative = offset - baseOffset;
        int keep;
        MemorySegment map = acquireRead();
        try {
            keep = floorSlot(map, entries(), relative - 1) + 1;
        } finally {
            releaseRead();
        }
        truncateEntries(keep);
    }

    /**
     * Whether the first and last entries point inside a segment of {@code segmentSize} bytes
     * ending before {@code nextOffset} (a cheap check, as Kafka's): a loaded index that fails it
     * is rebuilt.
     */
    boolean isConsistentWith(int segmentSize, long nextOffset) {
        MemorySegment map = acquireRead();
        try {
            int count = entries();
            if (count == 0) {
                return true;
            }
            long lastSlot = (long) (count - 1) * ENTRY_SIZE;
            int firstRelative = map.get(INT, 0L);
            int firstPosition = map.get(INT, 4L);
            int lastRelative = map.get(INT, lastSlot);
            int lastPosition = map.get(INT, lastSlot + 4);
            return firstRelative >= 0 && firstPosition >= 0 && lastRelative >= firstRelative
                    && lastPosition >= firstPosition && lastPosition < segmentSize
                    && baseOffset + lastRelative < nextOffset;
        } finally {
            releaseRead();
        }
    }

    /** The last slot whose relative offset is at most {@code relative}, or -1. */
    private static int floorSlot(MemorySegment map, int count, long relative) {
        return lastSlotAtMost(map, count, 0, relative);
    }

    /** The last slot whose position is at most {@code position}, or -1. */
    private static int floorPositionSlot(MemorySegment map, int count, long position) {
        return lastSlotAtMost(map, count, 4, position);
    }

    /** Binary search over one int field of the entries, ascending in both fields. */
    private static int lastSlotAtMost(MemorySegment map, int count, int fieldOffset, long value) {
        int low = 0;
        int high = count - 1;
        int found = -1;
        while (low <= high) {
            int mid = (low + high) >>> 1;
            if (map.get(INT, (long) mid * ENTRY_SIZE + fieldOffset) <= value) {
                found = mid;
                low = mid + 1;
            } else {
                high = mid - 1;
            }
        }
        return found;
    }
}
