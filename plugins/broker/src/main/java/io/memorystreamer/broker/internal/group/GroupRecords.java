package io.memorystreamer.broker.internal.group;

import java.nio.BufferUnderflowException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import org.apache.kafka.common.TopicPartition;

/**
 * The stored forms of committed offsets (namespace {@value #OFFSETS_NAMESPACE}) and of group
 * metadata (namespace {@value #GROUPS_NAMESPACE}). All numbers are big-endian.
 *
 * <p>Offset key: {@code groupLength:int32, group:utf8, topicLength:int32, topic:utf8,
 * partition:int32}.
 * Offset value, version 1: {@code version:int8=1, offset:int64, leaderEpoch:int32,
 * commitTimestampMs:int64, expireTimestampMs:int64 (-1: none), metadataLength:int32,
 * metadata:utf8}.
 *
 * <p>Group key: the group id in UTF-8. Group value, version 1: {@code version:int8=1,
 * wasEmpty:int8 (1 when the group had no members), generationId:int32, stateTimestampMs:int64,
 * protocolTypeLength:int16 (-1: none), protocolType:utf8}.
 *
 * <p>Consumer groups of the KIP-848 protocol (namespace {@value #CONSUMER_GROUPS_NAMESPACE}): key the
 * group id in UTF-8; value, version 1: {@code version:int8=1, wasEmpty:int8, groupEpoch:int32,
 * stateTimestampMs:int64}. A group id is stored in at most one of the two group namespaces.
 */
final class GroupRecords {

    static final String OFFSETS_NAMESPACE = "group-offsets";
    static final String GROUPS_NAMESPACE = "groups";
    static final String CONSUMER_GROUPS_NAMESPACE = "consumer-groups";
    static final byte OFFSET_VERSION = 1;
    static final byte GROUP_VERSION = 1;
    static final byte CONSUMER_GROUP_VERSION = 1;

    /** What is stored of a group besides its offsets. */
    record StoredGroup(String protocolType, int generationId, boolean wasEmpty, long stateTimestampMs) {
    }

    /** What is stored of a consumer group (KIP-848) besides its offsets: members rejoin after a restart. */
    record StoredConsumerGroup(int groupEpoch, boolean wasEmpty, long stateTimestampMs) {
    }

    /** A decoded offset key. */
    record OffsetKey(String groupId, TopicPartition partition) {
    }

    private GroupRecords() {
    }

    static byte[] offsetKey(String groupId, TopicPartition partition) {
        byte[] group = utf8(groupId);
        byte[] topic = utf8(partition.topic());
        return ByteBuffer.allocate(4 + group.length + 4 + topic.length + 4)
                .putInt(group.length).put(group)
                .putInt(topic.length).put(topic)
                .putInt(partition.partition())
                .array();
    }

    static OffsetKey decodeOffsetKey(byte[] key) {
        ByteBuffer in = ByteBuffer.wrap(key);
        try {
            String group = readString(in, in.getInt());
            String topic = readString(in, in.getInt());
            int partition = in.getInt();
            requireFullyRead(in, "offset key");
            return new OffsetKey(group, new TopicPartition(topic, partition));
        } catch (BufferUnderflowException | NegativeArraySizeException e) {
            throw new IllegalArgumentException("truncated offset key", e);
        }
    }

    static byte[] encodeOffset(CommittedOffset offset) {
        byte[] metadata = utf8(offset.metadata());
        return ByteBuffer.allocate(1 + 8 + 4 + 8 + 8 + 4 + metadata.length)
                .put(OFFSET_VERSION)
                .putLong(offset.offset())
                .putInt(offset.leaderEpoch())
                .putLong(offset.commitTimestampMs())
                .putLong(offset.expireTimestampMs())
                .putInt(metadata.length).put(metadata)
                .array();
    }

    /**
     * @throws IllegalArgumentException if the value is not a version 1 offset
     */
    static CommittedOffset decodeOffset(byte[] value) {
        ByteBuffer in = ByteBuffer.wrap(value);
        try {
            byte version = in.get();
            if (version != OFFSET_VERSION) {
                throw new IllegalArgumentException("unknown committed offset version " + version);
            }
            long offset = in.getLong();
            int leaderEpoch = in.getInt();
            long commitTimestamp = in.getLong();
            long expireTimestamp = in.getLong();
            String metadata = readString(in, in.getInt());
            requireFullyRead(in, "committed offset");
            return new CommittedOffset(offset, leaderEpoch, metadata, commitTimestamp, expireTimestamp);
        } catch (BufferUnderflowException | NegativeArraySizeException e) {
            throw new IllegalArgumentException("truncated committed offset", e);
        }
    }

    static byte[] groupKey(String groupId) {
        return utf8(groupId);
    }

    static String decodeGroupKey(byte[] key) {
        return new String(key, StandardCharsets.UTF_8);
    }

    static byte[] encodeGroup(StoredGroup group) {
        byte[] protocolType = group.protocolType() == null ? null : utf8(group.protocolType());
        int typeLength = protocolType == null ? 0 : protocolType.length;
        ByteBuffer out = ByteBuffer.allocate(1 + 1 + 4 + 8 + 2 + typeLength)
                .put(GROUP_VERSION)
                .put((byte) (group.wasEmpty() ? 1 : 0))
                .putInt(group.generationId())
                .putLong(group.stateTimestampMs());
        if (protocolType == null) {
            out.putShort((short) -1);
        } else {
            out.putShort((short) protocolType.length).put(protocolType);
        }
        return out.array();
    }

    /**
     * @throws IllegalArgumentException if the value is not a version 1 group
     */
    static StoredGroup decodeGroup(byte[] value) {
        ByteBuffer in = ByteBuffer.wrap(value);
        try {
            byte version = in.get();
            if (version != GROUP_VERSION) {
                throw new IllegalArgumentException("unknown group metadata version " + version);
            }
            boolean wasEmpty = in.get() != 0;
            int generation = in.getInt();
            long timestamp = in.getLong();
            short typeLength = in.getShort();
            String protocolType = typeLength < 0 ? null : readString(in, typeLength);
            requireFullyRead(in, "group metadata");
            return new StoredGroup(protocolType, generation, wasEmpty, timestamp);
        } catch (BufferUnderflowException | NegativeArraySizeException e) {
            throw new IllegalArgumentException("truncated group metadata", e);
        }
    }

    static byte[] encodeConsumerGroup(StoredConsumerGroup group) {
        return ByteBuffer.allocate(1 + 1 + 4 + 8)
                .put(CONSUMER_GROUP_VERSION)
                .put((byte) (group.wasEmpty() ? 1 : 0))
                .putInt(group.groupEpoch())
                .putLong(group.stateTimestampMs())
                .array();
    }

    /**
     * @throws IllegalArgumentException if the value is not a version 1 consumer group
     */
    static StoredConsumerGroup decodeConsumerGroup(byte[] value) {
        ByteBuffer in = ByteBuffer.wrap(value);
        try {
            byte version = in.get();
            if (version != CONSUMER_GROUP_VERSION) {
                throw new IllegalArgumentException("unknown consumer group metadata version " + version);
            }
            boolean wasEmpty = in.get() != 0;
            int epoch = in.getInt();
            long timestamp = in.getLong();
            requireFullyRead(in, "consumer group metadata");
            return new StoredConsumerGroup(epoch, wasEmpty, timestamp);
        } catch (BufferUnderflowException e) {
            throw new IllegalArgumentException("truncated consumer group metadata", e);
        }
    }

    private static byte[] utf8(String value) {
        return value.getBytes(StandardCharsets.UTF_8);
    }

    private static String readString(ByteBuffer in, int length) {
        if (length > in.remaining()) {
            throw new BufferUnderflowException();
        }
        byte[] bytes = new byte[length];
        in.get(bytes);
        return new String(bytes, StandardCharsets.UTF_8);
    }

    private static void requireFullyRead(ByteBuffer in, String what) {
        if (in.hasRemaining()) {
            throw new IllegalArgumentException(in.remaining() + " unexpected trailing bytes in " + what);
        }
    }
}
