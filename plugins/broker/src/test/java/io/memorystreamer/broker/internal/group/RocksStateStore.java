package io.memorystreamer.broker.internal.group;

import io.memorystreamer.spi.state.StateNamespace;
import io.memorystreamer.spi.state.StateStore;
import io.memorystreamer.spi.state.WriteBatch;
import io.memorystreamer.state.rocksdb.internal.RocksDbDatabase;
import java.nio.file.Path;
import java.util.Set;

/** The real RocksDB state store in a test directory, which a test can close and open again. */
final class RocksStateStore implements StateStore, AutoCloseable {

    private final Path directory;
    private volatile RocksDbDatabase database;

    RocksStateStore(Path directory) {
        this.directory = directory;
        this.database = RocksDbDatabase.open(directory);
    }

    /** Closes the database and opens it again from its files. */
    void reopen() {
        database.close();
        database = RocksDbDatabase.open(directory);
    }

    @Override
    public StateNamespace namespace(String name) {
        return database.namespace(name);
    }

    @Override
    public Set<String> namespaces() {
        return database.namespaceNames();
    }

    @Override
    public void write(WriteBatch batch) {
        database.write(batch);
    }

    @Override
    public void close() {
        database.close();
    }
}
