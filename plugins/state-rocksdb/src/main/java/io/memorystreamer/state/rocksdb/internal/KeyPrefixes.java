package io.memorystreamer.state.rocksdb.internal;

/** Bounds of the key range that a prefix scan covers, in unsigned byte order. */
public final class KeyPrefixes {

    private KeyPrefixes() {}

    /**
     * The smallest key greater than every key that starts with {@code prefix}, or {@code null}
     * when there is none: the prefix is empty or all {@code 0xFF}. In that case every key at or
     * after the prefix starts with it, so a scan simply runs to the end of the namespace.
     */
    public static byte[] exclusiveUpperBound(byte[] prefix) {
        int last = prefix.length - 1;
        while (last >= 0 && prefix[last] == (byte) 0xFF) {
            last--;
        }
        if (last < 0) {
            return null;
        }
        byte[] bound = new byte[last + 1];
        System.arraycopy(prefix, 0, bound, 0, last + 1);
        bound[last]++;
        return bound;
    }
}
