package io.memorystreamer.broker.internal.produce;

import io.memorystreamer.broker.internal.fetch.BatchHeader;
import io.memorystreamer.spi.storage.LogChunk;
import io.memorystreamer.spi.storage.LogReadResult;
import io.memorystreamer.spi.storage.PartitionLog;
import io.memorystreamer.spi.storage.StorageException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.Iterator;
import org.apache.kafka.common.record.internal.ControlRecordType;
import org.apache.kafka.common.record.internal.EndTransactionMarker;
import org.apache.kafka.common.record.internal.MemoryRecords;
import org.apache.kafka.common.record.internal.MutableRecordBatch;
import org.apache.kafka.common.record.internal.Record;

/**
 * Reads the transaction marker of a control batch found while replaying a log. The header only
 * says "control"; whether it commits or aborts is in its one record, so the batch (a few dozen
 * bytes, never compressed) is read whole.
 */
final class ControlBatchReader {

    /** A COMMIT or ABORT marker, or some other control record (ignored). */
    record Marker(ControlRecordType type, int coordinatorEpoch) {
        boolean isEndTransaction() {
            return type == ControlRecordType.COMMIT || type == ControlRecordType.ABORT;
        }
    }

    private ControlBatchReader() {
    }

    /**
     * @throws StorageException if the batch cannot be read or is not a well-formed control batch
     */
    static Marker read(PartitionLog log, BatchHeader header) {
        LogReadResult result = log.read(header.baseOffset(), header.sizeInBytes(), header.nextOffset(), true);
        if (result.isEmpty()) {
            throw new StorageException(log.partition() + ": control batch at " + header.baseOffset() + " is gone");
        }
        ByteBuffer bytes = bytesOf(result.chunks().getFirst());
        Iterator<MutableRecordBatch> batches = MemoryRecords.readableRecords(bytes).batches().iterator();
        if (!batches.hasNext()) {
            throw new StorageException(log.partition() + ": no batch at " + header.baseOffset());
        }
        Iterator<Record> records = batches.next().iterator();
        if (!records.hasNext()) {
            throw new StorageException(log.partition() + ": empty control batch at " + header.baseOffset());
        }
        Record record = records.next();
        try {
            ControlRecordType type = ControlRecordType.parse(record.key());
            if (type != ControlRecordType.COMMIT && type != ControlRecordType.ABORT) {
                return new Marker(type, -1);
            }
            return new Marker(type, EndTransactionMarker.deserialize(record).coordinatorEpoch());
        } catch (RuntimeException e) {
            throw new StorageException(log.partition() + ": malformed control record at " + header.baseOffset()
                    + ": " + e.getMessage(), e);
        }
    }

    private static ByteBuffer bytesOf(LogChunk chunk) {
        return switch (chunk) {
            case LogChunk.Bytes bytes -> bytes.buffer().duplicate();
            case LogChunk.FileRegion region -> {
                try {
                    yield region.readFully();
                } catch (IOException e) {
                    throw new StorageException("cannot read a control batch: " + e.getMessage(), e);
                }
            }
        };
    }
}
