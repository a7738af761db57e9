package io.memorystreamer.broker.internal.fetch;

import io.memorystreamer.spi.storage.AppendResult;
import io.memorystreamer.spi.storage.LogChunk;
import io.memorystreamer.spi.storage.LogReadResult;
import io.memorystreamer.spi.storage.PartitionId;
import io.memorystreamer.spi.storage.PartitionLog;
import io.memorystreamer.spi.storage.StorageException;
import io.memorystreamer.spi.storage.TimestampLookup;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * A log decorator that answers reads with bytes in memory instead of file regions, as a layer
 * that transforms data (encryption at rest) does. Exercises the in-memory chunk paths.
 */
public final class HeapReadsLog implements PartitionLog {

    private final PartitionLog delegate;

    public HeapReadsLog(PartitionLog delegate) {
        this.delegate = delegate;
    }

    @Override
    public LogReadResult read(long fetchOffset, int maxBytes, long maxOffset, boolean minOneBatch) {
        LogReadResult result = delegate.read(fetchOffset, maxBytes, maxOffset, minOneBatch);
        List<LogChunk> chunks = new ArrayList<>();
        for (LogChunk chunk : result.chunks()) {
            chunks.add(switch (chunk) {
                case LogChunk.Bytes bytes -> bytes;
                case LogChunk.FileRegion region -> new LogChunk.Bytes(readFully(region).asReadOnlyBuffer());
            });
        }
        return new LogReadResult(chunks, result.logStartOffset(), result.logEndOffset());
    }

    private static ByteBuffer readFully(LogChunk.FileRegion region) {
        try {
            return region.readFully();
        } catch (IOException e) {
            throw new StorageException("read failed", e);
        }
    }

    @Override
    public PartitionId partition() {
        return delegate.partition();
    }

    @Override
    public AppendResult append(ByteBuffer batches) {
        return delegate.append(batches);
    }

    @Override
    public Optional<TimestampLookup> lookupTimestamp(long timestamp) {
        return delegate.lookupTimestamp(timestamp);
    }

    @Override
    public long logStartOffset() {
        return delegate.logStartOffset();
    }

    @Override
    public long logEndOffset() {
        return delegate.logEndOffset();
    }

    @Override
    public long highWatermark() {
        return delegate.highWatermark();
    }

    @Override
    public void updateHighWatermark(long offset) {
        delegate.updateHighWatermark(offset);
    }

    @Override
    public void truncateTo(long offset) {
        delegate.truncateTo(offset);
    }

    @Override
    public void deleteRecordsBefore(long offset) {
        delegate.deleteRecordsBefore(offset);
    }

    @Override
    public void flush() {
        delegate.flush();
    }

    @Override
    public long sizeInBytes() {
        return delegate.sizeInBytes();
    }

    @Override
    public void close() {
        delegate.close();
    }
}
