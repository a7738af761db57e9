package io.memorystreamer.broker.internal.produce;

import io.memorystreamer.broker.internal.fetch.BatchHeader;
import java.nio.ByteBuffer;
import io.memorystreamer.broker.internal.topic.EffectiveTopicConfig;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.message.ProduceResponseData.BatchIndexAndErrorMessage;
import org.apache.kafka.common.protocol.Errors;
import org.apache.kafka.common.record.internal.BaseRecords;
import org.apache.kafka.common.record.internal.CompressionType;
import org.apache.kafka.common.record.internal.DefaultRecordBatch;
import org.apache.kafka.common.record.internal.MemoryRecords;
import org.apache.kafka.common.record.internal.MutableRecordBatch;
import org.apache.kafka.common.record.internal.Record;
import org.apache.kafka.common.record.internal.RecordBatch;
import org.apache.kafka.common.utils.internals.BufferSupplier;
import org.apache.kafka.common.utils.internals.CloseableIterator;

/**
 * Checks the records of one partition of a produce request: exactly one v2 batch, within the
 * topic's size limit, with a valid CRC-32C, a sane header and records a consumer can parse
 * ({@link RecordWalk}). For a compacted topic the records are also refused without a key, as
 * Kafka does. Stateless.
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

    /**
     * A refused batch.
     *
     * @param recordErrors the records that made it fail, by index in the batch, empty when the
     *     batch failed as a whole
     */
    record Invalid(Errors error, String message, List<BatchIndexAndErrorMessage> recordErrors) implements Result {
    }

    private BatchValidator() {
    }

    /**
     * @param config the topic's size limit and cleanup policy
     * @param partition the partition, named in the message of a refusal by record
     */
    static Result validate(BaseRecords records, EffectiveTopicConfig config, TopicPartition partition,
            short produceVersion) {
        Result result = validate(records, config.maxMessageBytes(), produceVersion);
        if (config.compacted() && result instanceof Valid valid) {
            return checkKeys(valid, partition);
        }
        return result;
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
        String unreadable = RecordWalk.problem(bytes, batch, header);
        if (unreadable != null) {
            return invalid(Errors.INVALID_RECORD, "malformed records: " + unreadable);
        }
        return new Valid(bytes, batch, header);
    }

    /** A compacted topic keeps the latest record per key: a record without one has no place in it. */
    private static Result checkKeys(Valid valid, TopicPartition partition) {
        if (!(valid.batch() instanceof DefaultRecordBatch batch)) {
            return valid;
        }
        List<BatchIndexAndErrorMessage> keyless = null;
        int index = 0;
        // Key and value bytes are skipped, not copied: only their sizes are read.
        try (CloseableIterator<Record> records = batch.skipKeyValueIterator(BufferSupplier.NO_CACHING)) {
            while (records.hasNext()) {
                if (!records.next().hasKey()) {
                    if (keyless == null) {
                        keyless = new ArrayList<>();
                    }
                    keyless.add(new BatchIndexAndErrorMessage().setBatchIndex(index).setBatchIndexErrorMessage(
                            "Compacted topic cannot accept message without key in topic partition " + partition + "."));
                }
                index++;
            }
        } catch (KafkaException e) {
            return invalid(Errors.CORRUPT_MESSAGE, "record batch cannot be read: " + e.getMessage());
        }
        if (keyless == null) {
            return valid;
        }
        // Kafka's wording: the partition's message sums up, each record error names its cause.
        return new Invalid(Errors.INVALID_RECORD, "One or more records have been rejected due to " + keyless.size()
                + " record errors in total, and only showing the first three errors at most: "
                + keyless.subList(0, Math.min(3, keyless.size())).stream()
                        .map(error -> "RecordError(batchIndex=" + error.batchIndex() + ", message='"
                                + error.batchIndexErrorMessage() + "')")
                        .toList(), List.copyOf(keyless));
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
        return new Invalid(error, message, List.of());
    }
}
