package io.memorystreamer.storage.log.internal;

import java.io.EOFException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;

/**
 * Hops from batch header to batch header in a segment file. It reads a window of bytes at a
 * time so that runs of small batches cost one read, and never reads record contents on purpose.
 * One scanner serves one read at a time (not thread-safe); it is cheap to create per read.
 */
final class BatchScanner {

    static final int DEFAULT_WINDOW = 4096;

    private final ByteBuffer window;
    private FileChannel channel;
    private long windowStart = -1;
    private int windowLength;
    private int headerAt;

    BatchScanner() {
        this(DEFAULT_WINDOW);
    }

    BatchScanner(int windowBytes) {
        this.window = ByteBuffer.allocate(Math.max(windowBytes, BatchHeader.HEADER_SIZE));
    }

    /** Points the scanner at another file. */
    BatchScanner on(FileChannel file) {
        if (this.channel != file) {
            this.channel = file;
            this.windowStart = -1;
            this.windowLength = 0;
        }
        return this;
    }

    /**
     * Loads the header of the batch at {@code position}.
     *
     * @param limit the readable end of the file; bytes at or after it are never read
     * @return false when fewer than a header's bytes remain before {@code limit}
     */
    boolean load(long position, long limit) throws IOException {
        if (limit - position < BatchHeader.HEADER_SIZE) {
            return false;
        }
        if (windowStart < 0 || position < windowStart
                || position + BatchHeader.HEADER_SIZE > windowStart + windowLength) {
            fill(position, limit);
        }
        headerAt = (int) (position - windowStart);
        return true;
    }

    private void fill(long position, long limit) throws IOException {
        window.clear();
        window.limit((int) Math.min(window.capacity(), limit - position));
        long pos = position;
        while (window.hasRemaining()) {
            int n = channel.read(window, pos);
            if (n < 0) {
                throw new EOFException("segment file ended at " + pos + " before its readable size " + limit);
            }
            pos += n;
        }
        windowStart = position;
        windowLength = window.position();
    }

    long baseOffset() {
        return window.getLong(headerAt + BatchHeader.BASE_OFFSET);
    }

    long lastOffset() {
        return baseOffset() + window.getInt(headerAt + BatchHeader.LAST_OFFSET_DELTA);
    }

    long batchSize() {
        return BatchHeader.batchSize(window, headerAt);
    }

    long maxTimestamp() {
        return BatchHeader.maxTimestamp(window, headerAt);
    }

    long producerId() {
        return window.getLong(headerAt + BatchHeader.PRODUCER_ID);
    }

    boolean isTransactional() {
        return (window.getShort(headerAt + BatchHeader.ATTRIBUTES) & BatchHeader.TRANSACTIONAL_FLAG) != 0;
    }

    boolean isControl() {
        return (window.getShort(headerAt + BatchHeader.ATTRIBUTES) & BatchHeader.CONTROL_FLAG) != 0;
    }

    /** Why the loaded header is not a sane v2 header with {@code available} bytes left, or null. */
    String problem(long available) {
        return BatchHeader.headerProblem(window, headerAt, available);
    }
}
