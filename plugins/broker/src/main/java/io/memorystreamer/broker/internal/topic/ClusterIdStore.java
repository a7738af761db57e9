package io.memorystreamer.broker.internal.topic;

import io.memorystreamer.spi.state.StateException;
import io.memorystreamer.spi.state.StateNamespace;
import io.memorystreamer.spi.state.StateStore;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Optional;
import org.apache.kafka.common.Uuid;

/**
 * The cluster id: generated once (a base64 UUID, as Kafka's) and kept in the state store namespace
 * {@code cluster} under key {@code cluster.id}, value = version byte 1 + the id in UTF-8.
 */
public final class ClusterIdStore {

    public static final String NAMESPACE = "cluster";
    private static final byte[] KEY = "cluster.id".getBytes(StandardCharsets.UTF_8);
    private static final byte VERSION_1 = 1;

    private ClusterIdStore() {
    }

    /** The persisted cluster id, created and persisted on first use. */
    public static String loadOrCreate(StateStore state) {
        StateNamespace namespace = state.namespace(NAMESPACE);
        Optional<byte[]> existing = namespace.get(KEY);
        if (existing.isPresent()) {
            return decode(existing.get());
        }
        String id = Uuid.randomUuid().toString();
        namespace.put(KEY, encode(id));
        return id;
    }

    static byte[] encode(String clusterId) {
        byte[] id = clusterId.getBytes(StandardCharsets.UTF_8);
        byte[] value = new byte[id.length + 1];
        value[0] = VERSION_1;
        System.arraycopy(id, 0, value, 1, id.length);
        return value;
    }

    static String decode(byte[] value) {
        if (value.length < 2 || value[0] != VERSION_1) {
            throw new StateException("unsupported cluster id record (version "
                    + (value.length == 0 ? "none" : value[0]) + ")");
        }
        return new String(Arrays.copyOfRange(value, 1, value.length), StandardCharsets.UTF_8);
    }
}
