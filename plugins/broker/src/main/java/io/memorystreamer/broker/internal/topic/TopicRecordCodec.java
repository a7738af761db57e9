package io.memorystreamer.broker.internal.topic;

import io.memorystreamer.spi.state.StateException;
import java.nio.BufferUnderflowException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.TreeMap;
import org.apache.kafka.common.Uuid;

/**
 * The persisted form of a topic in the state store: key = topic name (UTF-8), value =
 *
 * <pre>
 * version      int8   = 1
 * topic id     16 bytes (most significant 8, least significant 8, big-endian)
 * partitions   int32
 * config count int32
 * per config (sorted by key):
 *   key length int16, key UTF-8
 *   value length int32, value UTF-8
 * </pre>
 *
 * A new layout gets a new version byte; readers keep decoding every older version.
 */
public final class TopicRecordCodec {

    public static final byte VERSION_1 = 1;

    private TopicRecordCodec() {
    }

    public static byte[] key(String topic) {
        return topic.getBytes(StandardCharsets.UTF_8);
    }

    public static String topicOfKey(byte[] key) {
        return new String(key, StandardCharsets.UTF_8);
    }

    public static byte[] encode(TopicInfo topic) {
        Map<String, byte[]> configs = new TreeMap<>();
        int size = 1 + 16 + 4 + 4;
        for (Map.Entry<String, String> e : new TreeMap<>(topic.configs()).entrySet()) {
            byte[] k = e.getKey().getBytes(StandardCharsets.UTF_8);
            byte[] v = e.getValue().getBytes(StandardCharsets.UTF_8);
            if (k.length > Short.MAX_VALUE) {
                throw new IllegalArgumentException("config key too long: " + e.getKey());
            }
            configs.put(e.getKey(), v);
            size += 2 + k.length + 4 + v.length;
        }
        ByteBuffer buffer = ByteBuffer.allocate(size);
        buffer.put(VERSION_1);
        buffer.putLong(topic.id().getMostSignificantBits());
        buffer.putLong(topic.id().getLeastSignificantBits());
        buffer.putInt(topic.partitionCount());
        buffer.putInt(configs.size());
        for (Map.Entry<String, byte[]> e : configs.entrySet()) {
            byte[] k = e.getKey().getBytes(StandardCharsets.UTF_8);
            buffer.putShort((short) k.length);
            buffer.put(k);
            buffer.putInt(e.getValue().length);
            buffer.put(e.getValue());
        }
        return buffer.array();
    }

    /**
     * @throws StateException when the bytes are not a topic record this broker can read
     */
    public static TopicInfo decode(String name, byte[] value) {
        try {
            ByteBuffer buffer = ByteBuffer.wrap(value);
            byte version = buffer.get();
            if (version != VERSION_1) {
                throw new StateException("topic " + name + ": unsupported topic record version " + version);
            }
            Uuid id = new Uuid(buffer.getLong(), buffer.getLong());
            int partitions = buffer.getInt();
            int count = buffer.getInt();
            if (partitions < 1 || count < 0) {
                throw new StateException("topic " + name + ": corrupt topic record (partitions " + partitions
                        + ", configs " + count + ")");
            }
            Map<String, String> configs = new TreeMap<>();
            for (int i = 0; i < count; i++) {
                String k = readString(buffer, buffer.getShort());
                String v = readString(buffer, buffer.getInt());
                configs.put(k, v);
            }
            if (buffer.hasRemaining()) {
                throw new StateException("topic " + name + ": " + buffer.remaining() + " trailing bytes in topic record");
            }
            return new TopicInfo(name, id, partitions, configs);
        } catch (BufferUnderflowException | IllegalArgumentException e) {
            throw new StateException("topic " + name + ": truncated or corrupt topic record", e);
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
