package io.memorystreamer.spi.storage;

import static java.nio.charset.StandardCharsets.UTF_8;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.zip.CRC32C;

/**
 * Builds valid, uncompressed Kafka record batches (magic v2, correct CRC-32C) for storage tests,
 * without kafka-clients, and takes them apart again.
 *
 * <p>Batch layout (big-endian): baseOffset int64, batchLength int32, partitionLeaderEpoch int32,
 * magic int8, crc uint32 (CRC-32C of every byte from attributes to the end), attributes int16,
 * lastOffsetDelta int32, baseTimestamp int64, maxTimestamp int64, producerId int64,
 * producerEpoch int16, baseSequence int32, recordCount int32, then the records. Every method
 * returns a fresh buffer positioned at zero.
 */
public final class TestBatches {

    /** Bytes before the first record. */
    public static final int HEADER_SIZE = 61;

    private static final int CRC_OFFSET = 17;
    private static final int ATTRIBUTES_OFFSET = 21;
    private static final short TRANSACTIONAL_FLAG = 0x10;

    private TestBatches() {
    }

    /** One record of a test batch; {@code key} may be {@code null}. */
    public record TestRecord(byte[] key, byte[] value, long timestamp) {
    }

    /** A batch of records with UTF-8 values, all stamped {@code timestamp}, base offset zero. */
    public static ByteBuffer batch(long timestamp, String... values) {
        Builder builder = builder();
        for (String value : values) {
            builder.record(null, value.getBytes(UTF_8), timestamp);
        }
        return builder.build();
    }

    /** A batch of {@code records} records whose values are {@code valueSize} bytes of filler. */
    public static ByteBuffer batchOfSize(long timestamp, int records, int valueSize) {
        Builder builder = builder();
        for (int i = 0; i < records; i++) {
            byte[] value = new byte[valueSize];
            java.util.Arrays.fill(value, (byte) ('a' + i % 26));
            builder.record(null, value, timestamp);
        }
        return builder.build();
    }

    /** A builder for one batch. */
    public static Builder builder() {
        return new Builder();
    }

    /** Concatenates whole batches into one buffer, as a produce request carries them. */
    public static ByteBuffer concat(ByteBuffer... batches) {
        int size = 0;
        for (ByteBuffer batch : batches) {
            size += batch.remaining();
        }
        ByteBuffer all = ByteBuffer.allocate(size);
        for (ByteBuffer batch : batches) {
            all.put(batch.duplicate());
        }
        return all.flip();
    }

    /** Splits back-to-back batches into one read-only slice per batch. */
    public static List<ByteBuffer> split(ByteBuffer batches) {
        List<ByteBuffer> result = new ArrayList<>();
        int pos = batches.position();
        while (pos < batches.limit()) {
            int size = batches.getInt(pos + 8) + 12;
            result.add(batches.slice(pos, size).asReadOnlyBuffer());
            pos += size;
        }
        return result;
    }

    /** A copy of {@code batch} with its base offset field set, as a log stores it. */
    public static ByteBuffer withBaseOffset(ByteBuffer batch, long baseOffset) {
        ByteBuffer copy = concat(batch);
        copy.putLong(0, baseOffset);
        return copy;
    }

    /** A copy of back-to-back {@code batches} with base offsets assigned from {@code firstOffset}. */
    public static ByteBuffer withOffsetsFrom(ByteBuffer batches, long firstOffset) {
        ByteBuffer copy = concat(batches);
        long next = firstOffset;
        int pos = 0;
        while (pos < copy.limit()) {
            copy.putLong(pos, next);
            next += copy.getInt(pos + 23) + 1L;
            pos += copy.getInt(pos + 8) + 12;
        }
        return copy;
    }

    /** The base offset of the batch at the buffer's position. */
    public static long baseOffset(ByteBuffer batch) {
        return batch.getLong(batch.position());
    }

    /** The last offset of the batch at the buffer's position. */
    public static long lastOffset(ByteBuffer batch) {
        return baseOffset(batch) + batch.getInt(batch.position() + 23);
    }

    /** The number of records of the batch at the buffer's position. */
    public static int recordCount(ByteBuffer batch) {
        return batch.getInt(batch.position() + 57);
    }

    /** The max timestamp of the batch at the buffer's position. */
    public static long maxTimestamp(ByteBuffer batch) {
        return batch.getLong(batch.position() + 35);
    }

    /** Whether the CRC-32C of the batch at the buffer's position matches its content. */
    public static boolean crcValid(ByteBuffer batch) {
        int pos = batch.position();
        int size = batch.getInt(pos + 8) + 12;
        CRC32C crc = new CRC32C();
        crc.update(batch.slice(pos + ATTRIBUTES_OFFSET, size - ATTRIBUTES_OFFSET));
        return Integer.toUnsignedLong(batch.getInt(pos + CRC_OFFSET)) == crc.getValue();
    }

    /** All bytes of a read result, chunk after chunk. */
    public static ByteBuffer bytesOf(LogReadResult result) {
        ByteBuffer all = ByteBuffer.allocate(result.sizeInBytes());
        for (LogChunk chunk : result.chunks()) {
            switch (chunk) {
                case LogChunk.Bytes bytes -> all.put(bytes.buffer().duplicate());
                case LogChunk.FileRegion region -> {
                    try {
                        all.put(region.readFully());
                    } catch (IOException e) {
                        throw new UncheckedIOException(e);
                    }
                }
            }
        }
        return all.flip();
    }

    /** The values of every record of the uncompressed batches in {@code batches}, as UTF-8. */
    public static List<String> values(ByteBuffer batches) {
        List<String> values = new ArrayList<>();
        for (ByteBuffer batch : split(batches)) {
            int pos = HEADER_SIZE;
            int count = batch.getInt(57);
            for (int i = 0; i < count; i++) {
                int[] cursor = {pos};
                long bodyLength = readVarlong(batch, cursor);
                int bodyStart = cursor[0];
                cursor[0] += 1; // attributes
                readVarlong(batch, cursor); // timestamp delta
                readVarlong(batch, cursor); // offset delta
                long keyLength = readVarlong(batch, cursor);
                cursor[0] += (int) Math.max(0, keyLength);
                long valueLength = readVarlong(batch, cursor);
                byte[] value = new byte[(int) Math.max(0, valueLength)];
                batch.get(cursor[0], value);
                values.add(new String(value, UTF_8));
                pos = bodyStart + (int) bodyLength;
            }
        }
        return values;
    }

    private static long readVarlong(ByteBuffer buffer, int[] cursor) {
        long raw = 0;
        int shift = 0;
        byte b;
        do {
            b = buffer.get(cursor[0]++);
            raw |= (long) (b & 0x7f) << shift;
            shift += 7;
        } while ((b & 0x80) != 0);
        return (raw >>> 1) ^ -(raw & 1);
    }

    /** Builds one uncompressed v2 batch. Defaults: no producer id, leader epoch -1, offset 0. */
    public static final class Builder {

        private final List<TestRecord> records = new ArrayList<>();
        private long baseOffset;
        private int partitionLeaderEpoch = -1;
        private long producerId = -1;
        private short producerEpoch = -1;
        private int baseSequence = -1;
        private boolean transactional;

        private Builder() {
        }

        public Builder baseOffset(long offset) {
            this.baseOffset = offset;
            return this;
        }

        public Builder partitionLeaderEpoch(int epoch) {
            this.partitionLeaderEpoch = epoch;
            return this;
        }

        /** Marks the batch as written by an idempotent producer. */
        public Builder producer(long id, short epoch, int firstSequence) {
            this.producerId = id;
            this.producerEpoch = epoch;
            this.baseSequence = firstSequence;
            return this;
        }

        public Builder transactional(boolean value) {
            this.transactional = value;
            return this;
        }

        public Builder record(byte[] key, byte[] value, long timestamp) {
            records.add(new TestRecord(key, value, timestamp));
            return this;
        }

        public Builder record(String value, long timestamp) {
            return record(null, value.getBytes(UTF_8), timestamp);
        }

        /** The batch; at least one record is required. */
        public ByteBuffer build() {
            if (records.isEmpty()) {
                throw new IllegalStateException("a test batch needs at least one record");
            }
            long baseTimestamp = records.getFirst().timestamp();
            long maxTimestamp = Long.MIN_VALUE;
            ByteArrayOutputStream body = new ByteArrayOutputStream();
            for (int i = 0; i < records.size(); i++) {
                TestRecord record = records.get(i);
                maxTimestamp = Math.max(maxTimestamp, record.timestamp());
                writeRecord(body, record, record.timestamp() - baseTimestamp, i);
            }
            byte[] recordBytes = body.toByteArray();
            ByteBuffer batch = ByteBuffer.allocate(HEADER_SIZE + recordBytes.length);
            batch.putLong(baseOffset)
                    .putInt(HEADER_SIZE + recordBytes.length - 12)
                    .putInt(partitionLeaderEpoch)
                    .put((byte) 2)
                    .putInt(0) // crc, filled below
                    .putShort(transactional ? TRANSACTIONAL_FLAG : 0)
                    .putInt(records.size() - 1)
                    .putLong(baseTimestamp)
                    .putLong(maxTimestamp)
                    .putLong(producerId)
                    .putShort(producerEpoch)
                    .putInt(baseSequence)
                    .putInt(records.size())
                    .put(recordBytes);
            CRC32C crc = new CRC32C();
            crc.update(batch.array(), ATTRIBUTES_OFFSET, batch.capacity() - ATTRIBUTES_OFFSET);
            batch.putInt(CRC_OFFSET, (int) crc.getValue());
            return batch.flip();
        }

        private static void writeRecord(ByteArrayOutputStream out, TestRecord record, long timestampDelta,
                int offsetDelta) {
            ByteArrayOutputStream body = new ByteArrayOutputStream();
            body.write(0); // attributes
            writeVarlong(body, timestampDelta);
            writeVarlong(body, offsetDelta);
            writeBytes(body, record.key());
            writeBytes(body, record.value());
            writeVarlong(body, 0); // no headers
            writeVarlong(out, body.size());
            out.writeBytes(body.toByteArray());
        }

        private static void writeBytes(ByteArrayOutputStream out, byte[] bytes) {
            if (bytes == null) {
                writeVarlong(out, -1);
            } else {
                writeVarlong(out, bytes.length);
                out.writeBytes(bytes);
            }
        }

        private static void writeVarlong(ByteArrayOutputStream out, long value) {
            long zigzag = (value << 1) ^ (value >> 63);
            while ((zigzag & ~0x7fL) != 0) {
                out.write((int) ((zigzag & 0x7f) | 0x80));
                zigzag >>>= 7;
            }
            out.write((int) zigzag);
        }
    }
}
