package io.memorystreamer.state.rocksdb.internal;

import static java.nio.charset.StandardCharsets.US_ASCII;

import io.memorystreamer.spi.state.StateException;
import io.memorystreamer.spi.state.StateNamespace;
import io.memorystreamer.spi.state.WriteBatch;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.locks.Lock;
import java.util.concurrent.locks.ReadWriteLock;
import java.util.concurrent.locks.ReentrantReadWriteLock;
import org.rocksdb.ColumnFamilyDescriptor;
import org.rocksdb.ColumnFamilyHandle;
import org.rocksdb.Options;
import org.rocksdb.RocksDB;
import org.rocksdb.RocksDBException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One open RocksDB database holding the namespaces of a state store, one column family each.
 *
 * <p>Thread-safe. Every operation holds the read side of a lifecycle lock and {@link #close}
 * takes the write side: RocksDB's native handles must never be used once freed (that crashes the
 * JVM instead of throwing), so close waits for running operations and later ones get a {@link
 * StateException}. Lock order: lifecycle lock, then this object's monitor (namespace creation).
 */
public final class RocksDbDatabase implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(RocksDbDatabase.class);

    /** Key of the on-disk format version in the default column family. */
    private static final byte[] FORMAT_KEY = "memorystreamer.state.format".getBytes(US_ASCII);
    static final int FORMAT_VERSION = 1;

    private final Path directory;
    private final RocksDbTuning tuning;
    private final RocksDB db;
    private final List<ColumnFamilyHandle> otherFamilies;
    private final Map<String, RocksDbNamespace> namespaces = new ConcurrentHashMap<>();
    private final ReadWriteLock lifecycle = new ReentrantReadWriteLock();
    private boolean closed;

    private RocksDbDatabase(Path directory, RocksDbTuning tuning, RocksDB db,
            List<ColumnFamilyHandle> otherFamilies) {
        this.directory = directory;
        this.tuning = tuning;
        this.db = db;
        this.otherFamilies = otherFamilies;
    }

    /**
     * Opens the database in {@code directory}, creating it if needed.
     *
     * @throws StateException if the directory cannot be created, is locked by another open store,
     *     holds an unknown format version, or RocksDB cannot open it
     */
    public static RocksDbDatabase open(Path directory) {
        RocksDB.loadLibrary();
        try {
            Files.createDirectories(directory);
        } catch (IOException e) {
            throw new StateException("Cannot create state directory " + directory + ": " + e, e);
        }
        RocksDbTuning tuning = new RocksDbTuning();
        List<ColumnFamilyDescriptor> descriptors = new ArrayList<>();
        descriptors.add(new ColumnFamilyDescriptor(RocksDB.DEFAULT_COLUMN_FAMILY, tuning.familyOptions()));
        List<ColumnFamilyHandle> handles = new ArrayList<>();
        RocksDB db = null;
        try {
            for (byte[] family : existingFamilies(directory)) {
                if (!Arrays.equals(family, RocksDB.DEFAULT_COLUMN_FAMILY)) {
                    descriptors.add(new ColumnFamilyDescriptor(family, tuning.familyOptions()));
                }
            }
            db = RocksDB.open(tuning.dbOptions(), directory.toString(), descriptors, handles);
            checkFormat(db, tuning, directory);
            RocksDbDatabase database = new RocksDbDatabase(directory, tuning, db, new ArrayList<>());
            database.adopt(handles);
            LOG.info("State store opened: directory={}, namespaces={}", directory,
                    database.namespaces.size());
            return database;
        } catch (RocksDBException | RuntimeException e) {
            handles.forEach(ColumnFamilyHandle::close);
            if (db != null) {
                db.close();
            }
            tuning.close();
            if (e instanceof RocksDBException rocks) {
                throw new StateException("Cannot open state store in " + directory + ": "
                        + describe(rocks), rocks);
            }
            throw (RuntimeException) e;
        }
    }

    private static List<byte[]> existingFamilies(Path directory) throws RocksDBException {
        if (!Files.exists(directory.resolve("CURRENT"))) {
            return List.of();
        }
        try (Options options = new Options()) {
            return RocksDB.listColumnFamilies(options, directory.toString());
        }
    }

    private static void checkFormat(RocksDB db, RocksDbTuning tuning, Path directory)
            throws RocksDBException {
        byte[] stored = db.get(FORMAT_KEY);
        if (stored == null) {
            db.put(tuning.syncWrites(), FORMAT_KEY, ByteBuffer.allocate(4).putInt(FORMAT_VERSION).array());
            return;
        }
        int version = stored.length == 4 ? ByteBuffer.wrap(stored).getInt() : -1;
        if (version != FORMAT_VERSION) {
            throw new StateException("State store in " + directory + " has format version "
                    + version + "; this build reads version " + FORMAT_VERSION);
        }
    }

    /** Maps the opened column families to namespaces; keeps the rest only to close them. */
    private void adopt(List<ColumnFamilyHandle> handles) throws RocksDBException {
        for (ColumnFamilyHandle handle : handles) {
            var name = NamespaceNames.namespaceOf(handle.getName());
            if (name.isPresent()) {
                namespaces.put(name.get(), new RocksDbNamespace(name.get(), handle, this));
            } else {
                otherFamilies.add(handle);
            }
        }
    }

    /**
     * The namespace with this name, created (durably) if it does not exist yet.
     *
     * @throws IllegalArgumentException for an invalid name
     */
    public StateNamespace namespace(String name) {
        return resolve(name);
    }

    private RocksDbNamespace resolve(String name) {
        NamespaceNames.requireValid(name);
        return guarded(name, "open namespace", () -> {
            RocksDbNamespace existing = namespaces.get(name);
            return existing != null ? existing : create(name);
        });
    }

    private synchronized RocksDbNamespace create(String name) throws RocksDBException {
        RocksDbNamespace existing = namespaces.get(name);
        if (existing != null) {
            return existing;
        }
        ColumnFamilyHandle handle = db.createColumnFamily(
                new ColumnFamilyDescriptor(NamespaceNames.columnFamily(name), tuning.familyOptions()));
        RocksDbNamespace created = new RocksDbNamespace(name, handle, this);
        namespaces.put(name, created);
        LOG.info("State namespace created: directory={}, namespace={}", directory, name);
        return created;
    }

    /** The names of the namespaces that exist. */
    public Set<String> namespaceNames() {
        return guarded("*", "list namespaces", () -> Set.copyOf(namespaces.keySet()));
    }

    /** Applies a batch atomically and durably across its namespaces. */
    public void write(WriteBatch batch) {
        Objects.requireNonNull(batch, "batch");
        List<WriteBatch.Operation> operations = batch.operations();
        // Validate every name first: an invalid one fails the batch before anything is created
        // or written. Then resolve each namespace once, creating the missing ones.
        operations.forEach(operation -> NamespaceNames.requireValid(operation.namespace()));
        Map<String, RocksDbNamespace> targets = new TreeMap<>();
        for (WriteBatch.Operation operation : operations) {
            targets.computeIfAbsent(operation.namespace(), this::resolve);
        }
        if (operations.isEmpty()) {
            ensureOpen();
            return;
        }
        guarded(String.join(",", targets.keySet()), "write batch", () -> {
            try (org.rocksdb.WriteBatch rocksBatch = new org.rocksdb.WriteBatch()) {
                for (WriteBatch.Operation operation : operations) {
                    ColumnFamilyHandle family = targets.get(operation.namespace()).handle();
                    if (operation.isDelete()) {
                        rocksBatch.delete(family, operation.key());
                    } else {
                        rocksBatch.put(family, operation.key(), operation.value());
                    }
                }
                db.write(tuning.syncWrites(), rocksBatch);
            }
            return null;
        });
    }

    /**
     * Runs a RocksDB call while the database is guaranteed open, turning its failure into a
     * {@link StateException} naming the namespace and the operation.
     */
    <T> T guarded(String namespace, String operation, RocksCall<T> call) {
        Lock lock = lifecycle.readLock();
        lock.lock();
        try {
            ensureOpenLocked();
            return call.run();
        } catch (RocksDBException e) {
            throw new StateException("State " + operation + " failed in namespace '" + namespace
                    + "' of " + directory + ": " + describe(e), e);
        } finally {
            lock.unlock();
        }
    }

    RocksDB db() {
        return db;
    }

    RocksDbTuning tuning() {
        return tuning;
    }

    private void ensureOpen() {
        Lock lock = lifecycle.readLock();
        lock.lock();
        try {
            ensureOpenLocked();
        } finally {
            lock.unlock();
        }
    }

    private void ensureOpenLocked() {
        if (closed) {
            throw new StateException("State store in " + directory + " is closed");
        }
    }

    /**
     * Waits for running operations, then frees every native resource. Idempotent.
     *
     * @throws StateException if RocksDB reports an error while closing (resources are freed anyway)
     */
    @Override
    public void close() {
        Lock lock = lifecycle.writeLock();
        lock.lock();
        try {
            if (closed) {
                return;
            }
            closed = true;
            namespaces.values().forEach(namespace -> namespace.handle().close());
            otherFamilies.forEach(ColumnFamilyHandle::close);
            try {
                db.closeE();
            } catch (RocksDBException e) {
                throw new StateException("Closing state store in " + directory + " failed: "
                        + describe(e), e);
            } finally {
                tuning.close();
                LOG.info("State store closed: directory={}", directory);
            }
        } finally {
            lock.unlock();
        }
    }

    private static String describe(RocksDBException e) {
        return e.getStatus() != null ? e.getStatus().getCodeString() + ": " + e.getMessage()
                : String.valueOf(e.getMessage());
    }

    /** A RocksDB call that may fail with a {@link RocksDBException}. */
    @FunctionalInterface
    interface RocksCall<T> {
        T run() throws RocksDBException;
    }
}
