package io.memorystreamer.spi.state;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * Operations over one or more namespaces that a {@link StateStore} applies atomically. Not
 * thread-safe: build it on one thread, then hand it to {@link StateStore#write}.
 */
public final class WriteBatch {

    /** One operation; a {@code null} value deletes the key. */
    public record Operation(String namespace, byte[] key, byte[] value) {
        public Operation {
            Objects.requireNonNull(namespace, "namespace");
            Objects.requireNonNull(key, "key");
            key = key.clone();
            value = value == null ? null : value.clone();
        }

        public boolean isDelete() {
            return value == null;
        }
    }

    private final List<Operation> operations = new ArrayList<>();

    public WriteBatch put(String namespace, byte[] key, byte[] value) {
        operations.add(new Operation(namespace, key, Objects.requireNonNull(value, "value")));
        return this;
    }

    public WriteBatch delete(String namespace, byte[] key) {
        operations.add(new Operation(namespace, key, null));
        return this;
    }

    /** The operations in the order they were added. */
    public List<Operation> operations() {
        return List.copyOf(operations);
    }

    public boolean isEmpty() {
        return operations.isEmpty();
    }
}
