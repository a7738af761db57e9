package io.memorystreamer.broker.internal.codec;

import io.memorystreamer.broker.internal.api.LogChunkRecords;
import io.memorystreamer.spi.storage.LogChunk;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import org.apache.kafka.common.Uuid;
import org.apache.kafka.common.protocol.ByteBufferAccessor;
import org.apache.kafka.common.protocol.Writable;
import org.apache.kafka.common.record.internal.BaseRecords;
import org.apache.kafka.common.record.internal.MemoryRecords;

/**
 * A {@link Writable} for one response: fields go into one heap buffer sized beforehand for
 * everything but records; records are not copied but become parts of their own between the heap
 * slices, so file regions reach the transport as they are (sendfile). Not thread-safe; one use.
 */
final class ResponseWriter implements Writable {

    private final ByteBuffer buffer;
    private final ByteBufferAccessor out;
    private final List<LogChunk> parts = new ArrayList<>(4);
    private int sliceStart;

    /** @param buffer heap buffer of exactly the size of the response's non-record bytes */
    ResponseWriter(ByteBuffer buffer) {
        this.buffer = buffer;
        this.out = new ByteBufferAccessor(buffer);
        this.sliceStart = buffer.position();
    }

    @Override
    public void writeRecords(BaseRecords records) {
        if (records.sizeInBytes() == 0) {
            return;
        }
        if (records instanceof LogChunkRecords chunks) {
            cutHeapSlice();
            parts.addAll(chunks.chunks());
        } else if (records instanceof MemoryRecords memory) {
            cutHeapSlice();
            parts.add(new LogChunk.Bytes(memory.buffer().duplicate()));
        } else {
            throw new IllegalArgumentException("cannot encode records of type " + records.getClass().getName());
        }
    }

    /**
     * The parts of the response, in order.
     *
     * @throws IllegalStateException when the bytes written do not fill the buffer exactly, which
     *     means sizing and writing disagreed
     */
    List<LogChunk> finish() {
        if (buffer.hasRemaining()) {
            throw new IllegalStateException("response encoded " + buffer.position() + " bytes but was sized for "
                    + buffer.limit());
        }
        cutHeapSlice();
        return parts;
    }

    private void cutHeapSlice() {
        int end = buffer.position();
        if (end > sliceStart) {
            parts.add(new LogChunk.Bytes(buffer.slice(sliceStart, end - sliceStart)));
            sliceStart = end;
        }
    }

    @Override
    public void writeByte(byte val) {
        out.writeByte(val);
    }

    @Override
    public void writeShort(short val) {
        out.writeShort(val);
    }

    @Override
    public void writeInt(int val) {
        out.writeInt(val);
    }

    @Override
    public void writeLong(long val) {
        out.writeLong(val);
    }

    @Override
    public void writeDouble(double val) {
        out.writeDouble(val);
    }

    @Override
    public void writeByteArray(byte[] arr) {
        out.writeByteArray(arr);
    }

    @Override
    public void writeUnsignedVarint(int i) {
        out.writeUnsignedVarint(i);
    }

    @Override
    public void writeByteBuffer(ByteBuffer src) {
        out.writeByteBuffer(src);
    }

    @Override
    public void writeVarint(int i) {
        out.writeVarint(i);
    }

    @Override
    public void writeVarlong(long i) {
        out.writeVarlong(i);
    }

    @Override
    public void writeUuid(Uuid uuid) {
        out.writeUuid(uuid);
    }
}
