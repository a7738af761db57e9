package io.memorystreamer.broker.internal.produce;

import io.memorystreamer.broker.internal.fetch.BatchHeader;
import java.nio.ByteBuffer;
import java.util.Iterator;
import org.apache.kafka.common.protocol.Errors;
import org.apache.kafka.common.record.internal.BaseRecords;
import org.apache.kafka.common.record.internal.CompressionType;
import org.apache.kafka.common.record.internal.MemoryRecords;
import org.apache.kafka.common.record.internal.MutableRecordBatch;
import org.apache.kafka.common.record.internal.RecordBatch;

/**
 * Checks the records of one partition of a produce request without decompressing them: exactly
 * one v2 batch, within the topic's size limit, with a valid CRC-32C and a sane header. Stateless.
 */
final class BatchValidator {

    /** Produce v7 introduced zstd (KIP-110). */
    private static final short FIRST_ZSTD_PRODUCE_VERSION = 7;
    private static final int MAX_COMPRESSION_ID = CompressionType.ZSTD.id;

    /** The verdict. */
    sealed interface Result permits Valid, Invalid {
    }

    /**
     * A batch fit to append.
     *
     * @param bytes the batch bytes, position 0 to limit, writable
     * @param batch a view of the same bytes, for in-place rewrites of header fields
     * @param header the decoded header
     */
    record Valid(ByteBuffer bytes, MutableRecordBatch batch, BatchHeader header) implements Result {
    }

    /** A refused batch. */
    record Invalid(Errors error, String message) implements Result {
    }

    private BatchValidator() {
    }

    static Result validate(BaseRecords records, int maxMessageBytes, short produceVersion) {
        if (!(records instanceof MemoryRecords memoryRecords)) {
            return invalid(Errors.INVALID_RECORD, "a produce request must carry exactly one record batch per partition");
        }
        ByteBuffer buffer = memoryRecords.buffer();
        int size = buffer.remaining();
        if (size <= BatchHeader.MAGIC) {
            return invalid(Errors.INVALID_RECORD, "a produce request must carry exactly one record batch per partition, got "
                    + size + " bytes");
        }
        byte magic = buffer.get(buffer.position() + BatchHeader.MAGIC);
        if (magic != RecordBatch.MAGIC_VALUE_V2) {
            return invalid(Errors.UNSUPPORTED_FOR_MESSAGE_FORMAT, "record batches must use format v2, got magic " + magic);
        }
        if (size < BatchHeader.SIZE) {
            return invalid(Errors.INVALID_RECORD, "truncated record batch of " + size + " bytes");
        }
        BatchHeader header = BatchHeader.read(buffer, buffer.position());
        if (header.sizeInBytes() < BatchHeader.SIZE) {
            return invalid(Errors.CORRUPT_MESSAGE, "record batch length " + header.sizeInBytes() + " is below the minimum");
        }
        if (header.sizeInBytes() != size) {
            return invalid(Errors.INVALID_RECORD, header.sizeInBytes() < size
                    ? "a produce request must carry exactly one record batch per partition"
                    : "truncated record batch: " + size + " of " + header.sizeInBytes() + " bytes");
        }
        if (header.baseOffset() != 0) {
            return invalid(Errors.INVALID_RECORD, "a produced batch must have base offset 0, got " + header.baseOffset());
        }
        if (size > maxMessageBytes) {
            return invalid(Errors.MESSAGE_TOO_LARGE, "record batch of " + size
                    + " bytes is larger than the topic's max.message.bytes " + maxMessageBytes);
        }
        ByteBuffer bytes = writableCopyIfNeeded(buffer.slice());
        MutableRecordBatch batch = onlyBatch(bytes);
        if (!batch.isValid()) {
            return invalid(Errors.CORRUPT_MESSAGE, "record batch CRC-32C does not match its content");
        }
        return checkHeader(header, produceVersion, bytes, batch);
    }

    private static Result checkHeader(BatchHeader header, short produceVersion, ByteBuffer bytes, MutableRecordBatch batch) {
        if (header.recordCount() < 1) {
            return invalid(Errors.INVALID_RECORD, "a record batch must hold at least one record");
        }
        if (header.lastOffset() - header.baseOffset() != header.recordCount() - 1L) {
            return invalid(Errors.INVALID_RECORD, "record count " + header.recordCount()
                    + " does not match last offset delta " + (header.lastOffset() - header.baseOffset()));
        }
        int compressionId = header.attributes() & 0x07;
        if (compressionId > MAX_COMPRESSION_ID) {
            return invalid(Errors.INVALID_RECORD, "unknown compression codec " + compressionId);
        }
        if (compressionId == CompressionType.ZSTD.id && produceVersion < FIRST_ZSTD_PRODUCE_VERSION) {
            return invalid(Errors.UNSUPPORTED_COMPRESSION_TYPE, "zstd needs produce request version 7 or later");
        }
        if (header.isControl()) {
            return invalid(Errors.INVALID_RECORD, "clients may not produce control batches");
        }
        if (header.isTransactional() && !header.hasProducerId()) {
            return invalid(Errors.INVALID_RECORD, "a transactional batch needs a producer id");
        }
        if (header.hasProducerId() && (header.producerEpoch() < 0 || header.baseSequence() < 0)) {
            return invalid(Errors.INVALID_RECORD, "an idempotent batch needs a producer epoch and sequence >= 0, got epoch "
                    + header.producerEpoch() + " sequence " + header.baseSequence());
        }
        return new Valid(bytes, batch, header);
    }

    private static MutableRecordBatch onlyBatch(ByteBuffer bytes) {
        Iterator<MutableRecordBatch> batches = MemoryRecords.readableRecords(bytes.duplicate()).batches().iterator();
        return batches.next();
    }

    /** Offsets and the LogAppendTime timestamp are written into the batch in place. */
    private static ByteBuffer writableCopyIfNeeded(ByteBuffer bytes) {
        if (!bytes.isReadOnly()) {
            return bytes;
        }
        ByteBuffer copy = ByteBuffer.allocate(bytes.remaining());
        copy.put(bytes.duplicate()).flip();
        return copy;
    }

    private static Invalid invalid(Errors error, String message) {
        return new Invalid(error, message);
    }
}
