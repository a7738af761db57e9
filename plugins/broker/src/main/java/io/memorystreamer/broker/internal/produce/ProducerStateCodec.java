package io.memorystreamer.broker.internal.produce;

import java.nio.BufferUnderflowException;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import org.apache.kafka.common.Uuid;

/**
 * The stored form of a partition's producer state (namespace {@code producer-state}).
 *
 * <p>Version 2, big-endian: {@code version:int8, topicId:uuid(16), coveredOffset:int64,
 * producerCount:int32}, then per producer {@code producerId:int64, epoch:int16,
 * lastAppendMs:int64, currentTxnFirstOffset:int64, coordinatorEpoch:int32, batchCount:int8}
 * followed by {@code batchCount} times {@code firstSequence:int32, lastSequence:int32,
 * firstOffset:int64, lastOffset:int64, timestamp:int64}, oldest batch first.
 * {@code currentTxnFirstOffset} is -1 when the producer has no open transaction on the
 * partition. Version 1 is the same without {@code currentTxnFirstOffset} and
 * {@code coordinatorEpoch}; it is still read.
 *
 * <p>{@code coveredOffset} is the log end offset the state reflects: batches from there on are
 * replayed from the log. The topic id tells a snapshot of a deleted topic from one of a new topic
 * with the same name.
 */
final class ProducerStateCodec {

    static final byte VERSION = 2;
    private static final byte VERSION_1 = 1;

    private static final int HEADER_BYTES = 1 + 16 + 8 + 4;
    private static final int PRODUCER_BYTES_V1 = 8 + 2 + 8 + 1;
    private static final int PRODUCER_BYTES = PRODUCER_BYTES_V1 + 8 + 4;
    private static final int BATCH_BYTES = 4 + 4 + 8 + 8 + 8;

    /** A decoded snapshot. */
    record Snapshot(Uuid topicId, long coveredOffset, List<ProducerEntry> producers) {
    }

    private ProducerStateCodec() {
    }

    static byte[] encode(Uuid topicId, long coveredOffset, Collection<ProducerEntry> producers) {
        List<ProducerEntry> entries = List.copyOf(producers);
        int size = HEADER_BYTES;
        for (ProducerEntry entry : entries) {
            size += PRODUCER_BYTES + entry.batches().size() * BATCH_BYTES;
        }
        ByteBuffer out = ByteBuffer.allocate(size);
        out.put(VERSION)
                .putLong(topicId.getMostSignificantBits())
                .putLong(topicId.getLeastSignificantBits())
                .putLong(coveredOffset)
                .putInt(entries.size());
        for (ProducerEntry entry : entries) {
            List<BatchMetadata> batches = entry.batches();
            out.putLong(entry.producerId()).putShort(entry.epoch()).putLong(entry.lastAppendMs())
                    .putLong(entry.currentTxnFirstOffset()).putInt(entry.coordinatorEpoch())
                    .put((byte) batches.size());
            for (BatchMetadata batch : batches) {
                out.putInt(batch.firstSequence()).putInt(batch.lastSequence())
                        .putLong(batch.firstOffset()).putLong(batch.lastOffset()).putLong(batch.timestamp());
            }
        }
        return out.array();
    }

    /**
     * @throws IllegalArgumentException if the value is not a version 1 or 2 snapshot
     */
    static Snapshot decode(byte[] value) {
        ByteBuffer in = ByteBuffer.wrap(value);
        try {
            byte version = in.get();
            if (version != VERSION && version != VERSION_1) {
                throw new IllegalArgumentException("unknown producer state version " + version);
            }
            Uuid topicId = new Uuid(in.getLong(), in.getLong());
            long coveredOffset = in.getLong();
            int count = in.getInt();
            int minProducerBytes = version == VERSION_1 ? PRODUCER_BYTES_V1 : PRODUCER_BYTES;
            if (count < 0 || count > in.remaining() / minProducerBytes) {
                throw new IllegalArgumentException("invalid producer count " + count);
            }
            List<ProducerEntry> producers = new ArrayList<>(count);
            for (int i = 0; i < count; i++) {
                producers.add(decodeEntry(in, version));
            }
            if (in.hasRemaining()) {
                throw new IllegalArgumentException(in.remaining() + " unexpected trailing bytes");
            }
            return new Snapshot(topicId, coveredOffset, producers);
        } catch (BufferUnderflowException e) {
            throw new IllegalArgumentException("truncated producer state", e);
        }
    }

    private static ProducerEntry decodeEntry(ByteBuffer in, byte version) {
        long producerId = in.getLong();
        short epoch = in.getShort();
        long lastAppendMs = in.getLong();
        long txnFirstOffset = ProducerEntry.NO_TRANSACTION;
        int coordinatorEpoch = -1;
        if (version != VERSION_1) {
            txnFirstOffset = in.getLong();
            coordinatorEpoch = in.getInt();
            if (txnFirstOffset < ProducerEntry.NO_TRANSACTION) {
                throw new IllegalArgumentException("invalid transaction first offset " + txnFirstOffset
                        + " for producer " + producerId);
            }
        }
        int batchCount = in.get();
        if (batchCount < 0 || batchCount > ProducerEntry.REMEMBERED_BATCHES) {
            throw new IllegalArgumentException("invalid batch count " + batchCount + " for producer " + producerId);
        }
        ProducerEntry entry = new ProducerEntry(producerId, epoch, lastAppendMs);
        for (int b = 0; b < batchCount; b++) {
            entry.add(epoch, new BatchMetadata(in.getInt(), in.getInt(), in.getLong(), in.getLong(), in.getLong()),
                    lastAppendMs);
        }
        entry.restoreTransaction(txnFirstOffset, coordinatorEpoch);
        return entry;
    }
}
