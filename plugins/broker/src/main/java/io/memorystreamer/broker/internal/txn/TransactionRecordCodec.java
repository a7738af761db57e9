package io.memorystreamer.broker.internal.txn;

import io.memorystreamer.spi.storage.PartitionId;
import java.io.ByteArrayOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.BufferUnderflowException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Set;
import org.apache.kafka.common.TopicPartition;

/**
 * The stored form of a transactional id's state (namespace {@code transactions}). The key is the
 * transactional id in UTF-8.
 *
 * <p>Value, version 1, big-endian; {@code string} is a uint16 byte length and UTF-8 bytes,
 * {@code nullable string} an int32 length (-1 for null) and UTF-8 bytes:
 * <pre>
 * version:int8 = 1, producerId:int64, previousProducerId:int64, producerEpoch:int16,
 * lastProducerEpoch:int16, timeoutMs:int32, state:int8, startTimeMs:int64, lastUpdateMs:int64,
 * partitionCount:int32, partitionCount × (topic:string, partition:int32),
 * groupCount:int32, groupCount × groupId:string,
 * offsetGroupCount:int32, offsetGroupCount × (groupId:string, offsetCount:int32,
 *     offsetCount × (topic:string, partition:int32, offset:int64, leaderEpoch:int32,
 *     metadata:nullable string, commitTimestampMs:int64))
 * </pre>
 */
final class TransactionRecordCodec {

    static final String NAMESPACE = "transactions";
    static final byte VERSION = 1;

    private TransactionRecordCodec() {
    }

    static byte[] key(String transactionalId) {
        return transactionalId.getBytes(StandardCharsets.UTF_8);
    }

    static String decodeKey(byte[] key) {
        return new String(key, StandardCharsets.UTF_8);
    }

    static byte[] encode(TransactionRecord record) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream(128);
        try (DataOutputStream out = new DataOutputStream(bytes)) {
            out.writeByte(VERSION);
            out.writeLong(record.producerId());
            out.writeLong(record.previousProducerId());
            out.writeShort(record.producerEpoch());
            out.writeShort(record.lastProducerEpoch());
            out.writeInt(record.timeoutMs());
            out.writeByte(record.state().id());
            out.writeLong(record.startTimeMs());
            out.writeLong(record.lastUpdateMs());
            out.writeInt(record.partitions().size());
            for (PartitionId partition : record.partitions()) {
                writeString(out, partition.topic());
                out.writeInt(partition.partition());
            }
            out.writeInt(record.groups().size());
            for (String group : record.groups()) {
                writeString(out, group);
            }
            out.writeInt(record.pendingOffsets().size());
            for (Map.Entry<String, Map<TopicPartition, PendingOffset>> group : record.pendingOffsets().entrySet()) {
                writeString(out, group.getKey());
                out.writeInt(group.getValue().size());
                for (Map.Entry<TopicPartition, PendingOffset> offset : group.getValue().entrySet()) {
                    writeString(out, offset.getKey().topic());
                    out.writeInt(offset.getKey().partition());
                    out.writeLong(offset.getValue().offset());
                    out.writeInt(offset.getValue().leaderEpoch());
                    writeNullableString(out, offset.getValue().metadata());
                    out.writeLong(offset.getValue().commitTimestampMs());
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return bytes.toByteArray();
    }

    /**
     * @throws IllegalArgumentException if the value is not a well-formed version 1 record
     */
    static TransactionRecord decode(String transactionalId, byte[] value) {
        ByteBuffer in = ByteBuffer.wrap(value);
        try {
            byte version = in.get();
            if (version != VERSION) {
                throw new IllegalArgumentException("unknown transaction record version " + version);
            }
            long producerId = in.getLong();
            long previousProducerId = in.getLong();
            short epoch = in.getShort();
            short lastEpoch = in.getShort();
            int timeoutMs = in.getInt();
            TxnState state = TxnState.ofId(in.get());
            long startTimeMs = in.getLong();
            long lastUpdateMs = in.getLong();
            Set<PartitionId> partitions = new LinkedHashSet<>();
            int partitionCount = count(in);
            for (int i = 0; i < partitionCount; i++) {
                partitions.add(new PartitionId(readString(in), in.getInt()));
            }
            Set<String> groups = new LinkedHashSet<>();
            int groupCount = count(in);
            for (int i = 0; i < groupCount; i++) {
                groups.add(readString(in));
            }
            Map<String, Map<TopicPartition, PendingOffset>> pending = new LinkedHashMap<>();
            int offsetGroups = count(in);
            for (int g = 0; g < offsetGroups; g++) {
                String group = readString(in);
                Map<TopicPartition, PendingOffset> offsets = new LinkedHashMap<>();
                int offsetCount = count(in);
                for (int i = 0; i < offsetCount; i++) {
                    TopicPartition partition = new TopicPartition(readString(in), in.getInt());
                    offsets.put(partition, new PendingOffset(in.getLong(), in.getInt(), readNullableString(in),
                            in.getLong()));
                }
                pending.put(group, offsets);
            }
            if (in.hasRemaining()) {
                throw new IllegalArgumentException(in.remaining() + " unexpected trailing bytes");
            }
            return new TransactionRecord(transactionalId, producerId, previousProducerId, epoch, lastEpoch, timeoutMs,
                    state, partitions, groups, pending, startTimeMs, lastUpdateMs);
        } catch (BufferUnderflowException e) {
            throw new IllegalArgumentException("truncated transaction record", e);
        }
    }

    private static int count(ByteBuffer in) {
        int count = in.getInt();
        if (count < 0 || count > in.remaining()) {
            throw new IllegalArgumentException("invalid count " + count);
        }
        return count;
    }

    private static void writeString(DataOutputStream out, String value) throws IOException {
        byte[] bytes = value.getBytes(StandardCharsets.UTF_8);
        if (bytes.length > 0xFFFF) {
            throw new IllegalArgumentException("string of " + bytes.length + " bytes is too long to store");
        }
        out.writeShort(bytes.length);
        out.write(bytes);
    }

    private static void writeNullableString(DataOutputStream out, String value) throws IOException {
        if (value == null) {
            out.writeInt(-1);
            return;
        }
        byte[] bytes = value.getBytes(StandardCharsets.UTF_8);
        out.writeInt(bytes.length);
        out.write(bytes);
    }

    private static String readString(ByteBuffer in) {
        int length = Short.toUnsignedInt(in.getShort());
        return readUtf8(in, length);
    }

    private static String readNullableString(ByteBuffer in) {
        int length = in.getInt();
        if (length == -1) {
            return null;
        }
        if (length < 0) {
            throw new IllegalArgumentException("invalid string length " + length);
        }
        return readUtf8(in, length);
    }

    private static String readUtf8(ByteBuffer in, int length) {
        if (length > in.remaining()) {
            throw new IllegalArgumentException("string of " + length + " bytes overruns the record");
        }
        byte[] bytes = new byte[length];
        in.get(bytes);
        return new String(bytes, StandardCharsets.UTF_8);
    }
}
