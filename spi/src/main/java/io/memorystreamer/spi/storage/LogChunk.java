package io.memorystreamer.spi.storage;

import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.util.Objects;

/**
 * A contiguous run of whole record batches returned by a read. Either bytes in memory, or a region
 * of a file that a transport can send without copying (sendfile).
 */
public sealed interface LogChunk permits LogChunk.Bytes, LogChunk.FileRegion {

    /** Size of the chunk in bytes. */
    int sizeInBytes();

    /**
     * Batches held in memory.
     *
     * @param buffer the bytes, position to limit; callers must not modify them
     */
    record Bytes(ByteBuffer buffer) implements LogChunk {
        public Bytes {
            Objects.requireNonNull(buffer, "buffer");
        }

        @Override
        public int sizeInBytes() {
            return buffer.remaining();
        }
    }

    /**
     * Batches stored in a file, to be sent as they are.
     *
     * <p>The channel stays open and the region stays unchanged until the chunk has been sent: a
     * log deletes segments only after a grace delay, and never rewrites bytes it has appended.
     * Receivers must not close the channel.
     *
     * @param channel the segment file
     * @param position the file position of the first byte
     * @param size the number of bytes
     */
    record FileRegion(FileChannel channel, long position, int size) implements LogChunk {
        public FileRegion {
            Objects.requireNonNull(channel, "channel");
            if (position < 0 || size < 0) {
                throw new IllegalArgumentException("position and size must be >= 0");
            }
        }

        @Override
        public int sizeInBytes() {
            return size;
        }

        /** Copies the region into memory, for callers that must look inside the batches. */
        public ByteBuffer readFully() throws java.io.IOException {
            ByteBuffer buffer = ByteBuffer.allocate(size);
            long pos = position;
            while (buffer.hasRemaining()) {
                int n = channel.read(buffer, pos);
                if (n < 0) {
                    throw new java.io.EOFException("segment ended before " + (position + size));
                }
                pos += n;
            }
            return buffer.flip();
        }
    }
}
