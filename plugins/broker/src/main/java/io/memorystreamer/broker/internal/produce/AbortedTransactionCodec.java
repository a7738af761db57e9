package io.memorystreamer.broker.internal.produce;

import io.memorystreamer.broker.internal.fetch.AbortedTransaction;
import io.memorystreamer.spi.storage.PartitionId;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import org.apache.kafka.common.Uuid;

/**
 * The stored form of the aborted-transaction index (namespace {@code aborted-txns}): one entry
 * per ABORT marker that ended a transaction with records on the partition.
 *
 * <p>Key: the topic name (UTF-8), a zero byte, the partition index as int32, then the marker
 * offset as int64 (big-endian), so a partition's entries sort by marker offset and a prefix scan
 * finds them. Value, version 1, big-endian: {@code version:int8 = 1, topicId:uuid(16),
 * producerId:int64, firstOffset:int64, lastOffset:int64, lastStableOffset:int64}. The topic id
 * tells the entries of a deleted topic from those of a new topic with the same name.
 */
final class AbortedTransactionCodec {

    static final String NAMESPACE = "aborted-txns";
    static final byte VERSION = 1;

    private static final int VALUE_BYTES = 1 + 16 + 8 * 4;

    /** A decoded entry and the topic incarnation it belongs to. */
    record Stored(Uuid topicId, AbortedTransaction transaction) {
    }

    private AbortedTransactionCodec() {
    }

    static byte[] key(PartitionId partition, long markerOffset) {
        byte[] prefix = partitionPrefix(partition);
        return ByteBuffer.allocate(prefix.length + 8).put(prefix).putLong(markerOffset).array();
    }

    /** The key prefix of every entry of a partition. */
    static byte[] partitionPrefix(PartitionId partition) {
        byte[] topic = topicPrefix(partition.topic());
        return ByteBuffer.allocate(topic.length + 4).put(topic).putInt(partition.partition()).array();
    }

    /** The key prefix of every entry of a topic. */
    static byte[] topicPrefix(String topic) {
        byte[] name = topic.getBytes(StandardCharsets.UTF_8);
        return ByteBuffer.allocate(name.length + 1).put(name).put((byte) 0).array();
    }

    static byte[] encode(Uuid topicId, AbortedTransaction transaction) {
        return ByteBuffer.allocate(VALUE_BYTES)
                .put(VERSION)
                .putLong(topicId.getMostSignificantBits())
                .putLong(topicId.getLeastSignificantBits())
                .putLong(transaction.producerId())
                .putLong(transaction.firstOffset())
                .putLong(transaction.lastOffset())
                .putLong(transaction.lastStableOffset())
                .array();
    }

    /**
     * @throws IllegalArgumentException if the value is not a version 1 entry
     */
    static Stored decode(byte[] value) {
        if (value.length != VALUE_BYTES) {
            throw new IllegalArgumentException("an aborted transaction entry has " + VALUE_BYTES + " bytes, not "
                    + value.length);
        }
        ByteBuffer in = ByteBuffer.wrap(value);
        byte version = in.get();
        if (version != VERSION) {
            throw new IllegalArgumentException("unknown aborted transaction entry version " + version);
        }
        Uuid topicId = new Uuid(in.getLong(), in.getLong());
        return new Stored(topicId, new AbortedTransaction(in.getLong(), in.getLong(), in.getLong(), in.getLong()));
    }
}
