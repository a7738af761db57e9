package io.memorystreamer.broker.internal.fetch;

import io.memorystreamer.spi.storage.LogChunk;
import io.memorystreamer.spi.storage.LogReadResult;
import io.memorystreamer.spi.storage.PartitionLog;
import io.memorystreamer.spi.storage.StorageException;
import java.io.EOFException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.List;
import java.util.function.Consumer;

/**
 * Visits the headers of a range of batches in a log. From file regions it reads only the header
 * bytes of each batch, hopping over the records, so walking a log costs one small read per batch
 * rather than reading (or decompressing) its data.
 */
public final class BatchHeaderWalker {

    /** How many bytes of batches one log read covers. */
    private static final int READ_STEP = 1 << 20;

    private BatchHeaderWalker() {
    }

    /**
     * Visits, in offset order, every batch whose last offset is in {@code [fromOffset, toOffset)}.
     * Batches below the log start offset are skipped.
     *
     * @throws StorageException if the log cannot be read or holds a malformed batch
     */
    public static void walk(PartitionLog log, long fromOffset, long toOffset, Consumer<BatchHeader> visitor) {
        long next = Math.max(fromOffset, log.logStartOffset());
        ByteBuffer scratch = ByteBuffer.allocate(BatchHeader.SIZE);
        while (next < toOffset) {
            LogReadResult result = log.read(next, READ_STEP, toOffset, true);
            if (result.isEmpty()) {
                return;
            }
            long last = -1;
            for (LogChunk chunk : result.chunks()) {
                last = walkChunk(chunk, scratch, fromOffset, visitor);
            }
            if (last < next) {
                throw new StorageException(log.partition() + ": a read at offset " + next + " did not advance");
            }
            next = last + 1;
        }
    }

    /**
     * The offset after the last batch of some chunks a read returned, or -1 when they hold no
     * batch. Reads one header per batch.
     *
     * @throws StorageException if a chunk cannot be read or holds a malformed batch
     */
    public static long nextOffsetAfter(List<LogChunk> chunks) {
        ByteBuffer scratch = ByteBuffer.allocate(BatchHeader.SIZE);
        long last = -1;
        for (LogChunk chunk : chunks) {
            last = Math.max(last, walkChunk(chunk, scratch, Long.MIN_VALUE, header -> { }));
        }
        return last < 0 ? -1 : last + 1;
    }

    /** Visits the batches of one chunk and returns the last offset seen. */
    private static long walkChunk(LogChunk chunk, ByteBuffer scratch, long fromOffset, Consumer<BatchHeader> visitor) {
        return switch (chunk) {
            case LogChunk.Bytes bytes -> walkBytes(bytes.buffer(), fromOffset, visitor);
            case LogChunk.FileRegion region -> walkRegion(region, scratch, fromOffset, visitor);
        };
    }

    private static long walkBytes(ByteBuffer buffer, long fromOffset, Consumer<BatchHeader> visitor) {
        long last = -1;
        int position = buffer.position();
        while (position < buffer.limit()) {
            if (buffer.limit() - position < BatchHeader.SIZE) {
                throw new StorageException("malformed batch: " + (buffer.limit() - position)
                        + " bytes left at the end of a chunk, fewer than a header");
            }
            BatchHeader header = checked(BatchHeader.read(buffer, position), buffer.limit() - position);
            if (header.lastOffset() >= fromOffset) {
                visitor.accept(header);
            }
            last = header.lastOffset();
            position += header.sizeInBytes();
        }
        return last;
    }

    private static long walkRegion(LogChunk.FileRegion region, ByteBuffer scratch, long fromOffset,
            Consumer<BatchHeader> visitor) {
        long last = -1;
        long position = region.position();
        long end = region.position() + region.size();
        try {
            while (position < end) {
                if (end - position < BatchHeader.SIZE) {
                    throw new StorageException("malformed batch: " + (end - position)
                            + " bytes left at the end of a chunk, fewer than a header");
                }
                scratch.clear();
                readFully(region, scratch, position);
                BatchHeader header = checked(BatchHeader.read(scratch, 0), end - position);
                if (header.lastOffset() >= fromOffset) {
                    visitor.accept(header);
                }
                last = header.lastOffset();
                position += header.sizeInBytes();
            }
        } catch (IOException e) {
            throw new StorageException("cannot read batch headers: " + e.getMessage(), e);
        }
        return last;
    }

    private static void readFully(LogChunk.FileRegion region, ByteBuffer target, long position) throws IOException {
        long at = position;
        while (target.hasRemaining()) {
            int n = region.channel().read(target, at);
            if (n < 0) {
                throw new EOFException("file ended inside a batch header at " + at);
            }
            at += n;
        }
    }

    private static BatchHeader checked(BatchHeader header, long bytesLeft) {
        if (header.sizeInBytes() < BatchHeader.SIZE || header.sizeInBytes() > bytesLeft) {
            throw new StorageException("malformed batch at offset " + header.baseOffset() + ": size "
                    + header.sizeInBytes() + ", " + bytesLeft + " bytes left in the chunk");
        }
        return header;
    }
}
