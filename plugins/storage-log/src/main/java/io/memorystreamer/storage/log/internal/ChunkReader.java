package io.memorystreamer.storage.log.internal;

import java.io.EOFException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;

/**
 * Reads runs of whole batches from a segment file into a reused buffer, for compaction. A batch
 * larger than the buffer is read into a buffer of its own size. Not thread-safe.
 */
final class ChunkReader {

    private final ByteBuffer reused;

    ChunkReader(int bufferBytes) {
        this.reused = ByteBuffer.allocate(Math.max(bufferBytes, BatchHeader.HEADER_SIZE));
    }

    /**
     * Whole batches from {@code position}, at least one, none reaching {@code limit}.
     *
     * @return the batches, position to limit; valid until the next call
     * @throws IOException when the bytes at {@code position} are not a whole batch
     */
    ByteBuffer read(FileChannel channel, long position, long limit) throws IOException {
        ByteBuffer buffer = fill(reused, channel, position, (int) Math.min(reused.capacity(), limit - position));
        int whole = wholeBatchBytes(buffer);
        if (whole == 0) {
            if (buffer.remaining() < BatchHeader.LOG_OVERHEAD) {
                throw new IOException("torn batch at position " + position);
            }
            long size = BatchHeader.batchSize(buffer, 0);
            if (size < BatchHeader.HEADER_SIZE || size > limit - position) {
                throw new IOException("batch of " + size + " bytes at position " + position + " does not fit");
            }
            buffer = fill(ByteBuffer.allocate((int) size), channel, position, (int) size);
            whole = (int) size;
        }
        return buffer.limit(whole);
    }

    private static ByteBuffer fill(ByteBuffer buffer, FileChannel channel, long position, int length)
            throws IOException {
        buffer.clear().limit(length);
        long pos = position;
        while (buffer.hasRemaining()) {
            int n = channel.read(buffer, pos);
            if (n < 0) {
                throw new EOFException("segment ended at " + pos);
            }
            pos += n;
        }
        return buffer.flip();
    }

    /** Bytes of the whole batches at the start of {@code buffer}. */
    private static int wholeBatchBytes(ByteBuffer buffer) {
        int pos = 0;
        while (buffer.limit() - pos >= BatchHeader.LOG_OVERHEAD) {
            long size = BatchHeader.batchSize(buffer, pos);
            if (size < BatchHeader.HEADER_SIZE || pos + size > buffer.limit()) {
                break;
            }
            pos += (int) size;
        }
        return pos;
    }
}
