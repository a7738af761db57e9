package io.memorystreamer.storage.log.internal;

import java.io.IOException;
import java.io.RandomAccessFile;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.concurrent.locks.ReentrantReadWriteLock;

/**
 * A memory-mapped file of fixed-size, big-endian entries, as Kafka lays out its index files.
 *
 * <p>While its segment is active the file is preallocated to the configured maximum and mapped
 * read-write; sealing trims it to its entries and maps it read-only. Lookups run on any thread
 * under the read lock, so a mapping is never unmapped (or the file trimmed) while a lookup uses
 * it; appends come only from the log's single writer and publish through the volatile entry
 * count after the entry's bytes are written.
 */
abstract class MappedIndex implements AutoCloseable {

    static final ValueLayout.OfInt INT = ValueLayout.JAVA_INT_UNALIGNED.withOrder(ByteOrder.BIG_ENDIAN);
    static final ValueLayout.OfLong LONG = ValueLayout.JAVA_LONG_UNALIGNED.withOrder(ByteOrder.BIG_ENDIAN);

    protected final long baseOffset;
    private final int entrySize;
    private final ReentrantReadWriteLock lock = new ReentrantReadWriteLock();

    // Guarded by the write lock for changes; read under the read lock (or by the writer thread).
    private Path file;
    private Arena arena;
    private MemorySegment map = MemorySegment.NULL;
    private int capacity;
    private boolean writable;
    private boolean closed;

    private volatile int entries;
    private volatile boolean syncPending;

    MappedIndex(Path file, long baseOffset, int entrySize) {
        this.file = file;
        this.baseOffset = baseOffset;
        this.entrySize = entrySize;
    }

    /** The file's current path. */
    final Path file() {
        return file;
    }

    /** Entries published so far. */
    final int entries() {
        return entries;
    }

    final int capacity() {
        return capacity;
    }

    final boolean isWritable() {
        return writable;
    }

    /** Entries a file of this length holds, or -1 when the length is not a whole number of entries. */
    final int entriesInFile() throws IOException {
        long length = Files.size(file);
        return length % entrySize == 0 ? (int) (length / entrySize) : -1;
    }

    /**
     * Maps the existing file read-only, every entry in it valid (a sealed index).
     */
    final void openReadOnly() throws IOException {
        lock.writeLock().lock();
        try {
            int count = entriesInFile();
            if (count < 0) {
                throw new IOException(file + " is not a whole number of " + entrySize + "-byte entries");
            }
            remap(count, count, FileChannel.MapMode.READ_ONLY);
            writable = false;
        } finally {
            lock.writeLock().unlock();
        }
    }

    /**
     * Maps the file read-write with room for {@code maxIndexBytes}, keeping its first
     * {@code validEntries} entries (a missing file is created empty).
     */
    final void openWritable(int maxIndexBytes, int validEntries) throws IOException {
        lock.writeLock().lock();
        try {
            int room = Math.max(validEntries, maxIndexBytes / entrySize);
            long previousLength = Files.exists(file) ? Files.size(file) : 0;
            remap(validEntries, room, FileChannel.MapMode.READ_WRITE);
            writable = true;
            // Bytes the file held after the valid entries (an unclean or rebuilt index) are stale:
            // zero them so they never look like entries. Growth beyond the old length reads as zeros.
            long validBytes = (long) validEntries * entrySize;
            long staleEnd = Math.min(previousLength, map.byteSize());
            if (staleEnd > validBytes) {
                map.asSlice(validBytes, staleEnd - validBytes).fill((byte) 0);
            }
        } finally {
            lock.writeLock().unlock();
        }
    }

    /**
     * Trims the file to its entries and maps it read-only: the segment is closed for appends.
     * Nothing is forced here (this runs on the append path); the next {@link #force()} makes the
     * trimmed file durable.
     */
    final void seal() throws IOException {
        lock.writeLock().lock();
        try {
            if (!writable || closed) {
                return;
            }
            int count = entries;
            remap(count, count, FileChannel.MapMode.READ_ONLY);
            writable = false;
            syncPending = true;
        } finally {
            lock.writeLock().unlock();
        }
    }

    /** Forces written entries (and, once after sealing, the trimmed file) to stable storage. */
    final void force() throws IOException {
        lock.readLock().lock();
        try {
            if (closed) {
                return;
            }
            if (writable) {
                map.force();
            } else if (syncPending) {
                syncPending = false;
                try (FileChannel channel = FileChannel.open(file, StandardOpenOption.READ)) {
                    channel.force(true);
                }
            }
        } finally {
            lock.readLock().unlock();
        }
    }

    /** Drops every entry from {@code keep} on. */
    final void truncateEntries(int keep) {
        lock.writeLock().lock();
        try {
            if (keep >= entries) {
                return;
            }
            if (writable) {
                map.asSlice((long) keep * entrySize, (long) (entries - keep) * entrySize).fill((byte) 0);
            }
            entries = keep;
        } finally {
            lock.writeLock().unlock();
        }
    }

    /** Renames the file (the mapping stays valid). */
    final void renameTo(Path target) throws IOException {
        lock.writeLock().lock();
        try {
            if (Files.exists(file)) {
                Files.move(file, target, StandardCopyOption.REPLACE_EXISTING);
            }
            file = target;
        } finally {
            lock.writeLock().unlock();
        }
    }

    final void deleteFile() throws IOException {
        Files.deleteIfExists(file);
    }

    /** Trims a writable file to its entries and unmaps it. Idempotent. */
    @Override
    public final void close() throws IOException {
        lock.writeLock().lock();
        try {
            if (closed) {
                return;
            }
            closed = true;
            boolean trim = writable && Files.exists(file);
            if (writable) {
                map.force();
            }
            unmap();
            if (trim) {
                try (FileChannel channel = FileChannel.open(file, StandardOpenOption.WRITE)) {
                    channel.truncate((long) entries * entrySize);
                    channel.force(true);
                }
            }
            writable = false;
        } finally {
            lock.writeLock().unlock();
        }
    }

    /**
     * Unmaps without trimming or forcing anything: the file is about to be deleted, so making it
     * durable would only cost I/O. Idempotent.
     */
    final void discard() {
        lock.writeLock().lock();
        try {
            if (closed) {
                return;
            }
            closed = true;
            writable = false;
            unmap();
        } finally {
            lock.writeLock().unlock();
        }
    }

    // --- for subclasses ---------------------------------------------------------------------

    /** The mapping to read, with the read lock held; pair with {@link #releaseRead()}. */
    protected final MemorySegment acquireRead() {
        lock.readLock().lock();
        if (closed) {
            lock.readLock().unlock();
            throw new IllegalStateException("index " + file + " is closed");
        }
        return map;
    }

    protected final void releaseRead() {
        lock.readLock().unlock();
    }

    /** The mapping to append to; only the log's writer calls this. */
    protected final MemorySegment appendTarget() {
        if (!writable || closed) {
            throw new IllegalStateException("index " + file + " is not open for appends");
        }
        return map;
    }

    /** Makes entries up to {@code count} visible to readers. */
    protected final void publish(int count) {
        entries = count;
    }

    private void remap(int validEntries, int room, FileChannel.MapMode mode) throws IOException {
        long bytes = (long) room * entrySize;
        Arena next = bytes == 0 ? null : Arena.ofShared();
        MemorySegment nextMap = MemorySegment.NULL;
        try (RandomAccessFile raf = new RandomAccessFile(file.toFile(), "rw")) {
            if (raf.length() != bytes) {
                raf.setLength(bytes);
            }
            if (next != null) {
                nextMap = raf.getChannel().map(mode, 0, bytes, next);
            }
        } catch (IOException | RuntimeException e) {
            if (next != null) {
                next.close();
            }
            throw e;
        }
        unmap();
        arena = next;
        map = nextMap;
        capacity = room;
        entries = validEntries;
    }

    private void unmap() {
        if (arena != null) {
            arena.close();
            arena = null;
        }
        map = MemorySegment.NULL;
    }
}
