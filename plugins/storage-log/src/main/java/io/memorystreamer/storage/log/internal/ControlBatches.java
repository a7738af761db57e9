package io.memorystreamer.storage.log.internal;

import java.io.EOFException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.util.Iterator;
import org.apache.kafka.common.record.internal.ControlRecordType;
import org.apache.kafka.common.record.internal.MemoryRecords;
import org.apache.kafka.common.record.internal.Record;
import org.apache.kafka.common.record.internal.RecordBatch;

/** Reads the type of a control batch (a transaction marker): the key of its one record. */
final class ControlBatches {

    private ControlBatches() {
    }

    /** The type of a control batch, or {@link ControlRecordType#UNKNOWN} when it has no record. */
    static ControlRecordType type(RecordBatch batch) {
        Iterator<Record> records = batch.iterator();
        if (!records.hasNext()) {
            return ControlRecordType.UNKNOWN;
        }
        return ControlRecordType.parse(records.next().key());
    }

    /** The type of the control batch of {@code size} bytes at {@code position} of a segment file. */
    static ControlRecordType type(FileChannel channel, long position, int size) throws IOException {
        ByteBuffer bytes = ByteBuffer.allocate(size);
        long pos = position;
        while (bytes.hasRemaining()) {
            if (channel.read(bytes, pos) < 0) {
                throw new EOFException("segment ended inside the control batch at " + position);
            }
            pos = position + bytes.position();
        }
        bytes.flip();
        Iterator<? extends RecordBatch> batches = MemoryRecords.readableRecords(bytes).batches().iterator();
        return batches.hasNext() ? type(batches.next()) : ControlRecordType.UNKNOWN;
    }
}
