package io.memorystreamer.state.rocksdb;

import io.memorystreamer.spi.state.StateNamespace;
import io.memorystreamer.spi.state.StateStore;
import io.memorystreamer.spi.state.WriteBatch;
import io.memorystreamer.state.rocksdb.internal.RocksDbDatabase;
import io.memorystreamer.state.rocksdb.internal.StateDirectory;
import java.nio.file.Path;
import java.util.Map;
import java.util.Set;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.ConfigurationPolicy;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Modified;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The durable {@link StateStore} on RocksDB: each namespace is a column family, every write is
 * synced to the write-ahead log before it returns, and a {@link WriteBatch} is one atomic
 * RocksDB batch.
 *
 * <p>Configuration (PID {@code io.memorystreamer.server}): {@code state.dir}, by default
 * {@code .state} inside the first entry of {@code log.dirs} (or {@code log.dir}). The directory is
 * read once at activation; a later change takes effect after a restart.
 *
 * <p>Thread-safe. After deactivation every operation throws a {@code StateException}.
 */
@Component(
        service = StateStore.class,
        configurationPid = "io.memorystreamer.server",
        configurationPolicy = ConfigurationPolicy.REQUIRE)
public final class RocksDbStateStore implements StateStore {

    private static final Logger LOG = LoggerFactory.getLogger(RocksDbStateStore.class);

    private final Path directory;
    private final RocksDbDatabase database;

    /**
     * Opens the store in the configured directory.
     *
     * @param config the broker configuration (String values)
     * @throws IllegalArgumentException if no directory is configured
     * @throws io.memorystreamer.spi.state.StateException if RocksDB cannot open the directory
     */
    @Activate
    public RocksDbStateStore(Map<String, Object> config) {
        this.directory = StateDirectory.resolve(config);
        this.database = RocksDbDatabase.open(directory);
    }

    /** Keeps the store open when other broker settings change: only the directory matters here. */
    @Modified
    void modified(Map<String, Object> config) {
        try {
            Path configured = StateDirectory.resolve(config);
            if (!configured.equals(directory)) {
                LOG.warn("State directory change takes effect after a restart: current={}, configured={}",
                        directory, configured);
            }
        } catch (IllegalArgumentException e) {
            LOG.warn("Ignoring state store configuration change: {}", e.getMessage());
        }
    }

    /** Closes the database; waits for running operations first. */
    @Deactivate
    void deactivate() {
        database.close();
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
}
