package io.memorystreamer.spi.storage;

import java.util.Set;
import org.osgi.annotation.versioning.ProviderType;

/**
 * Opens, lists and deletes partition logs. A storage plugin registers one instance as a service.
 *
 * <p>Thread-safe. Opening an existing log recovers it (a torn tail from a crash is truncated to the
 * last whole valid batch) before returning it.
 */
@ProviderType
public interface PartitionLogFactory {

    /**
     * Opens the log of a partition, creating it if it does not exist. Each partition may be open
     * once; opening it again returns the same instance until it is closed.
     *
     * @param partition the partition
     * @param config its settings
     * @return the open log
     */
    PartitionLog open(PartitionId partition, LogConfig config);

    /**
     * Applies new settings to an open log, taking effect for the next roll, flush or retention
     * pass.
     */
    void reconfigure(PartitionId partition, LogConfig config);

    /** The partitions that have a log on disk, open or not. */
    Set<PartitionId> existing();

    /**
     * Deletes the log of a partition and all its files, closing it first if it is open. Nothing is
     * flushed: forcing data that is about to be deleted would only cost I/O. Once this returns the
     * partition is no longer {@link #existing() existing} and may be created again; file regions
     * already read from it stay sendable for the same grace delay as deleted segments, and the files
     * are removed after it.
     */
    void delete(PartitionId partition);
}
