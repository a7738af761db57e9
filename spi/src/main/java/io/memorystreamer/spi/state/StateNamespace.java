package io.memorystreamer.spi.state;

import java.util.Optional;
import java.util.function.BiConsumer;
import org.osgi.annotation.versioning.ProviderType;

/**
 * One namespace of a {@link StateStore}. Keys are ordered by unsigned byte comparison.
 *
 * <p>Thread-safe; same blocking and durability rules as the store. Arrays passed in are copied;
 * arrays returned belong to the caller.
 */
@ProviderType
public interface StateNamespace {

    /** The namespace name. */
    String name();

    /** The value of a key, if present. */
    Optional<byte[]> get(byte[] key);

    /** Sets a key durably. */
    void put(byte[] key, byte[] value);

    /** Removes a key durably; removing an absent key does nothing. */
    void delete(byte[] key);

    /**
     * Visits every entry whose key starts with {@code prefix}, in key order, from a consistent
     * snapshot taken when the call starts.
     *
     * @param prefix the key prefix; an empty array visits the whole namespace
     * @param visitor receives each key and value
     */
    void scan(byte[] prefix, BiConsumer<byte[], byte[]> visitor);
}
