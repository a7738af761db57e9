package io.memorystreamer.storage.log;

import io.memorystreamer.spi.storage.LogConfig;
import io.memorystreamer.spi.storage.PartitionId;
import io.memorystreamer.spi.storage.PartitionLog;
import io.memorystreamer.spi.storage.PartitionLogFactory;
import io.memorystreamer.spi.storage.StorageException;
import io.memorystreamer.storage.log.internal.LogManager;
import io.memorystreamer.storage.log.internal.StorageSettings;
import java.time.InstantSource;
import java.util.Map;
import java.util.Set;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.ConfigurationPolicy;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Modified;

/**
 * Partition logs stored as Kafka-format segment files ({@code <log dir>/<topic>-<partition>/
 * <base offset>.log} with {@code .index} and {@code .timeindex}).
 *
 * <p>Configuration (PID {@code io.memorystreamer.server}): {@code log.dirs} (or {@code log.dir}),
 * {@code log.retention.check.interval.ms}, {@code log.segment.delete.delay.ms},
 * {@code log.flush.scheduler.interval.ms}, {@code replica.high.watermark.checkpoint.interval.ms},
 * and for compaction {@code log.cleaner.enable}, {@code log.cleaner.threads},
 * {@code log.cleaner.backoff.ms}, {@code log.cleaner.dedupe.buffer.size},
 * {@code log.cleaner.io.buffer.size}, {@code log.cleaner.io.buffer.load.factor} and
 * {@code producer.id.expiration.ms}. Per-partition settings, the cleanup policy included, arrive
 * with each {@link #open}. Deactivation stops the background threads and closes every open log
 * cleanly. Thread-safe.
 */
@Component(
        service = PartitionLogFactory.class,
        configurationPid = "io.memorystreamer.server",
        configurationPolicy = ConfigurationPolicy.REQUIRE)
public final class SegmentedLogFactory implements PartitionLogFactory {

    private final InstantSource clock;
    private volatile LogManager manager;

    /** The component, on the system clock. */
    public SegmentedLogFactory() {
        this(InstantSource.system());
    }

    SegmentedLogFactory(InstantSource clock) {
        this.clock = clock;
    }

    @Activate
    void activate(Map<String, Object> properties) {
        manager = new LogManager(StorageSettings.from(properties), clock);
    }

    @Modified
    void modified(Map<String, Object> properties) {
        manager().update(StorageSettings.from(properties));
    }

    @Deactivate
    void deactivate() {
        LogManager current = manager;
        if (current != null) {
            current.close();
        }
    }

    @Override
    public PartitionLog open(PartitionId partition, LogConfig config) {
        return manager().open(partition, config);
    }

    @Override
    public void reconfigure(PartitionId partition, LogConfig config) {
        manager().reconfigure(partition, config);
    }

    @Override
    public Set<PartitionId> existing() {
        return manager().existing();
    }

    @Override
    public void delete(PartitionId partition) {
        manager().delete(partition);
    }

    /** The running manager, for tests that drive the background passes. */
    LogManager manager() {
        LogManager current = manager;
        if (current == null) {
            throw new StorageException("partition log storage is not active");
        }
        return current;
    }
}
