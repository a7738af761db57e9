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
 * <p>Version 1, big-endian: {@code version:int8, topicId:uuid(16), coveredOffset:int64,
 * producerCount:int32}, then per producer {@code producerId:int64, epoch:int16,
 * lastAppendMs:int64, batchCount:int8} followed by {@code batchCount} times
 * {@code firstSequence:int32, lastSequence:int32, firstOffset:int64, lastOffset:int64,
 * timestamp:int64}, oldest batch first. {@code coveredOffset} is the log end offset the state
 * reflects: batches from there on are replayed from the log. The topic id tells a snapshot of a
 * deleted topic from one of a new topic with the same name.
 */
final class ProducerStateCodec {

    static final byte VERSION = 1;

    private static final int HEADER_BYTES = 1 + 16 + 8 + 4;
    private static final int PRODUCER_BYTES = 8 + 2 + 8 + 1;
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
                    .put((byte) batches.size());
            for (BatchMetadata batch : batches) {
                out.putInt(batch.firstSequence()).putInt(batch.lastSequence())
                        .putLong(batch.firstOffset()).putLong(batch.lastOffset()).putLong(batch.timestamp());
            }
        }
        return out.array();
    }

    /**
     * @throws IllegalArgumentException if the value is not a version 1 snapshot
     */
    static Snapshot decode(byte[] value) {
        ByteBuffer in = ByteBuffer.wrap(value);
        try {
            byte version = in.get();
            if (version != VERSION) {
                throw new IllegalArgumentException("unknown producer state version " + version);
            }
            Uuid topicId = new Uuid(in.getLong(), in.getLong());
            long coveredOffset = in.getLong();
            int count = in.getInt();
            if (count < 0 || count > in.remaining() / PRODUCER_BYTES) {
                throw new IllegalArgumentException("invalid producer count " + count);
            }
            List<ProducerEntry> producers = new ArrayList<>(count);
            for (int i = 0; i < count; i++) {
                producers.add(decodeEntry(in));
            }
            if (in.hasRemaining()) {
                throw new IllegalArgumentException(in.remaining() + " unexpected trailing bytes");
            }
            return new Snapshot(topicId, coveredOffset, producers);
        } catch (BufferUnderflowException e) {
            throw new IllegalArgumentException("truncated producer state", e);
        }
    }

    private static ProducerEntry decodeEntry(ByteBuffer in) {
        long producerId = in.getLong();
        short epoch = in.getShort();
        long lastAppendMs = in.getLong();
        int batchCount = in.get();
        if (batchCount < 0 || batchCount > ProducerEntry.REMEMBERED_BATCHES) {
            throw new IllegalArgumentException("invalid batch count " + batchCount + " for producer " + producerId);
        }
        ProducerEntry entry = new ProducerEntry(producerId, epoch, lastAppendMs);
        for (int b = 0; b < batchCount; b++) {
            entry.add(epoch, new BatchMetadata(in.getInt(), in.getInt(), in.getLong(), in.getLong(), in.getLong()),
                    lastAppendMs);
        }
        return entry;
    }
}
