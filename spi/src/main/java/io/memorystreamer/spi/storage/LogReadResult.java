package io.memorystreamer.spi.storage;

import java.util.List;

/**
 * Batches read from a log.
 *
 * @param chunks whole batches in offset order; empty when nothing is available at the offset
 * @param logStartOffset the log start offset when the read happened
 * @param logEndOffset the log end offset when the read happened
 */
public record LogReadResult(List<LogChunk> chunks, long logStartOffset, long logEndOffset) {

    public LogReadResult {
        chunks = List.copyOf(chunks);
    }

    /** Total bytes over all chunks. */
    public int sizeInBytes() {
        int total = 0;
        for (LogChunk chunk : chunks) {
            total += chunk.sizeInBytes();
        }
        return total;
    }

    public boolean isEmpty() {
        return chunks.isEmpty();
    }
}
