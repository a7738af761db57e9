package io.memorystreamer.storage.log.internal;

import io.memorystreamer.spi.storage.AppendResult;
import io.memorystreamer.spi.storage.LogChunk;
import io.memorystreamer.spi.storage.LogConfig;
import io.memorystreamer.spi.storage.LogReadResult;
import io.memorystreamer.spi.storage.OffsetOutOfRangeException;
import io.memorystreamer.spi.storage.PartitionId;
import io.memorystreamer.spi.storage.PartitionLog;
import io.memorystreamer.spi.storage.StorageException;
import io.memorystreamer.spi.storage.TimestampLookup;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.ClosedChannelException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.NavigableMap;
import java.util.Optional;
import java.util.concurrent.ConcurrentSkipListMap;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A partition log stored as segment files in one directory.
 *
 * <p>Threading: appends, truncation, deletion, retention and closing hold {@link #lock}; the
 * broker already serialises its writes, so the lock only orders them against the retention and
 * flush threads. Fsyncs run outside the lock except when an append must be durable before it
 * returns. Reads take no lock: they bound themselves by the volatile log end offset read first
 * and by each segment's published size, so they see only whole batches.
 *
 * <p>Compaction rewrites closed segments on a cleaner thread without the lock and swaps the
 * results in under it ({@link #replaceSegments}). A swap replaces several map entries, so readers
 * check a layout version around their walk of the segment map and walk again if a swap ran
 * meanwhile: they see either the old or the new segments, never a mix.
 *
 * <p>Lock order: {@code LogManager} monitor, then the {@code LogCleaner} monitor, then
 * {@link #lock}, then the checkpoint monitor, then an index's read-write lock. Index locks are
 * never held while taking another lock.
 */
public final class SegmentedLog implements PartitionLog {

    private static final Logger LOG = LoggerFactory.getLogger(SegmentedLog.class);

    private final PartitionId partition;
    private final Path dir;
    private final LogContext context;
    private final Consumer<SegmentedLog> onClose;
    private final ConcurrentSkipListMap<Long, LogSegment> segments;
    private final ReentrantLock lock = new ReentrantLock();
    private final Object checkpointLock = new Object();
    private final AtomicLong flushCount = new AtomicLong();
    /** Odd while a compaction swap changes the segment map; readers retry when it moved. */
    private final AtomicLong layoutVersion = new AtomicLong();

    private volatile LogConfig config;
    private volatile long logStartOffset;
    private volatile long logEndOffset;
    private volatile long highWatermark;
    private volatile long recoveryPoint;
    private volatile long lastFlushMs;
    private volatile boolean checkpointDirty;
    private volatile boolean directorySyncPending;
    private volatile boolean closed;
    /** Compaction deduplicated every record below this offset; -1 when it never ran. */
    private volatile long cleanerOffset;
    /** When a compaction pass can next remove a retained tombstone or marker; -1 when none waits. */
    private volatile long cleanerDeleteHorizonMs;
    private long lastCheckpointMs; // guarded by checkpointLock
    private long truncations; // guarded by lock

    private SegmentedLog(PartitionId partition, Path dir, LogConfig config, LogContext context,
            Consumer<SegmentedLog> onClose, LogLoader.Loaded loaded) {
        this.partition = partition;
        this.dir = dir;
        this.config = config;
        this.context = context;
        this.onClose = onClose;
        this.segments = loaded.segments();
        this.logStartOffset = loaded.logStartOffset();
        this.logEndOffset = loaded.logEndOffset();
        this.highWatermark = loaded.highWatermark();
        this.recoveryPoint = loaded.recoveryPoint();
        this.cleanerOffset = loaded.cleanerOffset();
        this.cleanerDeleteHorizonMs = loaded.cleanerDeleteHorizonMs();
        this.lastFlushMs = context.clock().millis();
        this.lastCheckpointMs = lastFlushMs;
        // A new log's first segment file was just created.
        this.directorySyncPending = true;
    }

    /**
     * Opens (creating or recovering) the log in {@code dir}.
     *
     * @param onClose told once when the log closes
     */
    public static SegmentedLog open(PartitionId partition, Path dir, LogConfig config, LogContext context,
            Consumer<SegmentedLog> onClose) {
        try {
            LogLoader.Loaded loaded = LogLoader.load(partition, dir, config, context.clock().millis());
            return new SegmentedLog(partition, dir, config, context, onClose, loaded);
        } catch (IOException e) {
            throw new StorageException("could not open the log of " + partition + " in " + dir + ": " + e, e);
        }
    }

    @Override
    public PartitionId partition() {
        return partition;
    }

    /** The partition's directory. */
    public Path directory() {
        return dir;
    }

    /** Settings for the next roll, flush or retention pass. */
    public void reconfigure(LogConfig newConfig) {
        this.config = newConfig;
    }

    // --- writes -------------------------------------------------------------------------------

    @Override
    public AppendResult append(ByteBuffer batches) {
        // A duplicate shares the bytes (base offsets are rewritten in place) but is big-endian.
        ByteBuffer view = batches.isReadOnly() ? copyOf(batches) : batches.duplicate();
        IncomingBatches.validate(view);
        lock.lock();
        try {
            ensureOpen();
            LogConfig settings = config;
            long now = context.clock().millis();
            long first = logEndOffset;
            long next = IncomingBatches.assignOffsets(view, first);
            LogSegment segment = active();
            if (segment.shouldRoll(settings, view.remaining(), next - 1, now)) {
                segment = roll(first, settings);
            }
            segment.append(view, next, settings, now);
            logEndOffset = next;
            if (next - recoveryPoint >= settings.flushIntervalMessages()) {
                flushUpTo(next);
            }
            return new AppendResult(first, next - 1, now, logStartOffset);
        } catch (IOException e) {
            throw failure("append", e);
        } finally {
            lock.unlock();
        }
    }

    private LogSegment roll(long newBaseOffset, LogConfig settings) throws IOException {
        LogSegment old = active();
        old.seal();
        LogSegment created = LogSegment.create(dir, newBaseOffset, settings);
        segments.put(newBaseOffset, created);
        // The new file's directory entry must be durable before its appends count as flushed.
        directorySyncPending = true;
        LOG.debug("Rolled partition log segment: partition={} closedSegment={} newSegment={}",
                partition, old.baseOffset(), newBaseOffset);
        try {
            context.flushExecutor().execute(() -> backgroundFlush(newBaseOffset));
        } catch (RejectedExecutionException shuttingDown) {
            flushUpTo(newBaseOffset);
        }
        return created;
    }

    @Override
    public void updateHighWatermark(long offset) {
        ensureOpen();
        long bounded = Math.max(logStartOffset, Math.min(offset, logEndOffset));
        if (bounded != highWatermark) {
            highWatermark = bounded;
            checkpointDirty = true;
        }
    }

    @Override
    public void truncateTo(long offset) {
        lock.lock();
        try {
            ensureOpen();
            if (offset < logStartOffset || offset > logEndOffset) {
                throw new OffsetOutOfRangeException("cannot truncate " + partition + " to " + offset
                        + ": outside [" + logStartOffset + ", " + logEndOffset + "]");
            }
            if (offset == logEndOffset) {
                return;
            }
            truncations++;
            LogSegment target = segments.floorEntry(offset).getValue();
            for (LogSegment later : new ArrayList<>(segments.tailMap(target.baseOffset(), false).values()).reversed()) {
                remove(later);
            }
            long newEnd = target.truncateTo(offset, config);
            logEndOffset = newEnd;
            highWatermark = Math.min(highWatermark, newEnd);
            recoveryPoint = Math.min(recoveryPoint, newEnd);
            logStartOffset = Math.min(logStartOffset, newEnd);
            cleanerOffset = Math.min(cleanerOffset, newEnd);
            checkpointDirty = true;
            LOG.info("Truncated partition log: partition={} requestedOffset={} logEndOffset={}",
                    partition, offset, newEnd);
        } catch (IOException e) {
            throw failure("truncate", e);
        } finally {
            lock.unlock();
        }
    }

    @Override
    public void deleteRecordsBefore(long offset) {
        lock.lock();
        try {
            ensureOpen();
            if (offset > highWatermark) {
                throw new OffsetOutOfRangeException("cannot delete records of " + partition + " before " + offset
                        + ": above the high watermark " + highWatermark);
            }
            if (offset <= logStartOffset) {
                return;
            }
            logStartOffset = offset;
            Map.Entry<Long, LogSegment> first = segments.firstEntry();
            Long next = segments.higherKey(first.getKey());
            while (next != null && next <= offset) {
                remove(first.getValue());
                first = segments.firstEntry();
                next = segments.higherKey(first.getKey());
            }
            writeCheckpoint();
        } catch (IOException e) {
            throw failure("delete records", e);
        } finally {
            lock.unlock();
        }
    }

    @Override
    public void flush() {
        ensureOpen();
        try {
            flushUpTo(logEndOffset);
            writeCheckpoint();
        } catch (IOException e) {
            throw failure("flush", e);
        }
    }

    /** Forces every segment holding offsets below {@code offset}, then advances the recovery point. */
    void flushUpTo(long offset) throws IOException {
        long flushedBefore = recoveryPoint;
        if (offset <= flushedBefore) {
            return;
        }
        long epoch;
        List<LogSegment> toFlush;
        lock.lock();
        try {
            if (closed) {
                return;
            }
            epoch = truncations;
            Long from = segments.floorKey(flushedBefore);
            toFlush = List.copyOf(segments.subMap(from == null ? segments.firstKey() : from, true, offset, false)
                    .values());
        } finally {
            lock.unlock();
        }
        for (LogSegment segment : toFlush) {
            try {
                segment.flush();
            } catch (ClosedChannelException e) {
                if (!segment.isDeleted() && !closed) {
                    throw e;
                }
            }
        }
        if (directorySyncPending) {
            directorySyncPending = false;
            Directories.force(dir);
        }
        lock.lock();
        try {
            // A truncation while the fsync ran may have replaced flushed bytes: do not claim them.
            if (epoch == truncations && !closed) {
                recoveryPoint = Math.max(recoveryPoint, Math.min(offset, logEndOffset));
                checkpointDirty = true;
            }
            lastFlushMs = context.clock().millis();
            flushCount.incrementAndGet();
        } finally {
            lock.unlock();
        }
    }

    private void backgroundFlush(long offset) {
        try {
            flushUpTo(offset);
        } catch (IOException e) {
            LOG.warn("Background flush of partition log failed: partition={} upToOffset={} error={}",
                    partition, offset, e.toString());
        }
    }

    // --- background passes ----------------------------------------------------------------

    /** Flushes when {@code flush.ms} has passed since the last flush and something is unflushed. */
    public void maybeFlush(long nowMs) {
        long interval = config.flushIntervalMs();
        if (!closed && logEndOffset > recoveryPoint && nowMs - lastFlushMs >= interval) {
            backgroundFlush(logEndOffset);
        }
    }

    /** Persists the offsets when they changed and {@code intervalMs} passed since the last write. */
    public void maybeCheckpoint(long nowMs, long intervalMs) {
        boolean due;
        synchronized (checkpointLock) {
            due = checkpointDirty && nowMs - lastCheckpointMs >= intervalMs;
        }
        if (due && !closed) {
            try {
                writeCheckpoint();
            } catch (IOException e) {
                LOG.warn("Could not write partition log checkpoint: partition={} error={}", partition, e.toString());
            }
        }
    }

    /**
     * Deletes closed segments past {@code retention.ms} or beyond {@code retention.bytes}, oldest
     * first, never the active segment nor data above the high watermark.
     *
     * @return the number of segments deleted
     */
    public int applyRetention(long nowMs) {
        lock.lock();
        try {
            if (closed) {
                return 0;
            }
            List<LogSegment> expired = RetentionPolicy.expired(segments, config, highWatermark, nowMs);
            for (LogSegment segment : expired) {
                remove(segment);
            }
            if (!expired.isEmpty()) {
                logStartOffset = Math.max(logStartOffset, segments.firstKey());
                writeCheckpoint();
                LOG.info("Deleted partition log segments past retention: partition={} segments={} logStartOffset={}",
                        partition, expired.size(), logStartOffset);
            }
            return expired.size();
        } catch (IOException e) {
            LOG.warn("Retention of partition log failed: partition={} error={}", partition, e.toString());
            return 0;
        } finally {
            lock.unlock();
        }
    }

    private void remove(LogSegment segment) throws IOException {
        segments.remove(segment.baseOffset());
        segment.markDeleted();
        context.deleter().schedule(segment);
    }

    // --- compaction ---------------------------------------------------------------------------

    /** The current settings. */
    public LogConfig config() {
        return config;
    }

    /** What a compaction pass starts from, taken under the lock so that it is consistent. */
    CleaningSnapshot cleaningSnapshot() {
        lock.lock();
        try {
            ensureOpen();
            long activeBase = active().baseOffset();
            List<LogSegment> closedSegments = new ArrayList<>(segments.headMap(activeBase, false).values());
            return new CleaningSnapshot(closedSegments, activeBase, config, logStartOffset, highWatermark,
                    Math.max(cleanerOffset, logStartOffset), cleanerDeleteHorizonMs, truncations);
        } finally {
            lock.unlock();
        }
    }

    /**
     * Replaces groups of consecutive closed segments with their compacted copies, written under
     * {@code .cleaned} names, following the swap protocol of {@link SegmentSwap}. Nothing changes
     * when the log was closed, truncated since {@code snapshot}, or lost one of the segments
     * (retention) meanwhile.
     *
     * @return whether the swap happened; when it did not, the compacted segments are left to the caller
     */
    boolean replaceSegments(List<SegmentSwap.Replacement> replacements, CleaningSnapshot snapshot)
            throws IOException {
        lock.lock();
        try {
            if (closed || truncations != snapshot.truncations() || !SegmentSwap.allPresent(segments, replacements)) {
                return false;
            }
            SegmentSwap.commitFiles(dir, replacements);
            // Readers walking the map while it changes see an odd version and walk again.
            layoutVersion.incrementAndGet();
            try {
                SegmentSwap.replaceInMap(segments, replacements);
            } finally {
                layoutVersion.incrementAndGet();
            }
            for (SegmentSwap.Replacement replacement : replacements) {
                replacement.replaced().forEach(context.deleter()::schedule);
            }
            return true;
        } finally {
            lock.unlock();
        }
    }

    /**
     * Records a finished compaction pass and persists it.
     *
     * @param cleanedUpTo every record below this offset is now deduplicated
     * @param nextDeleteHorizonMs when a retained tombstone or marker can next be removed, or -1
     */
    void completeCleaning(long cleanedUpTo, long nextDeleteHorizonMs, CleaningSnapshot snapshot) throws IOException {
        lock.lock();
        try {
            if (closed || truncations != snapshot.truncations()) {
                return;
            }
            cleanerOffset = Math.min(cleanedUpTo, logEndOffset);
            cleanerDeleteHorizonMs = nextDeleteHorizonMs;
            writeCheckpoint();
        } finally {
            lock.unlock();
        }
    }

    /** Whether the log was closed; a compaction pass stops as soon as it sees it. */
    boolean isClosed() {
        return closed;
    }

    private long stableLayoutVersion() {
        long version = layoutVersion.get();
        while ((version & 1) != 0) {
            Thread.onSpinWait();
            version = layoutVersion.get();
        }
        return version;
    }

    // --- reads --------------------------------------------------------------------------------

    @Override
    public LogReadResult read(long fetchOffset, int maxBytes, long maxOffset, boolean minOneBatch) {
        ensureOpen();
        long end = logEndOffset;
        long start = logStartOffset;
        if (fetchOffset < start || fetchOffset > end) {
            throw new OffsetOutOfRangeException("offset " + fetchOffset + " is outside [" + start + ", " + end
                    + "] of " + partition);
        }
        try {
            List<LogChunk> chunks;
            long version;
            do {
                version = stableLayoutVersion();
                chunks = SegmentReads.read(segments, fetchOffset, Math.min(maxOffset, end), maxBytes, minOneBatch);
            } while (layoutVersion.get() != version);
            if (chunks == null) {
                throw new OffsetOutOfRangeException("offset " + fetchOffset + " of " + partition
                        + " was deleted during the read");
            }
            return new LogReadResult(chunks, start, end);
        } catch (IOException | IllegalStateException e) {
            throw failure("read", e);
        }
    }

    @Override
    public Optional<TimestampLookup> lookupTimestamp(long timestamp) {
        ensureOpen();
        long end = logEndOffset;
        long start = logStartOffset;
        try {
            TimestampLookup found;
            long version;
            do {
                version = stableLayoutVersion();
                found = SegmentReads.lookupTimestamp(segments, timestamp, start, end);
            } while (layoutVersion.get() != version);
            return Optional.ofNullable(found);
        } catch (IOException | IllegalStateException e) {
            throw failure("timestamp lookup", e);
        }
    }

    @Override
    public long logStartOffset() {
        ensureOpen();
        return logStartOffset;
    }

    @Override
    public long logEndOffset() {
        ensureOpen();
        return logEndOffset;
    }

    @Override
    public long highWatermark() {
        ensureOpen();
        return highWatermark;
    }

    @Override
    public long sizeInBytes() {
        ensureOpen();
        long total = 0;
        for (LogSegment segment : segments.values()) {
            total += segment.size();
        }
        return total;
    }

    // --- closing ------------------------------------------------------------------------------

    /** Flushes, trims the indexes, persists the offsets and writes the clean-shutdown marker. */
    @Override
    public void close() {
        lock.lock();
        try {
            if (closed) {
                return;
            }
            try {
                // Seal first so that the flush also makes the trimmed active indexes durable:
                // the marker vouches for every file in the directory.
                LogSegment last = active();
                last.seal();
                flushUpTo(logEndOffset);
                last.flush();
                writeCheckpoint();
                CleanShutdownMarker.write(dir);
            } catch (IOException e) {
                LOG.error("Partition log did not close cleanly and will be recovered when opened: partition={} error={}",
                        partition, e.toString());
            } finally {
                closed = true;
                closeSegments();
            }
        } finally {
            lock.unlock();
        }
        onClose.accept(this);
    }

    /**
     * Closes the log for a deletion without flushing anything: no more appends or reads. The
     * segments stay open, so file regions already handed to readers can still be sent; the caller
     * discards them after the grace delay.
     *
     * @return the segments to discard; empty if the log was already closed
     */
    public List<LogSegment> closeForDeletion() {
        List<LogSegment> detached;
        lock.lock();
        try {
            if (closed) {
                return List.of();
            }
            closed = true;
            detached = List.copyOf(segments.values());
        } finally {
            lock.unlock();
        }
        onClose.accept(this);
        return detached;
    }

    private void closeSegments() {
        for (LogSegment segment : segments.values()) {
            try {
                segment.close();
            } catch (IOException e) {
                LOG.warn("Could not close segment: partition={} segment={} error={}", partition, segment, e.toString());
            }
        }
    }

    // --- helpers and test hooks ---------------------------------------------------------------

    private void writeCheckpoint() throws IOException {
        synchronized (checkpointLock) {
            checkpointDirty = false;
            new PartitionCheckpoint(logStartOffset, highWatermark, recoveryPoint, cleanerOffset,
                    cleanerDeleteHorizonMs).write(dir);
            lastCheckpointMs = context.clock().millis();
        }
    }

    private LogSegment active() {
        return segments.lastEntry().getValue();
    }

    private void ensureOpen() {
        if (closed) {
            throw new StorageException("the log of " + partition + " is closed");
        }
    }

    private StorageException failure(String operation, Exception cause) {
        if (closed) {
            return new StorageException("the log of " + partition + " is closed", cause);
        }
        return new StorageException(operation + " on the log of " + partition + " failed: " + cause, cause);
    }

    private static ByteBuffer copyOf(ByteBuffer buffer) {
        return ByteBuffer.allocate(buffer.remaining()).put(buffer.duplicate()).flip();
    }

    /** How many flushes (fsync passes) completed: lets tests observe the flush policy. */
    long flushCount() {
        return flushCount.get();
    }

    /** Every offset below this was on stable storage. */
    long recoveryPoint() {
        return recoveryPoint;
    }

    /** The segments by base offset, for tests. */
    NavigableMap<Long, LogSegment> segments() {
        return segments.clone();
    }
}
