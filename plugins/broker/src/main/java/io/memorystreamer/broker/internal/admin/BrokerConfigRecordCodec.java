package io.memorystreamer.broker.internal.admin;

import io.memorystreamer.spi.state.StateException;
import java.nio.BufferUnderflowException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The persisted form of one scope's dynamic broker configs in the state store (namespace
 * {@value #NAMESPACE}): key = {@value #CLUSTER_DEFAULT_KEY} for the cluster-wide defaults or
 * {@code broker-<node id>} for one broker, value =
 *
 * <pre>
 * version      int8   = 1
 * config count int32
 * per config (sorted by key):
 *   key length int16, key UTF-8
 *   value length int32, value UTF-8
 * </pre>
 *
 * A new layout gets a new version byte; readers keep decoding every older version.
 */
final class BrokerConfigRecordCodec {

    static final String NAMESPACE = "broker-configs";
    static final String CLUSTER_DEFAULT_KEY = "cluster-default";
    static final byte VERSION_1 = 1;

    private BrokerConfigRecordCodec() {
    }

    /** The state key of a scope: the cluster-wide defaults, or one broker. */
    static byte[] key(DynamicScope scope, int nodeId) {
        String key = scope == DynamicScope.CLUSTER_DEFAULT ? CLUSTER_DEFAULT_KEY : "broker-" + nodeId;
        return key.getBytes(StandardCharsets.UTF_8);
    }

    static byte[] encode(Map<String, String> configs) {
        List<byte[]> parts = new ArrayList<>();
        int size = 1 + 4;
        for (Map.Entry<String, String> e : new TreeMap<>(configs).entrySet()) {
            byte[] k = e.getKey().getBytes(StandardCharsets.UTF_8);
            byte[] v = e.getValue().getBytes(StandardCharsets.UTF_8);
            if (k.length > Short.MAX_VALUE) {
                throw new IllegalArgumentException("config key too long: " + e.getKey());
            }
            parts.add(k);
            parts.add(v);
            size += 2 + k.length + 4 + v.length;
        }
        ByteBuffer buffer = ByteBuffer.allocate(size);
        buffer.put(VERSION_1);
        buffer.putInt(parts.size() / 2);
        for (int i = 0; i < parts.size(); i += 2) {
            buffer.putShort((short) parts.get(i).length);
            buffer.put(parts.get(i));
            buffer.putInt(parts.get(i + 1).length);
            buffer.put(parts.get(i + 1));
        }
        return buffer.array();
    }

    /**
     * @throws StateException when the bytes are not a record this broker can read
     */
    static Map<String, String> decode(byte[] value) {
        try {
            ByteBuffer buffer = ByteBuffer.wrap(value);
            byte version = buffer.get();
            if (version != VERSION_1) {
                throw new StateException("unsupported broker config record version " + version);
            }
            int count = buffer.getInt();
            if (count < 0) {
                throw new StateException("corrupt broker config record (count " + count + ")");
            }
            Map<String, String> configs = new TreeMap<>();
            for (int i = 0; i < count; i++) {
                String k = readString(buffer, buffer.getShort());
                String v = readString(buffer, buffer.getInt());
                configs.put(k, v);
            }
            if (buffer.hasRemaining()) {
                throw new StateException(buffer.remaining() + " trailing bytes in broker config record");
            }
            return configs;
        } catch (BufferUnderflowException | IllegalArgumentException e) {
            throw new StateException("truncated or corrupt broker config record", e);
        }
    }

    private static String readString(ByteBuffer buffer, int length) {
        if (length < 0 || length > buffer.remaining()) {
            throw new IllegalArgumentException("bad string length " + length);
        }
        byte[] bytes = new byte[length];
        buffer.get(bytes);
        return new String(bytes, StandardCharsets.UTF_8);
    }
}
