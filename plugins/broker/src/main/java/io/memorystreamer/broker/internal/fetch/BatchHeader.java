package io.memorystreamer.broker.internal.fetch;

import java.nio.ByteBuffer;
import org.apache.kafka.common.record.internal.DefaultRecordBatch;

/**
 * The fixed-size header of a v2 record batch, read without touching the records (which may be
 * compressed). Producer id, epoch and sequence live here, so producer state can be rebuilt from a
 * log by reading headers only.
 *
 * @param baseOffset offset of the first record
 * @param lastOffset offset of the last record ({@code baseOffset + lastOffsetDelta})
 * @param sizeInBytes size of the whole batch, header included
 * @param magic the batch format version
 * @param attributes compression, timestamp type, transactional and control flags
 * @param maxTimestamp the largest record timestamp (the append time for LogAppendTime batches)
 * @param producerId the producer id, -1 for batches without one
 * @param producerEpoch the producer epoch
 * @param baseSequence the sequence of the first record
 * @param recordCount the number of records
 */
public record BatchHeader(
        long baseOffset,
        long lastOffset,
        int sizeInBytes,
        byte magic,
        short attributes,
        long maxTimestamp,
        long producerId,
        short producerEpoch,
        int baseSequence,
        int recordCount) {

    /** Bytes of a v2 batch header (the records follow). */
    public static final int SIZE = DefaultRecordBatch.RECORD_BATCH_OVERHEAD;
    /** Bytes before the length field ends: base offset (8) and length (4). */
    public static final int LOG_OVERHEAD = 12;

    // Field positions of the v2 layout (KIP-98), relative to the batch start.
    static final int BASE_OFFSET = 0;
    static final int LENGTH = 8;
    /** Position of the magic byte, which every batch format has at the same place. */
    public static final int MAGIC = 16;
    static final int ATTRIBUTES = 21;
    static final int LAST_OFFSET_DELTA = DefaultRecordBatch.LAST_OFFSET_DELTA_OFFSET;
    static final int MAX_TIMESTAMP = 35;
    static final int PRODUCER_ID = 43;
    static final int PRODUCER_EPOCH = 51;
    static final int BASE_SEQUENCE = 53;
    static final int RECORD_COUNT = DefaultRecordBatch.RECORDS_COUNT_OFFSET;

    private static final int TRANSACTIONAL_FLAG = 0x10;
    private static final int CONTROL_FLAG = 0x20;

    /**
     * Reads the header of the batch starting at {@code position}; the buffer's position and limit
     * are left alone.
     *
     * @throws IllegalArgumentException if fewer than {@link #SIZE} bytes remain at the position
     */
    public static BatchHeader read(ByteBuffer buffer, int position) {
        if (buffer.limit() - position < SIZE) {
            throw new IllegalArgumentException("a batch header needs " + SIZE + " bytes, "
                    + (buffer.limit() - position) + " remain");
        }
        long baseOffset = buffer.getLong(position + BASE_OFFSET);
        return new BatchHeader(
                baseOffset,
                baseOffset + buffer.getInt(position + LAST_OFFSET_DELTA),
                LOG_OVERHEAD + buffer.getInt(position + LENGTH),
                buffer.get(position + MAGIC),
                buffer.getShort(position + ATTRIBUTES),
                buffer.getLong(position + MAX_TIMESTAMP),
                buffer.getLong(position + PRODUCER_ID),
                buffer.getShort(position + PRODUCER_EPOCH),
                buffer.getInt(position + BASE_SEQUENCE),
                buffer.getInt(position + RECORD_COUNT));
    }

    /** The sequence of the last record, wrapping past {@link Integer#MAX_VALUE} as producers do. */
    public int lastSequence() {
        return baseSequence < 0 ? baseSequence
                : DefaultRecordBatch.incrementSequence(baseSequence, (int) (lastOffset - baseOffset));
    }

    public boolean hasProducerId() {
        return producerId >= 0;
    }

    public boolean isTransactional() {
        return (attributes & TRANSACTIONAL_FLAG) != 0;
    }

    public boolean isControl() {
        return (attributes & CONTROL_FLAG) != 0;
    }

    /** The offset after this batch. */
    public long nextOffset() {
        return lastOffset + 1;
    }
}
