package io.memorystreamer.storage.log.internal;

import java.nio.ByteBuffer;
import java.security.DigestException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Arrays;

/**
 * A fixed-size map from record key to the latest offset seen for it, as Kafka's cleaner builds
 * one: keys are stored as their 128-bit MD5 digest (a collision between two live keys is
 * vanishingly unlikely at the sizes used), with the offset, in one {@code long[]} of three longs
 * per slot, probed linearly. Memory is bounded by the slot count chosen at construction; the map
 * never grows and refuses entries beyond its load factor. One thread uses a map at a time.
 */
final class OffsetMap {

    /** Bytes of memory one slot takes. */
    static final int BYTES_PER_SLOT = 3 * Long.BYTES;

    private final long[] slots;
    private final int mask;
    private final int maxEntries;
    private final MessageDigest md5;
    private final byte[] digest = new byte[16];
    private final ByteBuffer digestView = ByteBuffer.wrap(digest);
    private int entries;

    /**
     * @param wantedEntries how many keys the caller may add at most; the map is not made larger
     * @param maxBytes the memory budget
     * @param loadFactor how full the slots may get
     */
    OffsetMap(long wantedEntries, long maxBytes, double loadFactor) {
        long budgetSlots = Long.highestOneBit(Math.max(16, maxBytes / BYTES_PER_SLOT));
        long wantedSlots = Long.highestOneBit(Math.max(16, (long) Math.ceil(wantedEntries / loadFactor)) * 2 - 1);
        int slotCount = (int) Math.min(Math.min(budgetSlots, wantedSlots), 1 << 28);
        this.slots = new long[slotCount * 3];
        this.mask = slotCount - 1;
        this.maxEntries = Math.max(1, (int) (slotCount * loadFactor));
        try {
            this.md5 = MessageDigest.getInstance("MD5");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("MD5 is required of every Java platform", e);
        }
    }

    /** How many more keys fit. */
    int remaining() {
        return maxEntries - entries;
    }

    int size() {
        return entries;
    }

    /** Records {@code offset} as the latest offset of {@code key}; the caller checked {@link #remaining()}. */
    void put(ByteBuffer key, long offset) {
        hash(key);
        long hi = high();
        long lo = low();
        int slot = (int) (hi ^ lo) & mask;
        while (true) {
            int at = slot * 3;
            if (slots[at + 2] == 0) {
                if (entries >= maxEntries) {
                    throw new IllegalStateException("offset map is full: " + entries + " entries");
                }
                slots[at] = hi;
                slots[at + 1] = lo;
                slots[at + 2] = offset + 1;
                entries++;
                return;
            }
            if (slots[at] == hi && slots[at + 1] == lo) {
                slots[at + 2] = Math.max(slots[at + 2], offset + 1);
                return;
            }
            slot = (slot + 1) & mask;
        }
    }

    /** The latest offset recorded for {@code key}, or -1. */
    long get(ByteBuffer key) {
        hash(key);
        long hi = high();
        long lo = low();
        int slot = (int) (hi ^ lo) & mask;
        while (true) {
            int at = slot * 3;
            long stored = slots[at + 2];
            if (stored == 0) {
                return -1;
            }
            if (slots[at] == hi && slots[at + 1] == lo) {
                return stored - 1;
            }
            slot = (slot + 1) & mask;
        }
    }

    void clear() {
        Arrays.fill(slots, 0);
        entries = 0;
    }

    private void hash(ByteBuffer key) {
        int position = key.position();
        md5.update(key);
        key.position(position);
        try {
            md5.digest(digest, 0, digest.length);
        } catch (DigestException e) {
            throw new IllegalStateException(e);
        }
    }

    private long high() {
        return digestView.getLong(0);
    }

    private long low() {
        return digestView.getLong(8);
    }
}
