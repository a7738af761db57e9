package io.memorystreamer.state.rocksdb.internal;

import io.memorystreamer.spi.state.StateNamespace;
import java.util.Objects;
import java.util.Optional;
import java.util.function.BiConsumer;
import org.rocksdb.ColumnFamilyHandle;
import org.rocksdb.ReadOptions;
import org.rocksdb.RocksDB;
import org.rocksdb.RocksDBException;
import org.rocksdb.RocksIterator;
import org.rocksdb.Slice;
import org.rocksdb.Snapshot;

/**
 * A namespace backed by one RocksDB column family. Thread-safe; every call goes through the
 * database's lifecycle guard, so it fails cleanly once the store is closed.
 */
final class RocksDbNamespace implements StateNamespace {

    private final String name;
    private final ColumnFamilyHandle handle;
    private final RocksDbDatabase database;

    RocksDbNamespace(String name, ColumnFamilyHandle handle, RocksDbDatabase database) {
        this.name = name;
        this.handle = handle;
        this.database = database;
    }

    @Override
    public String name() {
        return name;
    }

    ColumnFamilyHandle handle() {
        return handle;
    }

    @Override
    public Optional<byte[]> get(byte[] key) {
        Objects.requireNonNull(key, "key");
        // RocksDB returns a fresh array, so the caller owns it.
        return Optional.ofNullable(database.guarded(name, "get", () -> database.db().get(handle, key)));
    }

    @Override
    public void put(byte[] key, byte[] value) {
        Objects.requireNonNull(key, "key");
        Objects.requireNonNull(value, "value");
        database.guarded(name, "put", () -> {
            database.db().put(handle, database.tuning().syncWrites(), key, value);
            return null;
        });
    }

    @Override
    public void delete(byte[] key) {
        Objects.requireNonNull(key, "key");
        database.guarded(name, "delete", () -> {
            database.db().delete(handle, database.tuning().syncWrites(), key);
            return null;
        });
    }

    @Override
    public void scan(byte[] prefix, BiConsumer<byte[], byte[]> visitor) {
        Objects.requireNonNull(prefix, "prefix");
        Objects.requireNonNull(visitor, "visitor");
        byte[] prefixCopy = prefix.clone();
        byte[] upperBound = KeyPrefixes.exclusiveUpperBound(prefixCopy);
        database.guarded(name, "scan", () -> {
            scanSnapshot(prefixCopy, upperBound, visitor);
            return null;
        });
    }

    private void scanSnapshot(byte[] prefix, byte[] upperBound, BiConsumer<byte[], byte[]> visitor)
            throws RocksDBException {
        RocksDB db = database.db();
        Snapshot snapshot = db.getSnapshot();
        try (ReadOptions read = new ReadOptions().setSnapshot(snapshot);
                Slice bound = upperBound == null ? null : new Slice(upperBound)) {
            if (bound != null) {
                // The iterator stops at the end of the prefix range inside RocksDB.
                read.setIterateUpperBound(bound);
            }
            try (RocksIterator iterator = db.newIterator(handle, read)) {
                for (iterator.seek(prefix); iterator.isValid(); iterator.next()) {
                    // key() and value() copy out of native memory: the visitor owns the arrays.
                    visitor.accept(iterator.key(), iterator.value());
                }
                iterator.status();
            }
        } finally {
            db.releaseSnapshot(snapshot);
        }
    }
}
