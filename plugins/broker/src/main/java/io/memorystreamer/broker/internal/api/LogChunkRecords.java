package io.memorystreamer.broker.internal.api;

import io.memorystreamer.spi.storage.LogChunk;
import java.io.IOException;
import java.util.List;
import org.apache.kafka.common.network.TransferableChannel;
import org.apache.kafka.common.record.internal.BaseRecords;
import org.apache.kafka.common.record.internal.RecordsSend;

/**
 * Record batches read from a partition log, carried inside a response message (for example a
 * FetchResponse's {@code records}) so the response encoder can hand the chunks to the transport
 * as they are: file regions go out with sendfile, never through the heap.
 */
public final class LogChunkRecords implements BaseRecords {

    private final List<LogChunk> chunks;
    private final int sizeInBytes;

    public LogChunkRecords(List<LogChunk> chunks) {
        this.chunks = List.copyOf(chunks);
        int size = 0;
        for (LogChunk chunk : this.chunks) {
            size += chunk.sizeInBytes();
        }
        this.sizeInBytes = size;
    }

    public List<LogChunk> chunks() {
        return chunks;
    }

    @Override
    public int sizeInBytes() {
        return sizeInBytes;
    }

    /** Not used: responses are encoded by the broker's own encoder, which reads {@link #chunks()}. */
    @Override
    public RecordsSend<? extends BaseRecords> toSend() {
        return new RecordsSend<>(this, sizeInBytes) {
            @Override
            protected int writeTo(TransferableChannel channel, int previouslyWritten, int remaining)
                    throws IOException {
                throw new UnsupportedOperationException("LogChunkRecords are encoded by the broker encoder");
            }
        };
    }
}
