package io.memorystreamer.broker.internal.produce;

import io.memorystreamer.broker.internal.fetch.BatchHeader;
import java.nio.ByteBuffer;
import org.apache.kafka.common.record.internal.CompressionType;
import org.apache.kafka.common.record.internal.DefaultRecordBatch;
import org.apache.kafka.common.record.internal.MutableRecordBatch;
import org.apache.kafka.common.record.internal.Record;
import org.apache.kafka.common.utils.internals.BufferSupplier;
import org.apache.kafka.common.utils.internals.ByteUtils;
import org.apache.kafka.common.utils.internals.CloseableIterator;

/**
 * Reads the structure of every record in a produced batch as a consumer will parse it: each
 * record's size, varints, key and value lengths and headers, and that the records fill the batch
 * exactly as many times as its header says. A batch's CRC-32C is computed by the producer over
 * what it sent, so it cannot catch records a faulty client wrote wrong; stored, such a batch
 * would stop every consumer of the partition at it. Key, value and header bytes are skipped,
 * never copied: an uncompressed batch is walked in place with no allocation per record, a
 * compressed one is decompressed as a stream through this thread's reusable buffers.
 */
final class RecordWalk {

    private static final ThreadLocal<BufferSupplier> DECOMPRESSION_BUFFERS =
            ThreadLocal.withInitial(BufferSupplier::create);

    private RecordWalk() {
    }

    /**
     * @param bytes the whole batch, from position 0
     * @param batch a view of the same batch
     * @return why the records cannot be read, or null when they all can
     */
    static String problem(ByteBuffer bytes, MutableRecordBatch batch, BatchHeader header) {
        if ((header.attributes() & 0x07) == CompressionType.NONE.id) {
            return walkUncompressed(bytes, header.recordCount());
        }
        return readCompressed((DefaultRecordBatch) batch);
    }

    private static String walkUncompressed(ByteBuffer bytes, int count) {
        ByteBuffer in = bytes.duplicate().position(BatchHeader.SIZE);
        int index = 0;
        try {
            for (; index < count; index++) {
                if (!in.hasRemaining()) {
                    return "the batch declares " + count + " records but holds " + index;
                }
                String problem = walkRecord(in);
                if (problem != null) {
                    return "record " + index + ": " + problem;
                }
            }
        } catch (RuntimeException e) {
            // a varint running past the batch end or longer than five (ten) bytes
            return "record " + index + " cannot be read: " + e;
        }
        if (in.hasRemaining()) {
            return in.remaining() + " bytes follow the batch's " + count + " records";
        }
        return null;
    }

    private static String walkRecord(ByteBuffer in) {
        int size = ByteUtils.readVarint(in);
        if (size <= 0 || size > in.remaining()) {
            return "record size " + size + " does not fit the " + in.remaining() + " bytes left in the batch";
        }
        int end = in.position() + size;
        in.get(); // attributes
        ByteUtils.readVarlong(in); // timestamp delta
        ByteUtils.readVarint(in); // offset delta
        skip(in, ByteUtils.readVarint(in), end); // key, null when negative
        skip(in, ByteUtils.readVarint(in), end); // value, null when negative
        int headers = ByteUtils.readVarint(in);
        if (headers < 0) {
            return "negative header count " + headers;
        }
        for (int i = 0; i < headers; i++) {
            int keySize = ByteUtils.readVarint(in);
            if (keySize < 0) {
                return "header " + i + " has a negative key size " + keySize;
            }
            skip(in, keySize, end);
            skip(in, ByteUtils.readVarint(in), end);
        }
        if (in.position() != end) {
            return "record size " + size + " does not match its content of " + (size - (end - in.position())) + " bytes";
        }
        return null;
    }

    /** Skips a length-prefixed field; one that would end past its record fails the walk. */
    private static void skip(ByteBuffer in, int length, int recordEnd) {
        if (length <= 0) {
            return;
        }
        if (length > recordEnd - in.position()) {
            throw new IllegalArgumentException("a field of " + length + " bytes runs past the end of its record");
        }
        in.position(in.position() + length);
    }

    private static String readCompressed(DefaultRecordBatch batch) {
        // Kafka's own reader: it decompresses, skips keys and values, and checks the record count
        // and that nothing follows the last record.
        try (CloseableIterator<Record> records = batch.skipKeyValueIterator(DECOMPRESSION_BUFFERS.get())) {
            while (records.hasNext()) {
                records.next();
            }
        } catch (RuntimeException e) {
            return "compressed records cannot be read: " + (e.getCause() != null ? e.getCause().getMessage() : e.getMessage());
        }
        return null;
    }
}
