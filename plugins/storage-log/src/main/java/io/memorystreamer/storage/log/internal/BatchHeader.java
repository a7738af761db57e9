package io.memorystreamer.storage.log.internal;

import java.nio.ByteBuffer;
import java.util.zip.CRC32C;

/**
 * The fixed layout of a Kafka record batch header, magic v2 (big-endian). Storage reads only
 * these fields; it never looks at individual records.
 */
final class BatchHeader {

    static final int BASE_OFFSET = 0;
    static final int BATCH_LENGTH = 8;
    static final int PARTITION_LEADER_EPOCH = 12;
    static final int MAGIC = 16;
    static final int CRC = 17;
    static final int ATTRIBUTES = 21;
    static final int LAST_OFFSET_DELTA = 23;
    static final int BASE_TIMESTAMP = 27;
    static final int MAX_TIMESTAMP = 35;
    static final int PRODUCER_ID = 43;
    static final int PRODUCER_EPOCH = 51;
    static final int BASE_SEQUENCE = 53;
    static final int RECORD_COUNT = 57;

    /** Bytes before the first record. */
    static final int HEADER_SIZE = 61;
    /** The base offset and batch length fields, which {@code batchLength} does not count. */
    static final int LOG_OVERHEAD = 12;
    static final byte MAGIC_V2 = 2;
    /** Kafka's "no timestamp". */
    static final long NO_TIMESTAMP = -1;
    /** Attribute bits: the batch belongs to a transaction / holds control records (markers). */
    static final int TRANSACTIONAL_FLAG = 0x10;
    static final int CONTROL_FLAG = 0x20;

    private BatchHeader() {
    }

    static long baseOffset(ByteBuffer buffer, int batchStart) {
        return buffer.getLong(batchStart + BASE_OFFSET);
    }

    /** The whole batch size in bytes: the length field plus the fields it does not count. */
    static long batchSize(ByteBuffer buffer, int batchStart) {
        return (long) buffer.getInt(batchStart + BATCH_LENGTH) + LOG_OVERHEAD;
    }

    static byte magic(ByteBuffer buffer, int batchStart) {
        return buffer.get(batchStart + MAGIC);
    }

    static int lastOffsetDelta(ByteBuffer buffer, int batchStart) {
        return buffer.getInt(batchStart + LAST_OFFSET_DELTA);
    }

    static long maxTimestamp(ByteBuffer buffer, int batchStart) {
        return buffer.getLong(batchStart + MAX_TIMESTAMP);
    }

    static int recordCount(ByteBuffer buffer, int batchStart) {
        return buffer.getInt(batchStart + RECORD_COUNT);
    }

    /**
     * Why the header at {@code batchStart} cannot start a batch of at most {@code available}
     * bytes, or {@code null} when its magic and lengths are sane. Does not check the CRC.
     */
    static String headerProblem(ByteBuffer buffer, int batchStart, long available) {
        if (available < HEADER_SIZE) {
            return "only " + available + " bytes left, a batch header needs " + HEADER_SIZE;
        }
        byte magic = magic(buffer, batchStart);
        if (magic != MAGIC_V2) {
            return "magic " + magic + ", only magic " + MAGIC_V2 + " is stored";
        }
        long size = batchSize(buffer, batchStart);
        if (size < HEADER_SIZE) {
            return "batch length " + (size - LOG_OVERHEAD) + " is shorter than a header";
        }
        if (size > available) {
            return "batch of " + size + " bytes but only " + available + " bytes left";
        }
        if (lastOffsetDelta(buffer, batchStart) < 0) {
            return "negative last offset delta " + lastOffsetDelta(buffer, batchStart);
        }
        if (recordCount(buffer, batchStart) < 0) {
            return "negative record count " + recordCount(buffer, batchStart);
        }
        return null;
    }

    /** Whether the stored CRC-32C matches the bytes from the attributes to the end of the batch. */
    static boolean crcValid(ByteBuffer buffer, int batchStart, int size, CRC32C crc) {
        crc.reset();
        crc.update(buffer.slice(batchStart + ATTRIBUTES, size - ATTRIBUTES));
        return Integer.toUnsignedLong(buffer.getInt(batchStart + CRC)) == crc.getValue();
    }
}
