package io.memorystreamer.spi.state;

import java.util.Set;
import org.osgi.annotation.versioning.ProviderType;

/**
 * A durable, crash-safe key-value store divided into namespaces.
 *
 * <p>Thread-safe. Every method may block on disk I/O and must never be called from a network event
 * loop. A write that returned is durable across process crashes (kill -9); implementations may
 * batch the fsync of concurrent writers but never acknowledge before it.
 */
@ProviderType
public interface StateStore {

    /**
     * Returns the namespace with this name, creating it if needed.
     *
     * @param name letters, digits, '.', '_' and '-', at most 64 characters
     * @throws IllegalArgumentException for an invalid name
     */
    StateNamespace namespace(String name);

    /** The names of all namespaces that exist. */
    Set<String> namespaces();

    /**
     * Applies all operations of a batch atomically: after a crash either all or none are visible.
     */
    void write(WriteBatch batch);
}
