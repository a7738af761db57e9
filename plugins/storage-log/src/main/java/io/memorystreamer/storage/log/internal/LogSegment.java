package io.memorystreamer.storage.log.internal;

import io.memorystreamer.spi.storage.LogConfig;
import java.io.EOFException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.zip.CRC32C;

/**
 * One segment of a partition log: a file of record batches from {@link #baseOffset()} on, with
 * its sparse offset and time indexes.
 *
 * <p>Only the log's single writer appends, truncates, seals or recovers. Readers run
 * concurrently and see bytes up to {@link #size()}, a volatile published after the bytes and the
 * index entries are written, so they only ever see whole batches.
 */
final class LogSegment {

    private final long baseOffset;
    private final FileChannel channel;
    private final OffsetIndex offsetIndex;
    private final TimeIndex timeIndex;

    private volatile Path logFile;
    private volatile int size;
    private volatile long nextOffset;
    private volatile long maxTimestamp = BatchHeader.NO_TIMESTAMP;
    private volatile boolean deleted;

    // Writer state.
    private long maxTimestampSoFar = BatchHeader.NO_TIMESTAMP;
    private long firstBatchMaxTimestamp = BatchHeader.NO_TIMESTAMP;
    private int bytesSinceLastIndexEntry;
    private long rollBaseTimeMs = -1;

    /** What a scan of the segment file found. */
    record ScanOutcome(int validBytes, long droppedBytes, long nextOffset, String problem) {
    }

    private LogSegment(Path dir, long baseOffset, FileChannel channel) throws IOException {
        this(baseOffset, channel, FileNames.logFile(dir, baseOffset), FileNames.indexFile(dir, baseOffset),
                FileNames.timeIndexFile(dir, baseOffset));
    }

    private LogSegment(long baseOffset, FileChannel channel, Path logFile, Path indexFile, Path timeIndexFile)
            throws IOException {
        this.baseOffset = baseOffset;
        this.channel = channel;
        this.logFile = logFile;
        this.offsetIndex = new OffsetIndex(indexFile, baseOffset);
        this.timeIndex = new TimeIndex(timeIndexFile, baseOffset);
        this.size = (int) Math.min(channel.size(), Integer.MAX_VALUE);
        this.nextOffset = baseOffset;
    }

    /** A new, empty segment open for appends. */
    static LogSegment create(Path dir, long baseOffset, LogConfig config) throws IOException {
        Path file = FileNames.logFile(dir, baseOffset);
        FileChannel channel = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.READ,
                StandardOpenOption.WRITE);
        try {
            if (channel.size() != 0) {
                throw new IOException("segment file " + file + " already holds " + channel.size() + " bytes");
            }
            LogSegment segment = new LogSegment(dir, baseOffset, channel);
            Files.deleteIfExists(segment.offsetIndex.file());
            Files.deleteIfExists(segment.timeIndex.file());
            segment.offsetIndex.openWritable(config.maxIndexBytes(), 0);
            segment.timeIndex.openWritable(config.maxIndexBytes(), 0);
            return segment;
        } catch (IOException | RuntimeException e) {
            channel.close();
            throw e;
        }
    }

    /** An existing segment file; its indexes are not loaded yet (see {@link #loadIndexes} and {@link #recover}). */
    static LogSegment openExisting(Path dir, long baseOffset) throws IOException {
        FileChannel channel = FileChannel.open(FileNames.logFile(dir, baseOffset), StandardOpenOption.READ,
                StandardOpenOption.WRITE);
        try {
            return new LogSegment(dir, baseOffset, channel);
        } catch (IOException | RuntimeException e) {
            channel.close();
            throw e;
        }
    }

    /**
     * A new, empty segment that compaction fills under temporary names ({@code *.cleaned}) with
     * {@link #appendCleaned}, then completes with {@link #completeCleaned}. A leftover file is
     * overwritten.
     */
    static LogSegment createCleaned(Path dir, long baseOffset) throws IOException {
        Path file = withSuffix(FileNames.logFile(dir, baseOffset), "", FileNames.CLEANED);
        FileChannel channel = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.TRUNCATE_EXISTING,
                StandardOpenOption.READ, StandardOpenOption.WRITE);
        try {
            LogSegment segment = new LogSegment(baseOffset, channel, file,
                    withSuffix(FileNames.indexFile(dir, baseOffset), "", FileNames.CLEANED),
                    withSuffix(FileNames.timeIndexFile(dir, baseOffset), "", FileNames.CLEANED));
            Files.deleteIfExists(segment.offsetIndex.file());
            Files.deleteIfExists(segment.timeIndex.file());
            return segment;
        } catch (IOException | RuntimeException e) {
            channel.close();
            throw e;
        }
    }

    long baseOffset() {
        return baseOffset;
    }

    /** Readable bytes: whole batches only. */
    int size() {
        return size;
    }

    /** The offset after the last batch of this segment. */
    long nextOffset() {
        return nextOffset;
    }

    /** The largest batch max timestamp, or -1 when the segment has no timestamped batch. */
    long maxTimestamp() {
        return maxTimestamp;
    }

    FileChannel channel() {
        return channel;
    }

    Path logFile() {
        return logFile;
    }

    boolean isDeleted() {
        return deleted;
    }

    OffsetIndex offsetIndex() {
        return offsetIndex;
    }

    TimeIndex timeIndex() {
        return timeIndex;
    }

    /** The timestamp retention compares: the largest timestamp, else the file's modification time. */
    long retentionTimestamp() throws IOException {
        long largest = maxTimestamp;
        return largest >= 0 ? largest : Files.getLastModifiedTime(logFile).toMillis();
    }

    // --- loading and recovery --------------------------------------------------------------

    /**
     * Loads trusted index files (clean shutdown, or below the recovery point) and finds where the
     * segment ends by scanning the headers after the last index entry.
     *
     * @return false when the index files are missing or inconsistent, or the batches do not end
     *     exactly at the end of the file: the caller then recovers the segment instead
     */
    boolean loadIndexes(long nowMs) throws IOException {
        if (!Files.exists(offsetIndex.file()) || !Files.exists(timeIndex.file())
                || offsetIndex.entriesInFile() < 0 || timeIndex.entriesInFile() < 0) {
            return false;
        }
        offsetIndex.openReadOnly();
        timeIndex.openReadOnly();
        int start = offsetIndex.lastPosition();
        if (start >= size && size > 0) {
            return false;
        }
        BatchScanner scanner = new BatchScanner().on(channel);
        long pos = start;
        long next = start == 0 ? baseOffset : offsetIndex.lastOffset();
        long largest = BatchHeader.NO_TIMESTAMP;
        while (pos < size) {
            if (!scanner.load(pos, size) || scanner.problem(size - pos) != null || scanner.baseOffset() < next) {
                return false;
            }
            next = scanner.lastOffset() + 1;
            largest = Math.max(largest, scanner.maxTimestamp());
            pos += scanner.batchSize();
        }
        if (!offsetIndex.isConsistentWith(Math.max(size, 1), next) || !timeIndex.isConsistentWith(next)) {
            return false;
        }
        timeIndex.refreshLastTimestamp();
        nextOffset = next;
        maxTimestampSoFar = Math.max(timeIndex.lastTimestamp(), largest);
        maxTimestamp = maxTimestampSoFar;
        bytesSinceLastIndexEntry = size - start;
        if (size > 0 && scanner.load(0, size)) {
            firstBatchMaxTimestamp = scanner.maxTimestamp();
        }
        initRollBaseTime(nowMs);
        return true;
    }

    /**
     * Verifies every batch (framing, offsets, CRC-32C), truncates the file at the first invalid
     * one and rebuilds both indexes, open for appends.
     */
    ScanOutcome recover(LogConfig config, long nowMs) throws IOException {
        ScanOutcome outcome = rebuild(config, true);
        if (outcome.droppedBytes() > 0) {
            channel.truncate(outcome.validBytes());
            channel.force(true);
        }
        initRollBaseTime(nowMs);
        return outcome;
    }

    /** Reopens the indexes for appends after the segment was loaded sealed. */
    void openForAppends(LogConfig config) throws IOException {
        if (!offsetIndex.isWritable()) {
            offsetIndex.openWritable(config.maxIndexBytes(), offsetIndex.entries());
        }
        if (!timeIndex.isWritable()) {
            timeIndex.openWritable(config.maxIndexBytes(), timeIndex.entries());
            timeIndex.refreshLastTimestamp();
        }
    }

    private void initRollBaseTime(long nowMs) {
        // The age of a reloaded segment is its first batch's timestamp when that is plausible.
        long first = firstBatchMaxTimestamp;
        rollBaseTimeMs = size == 0 ? -1 : (first >= 0 && first <= nowMs ? first : nowMs);
    }

    /** Rebuilds the indexes from the batches in the file; with {@code verifyCrc} also checks CRCs. */
    private ScanOutcome rebuild(LogConfig config, boolean verifyCrc) throws IOException {
        offsetIndex.openWritable(config.maxIndexBytes(), 0);
        timeIndex.openWritable(config.maxIndexBytes(), 0);
        timeIndex.refreshLastTimestamp();
        maxTimestampSoFar = BatchHeader.NO_TIMESTAMP;
        firstBatchMaxTimestamp = BatchHeader.NO_TIMESTAMP;
        bytesSinceLastIndexEntry = 0;

        long fileSize = channel.size();
        long limit = Math.min(fileSize, Integer.MAX_VALUE);
        BatchScanner scanner = new BatchScanner(64 * 1024).on(channel);
        ByteBuffer batch = verifyCrc ? ByteBuffer.allocate(64 * 1024) : null;
        CRC32C crc = new CRC32C();
        long pos = 0;
        long expected = baseOffset;
        String problem = null;
        while (pos < limit) {
            if (!scanner.load(pos, limit)) {
                problem = "torn batch header (" + (limit - pos) + " bytes)";
                break;
            }
            problem = scanner.problem(limit - pos);
            if (problem == null && scanner.baseOffset() < expected) {
                problem = "base offset " + scanner.baseOffset() + " is below the expected " + expected;
            }
            int batchSize = (int) Math.min(scanner.batchSize(), Integer.MAX_VALUE);
            if (problem == null && verifyCrc) {
                batch = readFully(pos, batchSize, batch);
                if (!BatchHeader.crcValid(batch, 0, batchSize, crc)) {
                    problem = "CRC-32C mismatch in the batch at offset " + scanner.baseOffset();
                }
            }
            if (problem != null) {
                break;
            }
            if (pos == 0) {
                firstBatchMaxTimestamp = scanner.maxTimestamp();
            }
            indexBatch(scanner.baseOffset(), scanner.lastOffset(), scanner.maxTimestamp(), (int) pos, batchSize,
                    config.indexIntervalBytes());
            expected = scanner.lastOffset() + 1;
            pos += batchSize;
        }
        if (problem == null && fileSize > limit) {
            problem = "segment file larger than " + Integer.MAX_VALUE + " bytes";
        }
        size = (int) pos;
        nextOffset = expected;
        maxTimestamp = maxTimestampSoFar;
        return new ScanOutcome((int) pos, fileSize - pos, expected, problem);
    }

    private ByteBuffer readFully(long position, int length, ByteBuffer reuse) throws IOException {
        ByteBuffer buffer = reuse.capacity() >= length ? reuse.clear() : ByteBuffer.allocate(length);
        buffer.limit(length);
        long pos = position;
        while (buffer.hasRemaining()) {
            int n = channel.read(buffer, pos);
            if (n < 0) {
                throw new EOFException("segment " + logFile + " ended at " + pos);
            }
            pos += n;
        }
        return buffer.flip();
    }

    // --- writing -----------------------------------------------------------------------------

    /** Whether the next append of {@code bytes} ending at {@code lastOffset} must go to a new segment. */
    boolean shouldRoll(LogConfig config, int bytes, long lastOffset, long nowMs) {
        if (size == 0) {
            return false;
        }
        return (long) size + bytes > config.segmentBytes()
                || nowMs - rollBaseTimeMs >= config.segmentMs()
                || offsetIndex.isFull()
                || timeIndex.isFull()
                || lastOffset - baseOffset > Integer.MAX_VALUE;
    }

    /**
     * Appends whole batches whose offsets are already assigned, then publishes them to readers.
     *
     * @param batches the batches, position to limit (big-endian view)
     * @param next the offset after the last batch
     */
    void append(ByteBuffer batches, long next, LogConfig config, long nowMs) throws IOException {
        int start = size;
        ByteBuffer source = batches.duplicate();
        long pos = start;
        try {
            while (source.hasRemaining()) {
                pos += channel.write(source, pos);
            }
        } catch (IOException e) {
            truncateQuietly(start);
            throw e;
        }
        int batchStart = batches.position();
        int filePosition = start;
        while (batchStart < batches.limit()) {
            int batchSize = (int) BatchHeader.batchSize(batches, batchStart);
            long base = BatchHeader.baseOffset(batches, batchStart);
            indexBatch(base, base + BatchHeader.lastOffsetDelta(batches, batchStart),
                    BatchHeader.maxTimestamp(batches, batchStart), filePosition, batchSize,
                    config.indexIntervalBytes());
            batchStart += batchSize;
            filePosition += batchSize;
        }
        if (start == 0) {
            rollBaseTimeMs = nowMs;
        }
        nextOffset = next;
        size = filePosition;
        maxTimestamp = maxTimestampSoFar;
    }

    private void truncateQuietly(int length) {
        try {
            channel.truncate(length);
        } catch (IOException suppressed) {
            // Recovery will cut the partial bytes after a restart.
        }
    }

    private void indexBatch(long base, long last, long batchMaxTimestamp, int position, int batchSize,
            int indexIntervalBytes) {
        if (batchMaxTimestamp > maxTimestampSoFar) {
            maxTimestampSoFar = batchMaxTimestamp;
        }
        // Position 0 needs no entry: a lookup that finds nothing starts there anyway.
        if (position > 0 && bytesSinceLastIndexEntry >= indexIntervalBytes) {
            offsetIndex.append(base, position);
            timeIndex.maybeAppend(maxTimestampSoFar, last, false);
            bytesSinceLastIndexEntry = 0;
        }
        bytesSinceLastIndexEntry += batchSize;
    }

    /**
     * Removes the batch holding {@code offset} and every later one, then rebuilds the indexes for
     * appends.
     *
     * @return the segment's new next offset (the base offset of the first batch removed)
     */
    long truncateTo(long offset, LogConfig config) throws IOException {
        BatchScanner scanner = new BatchScanner().on(channel);
        long position = SegmentReads.locate(this, offset, size, scanner);
        // In a compacted segment the offset may fall in a gap: the new end is then the offset itself.
        long newEnd = position >= 0 ? Math.min(scanner.baseOffset(), offset) : offset;
        if (position >= 0) {
            size = (int) position;
            channel.truncate(position);
        }
        rebuild(config, false);
        nextOffset = Math.max(nextOffset, newEnd);
        if (size == 0) {
            rollBaseTimeMs = -1;
        }
        return nextOffset;
    }

    // --- compaction ----------------------------------------------------------------------------

    /** Appends whole compacted batches, in offset order, to a segment made by {@link #createCleaned}. */
    void appendCleaned(ByteBuffer batches) throws IOException {
        long pos = size;
        ByteBuffer source = batches.duplicate();
        while (source.hasRemaining()) {
            pos += channel.write(source, pos);
        }
        size = (int) pos;
    }

    /**
     * Moves the bytes from {@code position} on to {@code target}, an empty segment made by
     * {@link #createCleaned}, and cuts them from this one (also made by {@link #createCleaned}).
     */
    void moveCleanedTail(int position, LogSegment target) throws IOException {
        long count = size - position;
        long moved = 0;
        while (moved < count) {
            moved += channel.transferTo(position + moved, count - moved, target.channel);
        }
        target.size = (int) count;
        channel.truncate(position);
        size = position;
    }

    /**
     * Builds the indexes of a segment written by compaction, seals it and forces everything to
     * stable storage. The file keeps the modification time of the segments it replaces, so that
     * time-based retention of an empty result is unchanged.
     */
    void completeCleaned(LogConfig config, long lastModifiedMs) throws IOException {
        rebuild(config, false);
        seal();
        channel.force(true);
        offsetIndex.force();
        timeIndex.force();
        Files.setLastModifiedTime(logFile, java.nio.file.attribute.FileTime.fromMillis(lastModifiedMs));
    }

    /**
     * Renames the segment's files from suffix {@code from} to suffix {@code to} (either may be
     * empty). Open channels and index mappings keep working.
     */
    void renameFiles(String from, String to) throws IOException {
        Path target = withSuffix(logFile, from, to);
        Files.move(logFile, target, StandardCopyOption.REPLACE_EXISTING);
        logFile = target;
        offsetIndex.renameTo(withSuffix(offsetIndex.file(), from, to));
        timeIndex.renameTo(withSuffix(timeIndex.file(), from, to));
    }

    private static Path withSuffix(Path file, String from, String to) {
        String name = file.getFileName().toString();
        if (!name.endsWith(from)) {
            throw new IllegalStateException(file + " does not end with '" + from + "'");
        }
        return file.resolveSibling(name.substring(0, name.length() - from.length()) + to);
    }

    /** Writes the final time index entry and trims both indexes: no more appends. */
    void seal() throws IOException {
        if (timeIndex.isWritable() && nextOffset > baseOffset) {
            timeIndex.maybeAppend(maxTimestampSoFar, nextOffset - 1, true);
        }
        offsetIndex.seal();
        timeIndex.seal();
    }

    /** Forces the segment's bytes and index entries to stable storage. */
    void flush() throws IOException {
        channel.force(false);
        offsetIndex.force();
        timeIndex.force();
    }

    // --- deletion and closing ------------------------------------------------------------------

    /** Renames the files to {@code *.deleted}; open channels and mappings keep working. */
    void markDeleted() throws IOException {
        deleted = true;
        Path target = logFile.resolveSibling(logFile.getFileName() + FileNames.DELETED);
        Files.move(logFile, target, StandardCopyOption.REPLACE_EXISTING);
        logFile = target;
        offsetIndex.renameTo(offsetIndex.file().resolveSibling(offsetIndex.file().getFileName() + FileNames.DELETED));
        timeIndex.renameTo(timeIndex.file().resolveSibling(timeIndex.file().getFileName() + FileNames.DELETED));
    }

    /** Closes the channel and unmaps the indexes. Idempotent. */
    void close() throws IOException {
        IOException failure = null;
        for (AutoCloseable resource : new AutoCloseable[] {offsetIndex, timeIndex, channel}) {
            try {
                resource.close();
            } catch (Exception e) {
                if (failure == null) {
                    failure = e instanceof IOException io ? io : new IOException(e);
                } else {
                    failure.addSuppressed(e);
                }
            }
        }
        if (failure != null) {
            throw failure;
        }
    }

    /** Closes for a deletion: nothing is trimmed or forced. Idempotent. */
    void closeForDeletion() throws IOException {
        offsetIndex.discard();
        timeIndex.discard();
        channel.close();
    }

    /** Closes and removes the files. */
    void closeAndDelete() throws IOException {
        close();
        Files.deleteIfExists(logFile);
        offsetIndex.deleteFile();
        timeIndex.deleteFile();
    }

    @Override
    public String toString() {
        return "segment " + FileNames.baseName(baseOffset) + " (" + size + " bytes)";
    }
}
