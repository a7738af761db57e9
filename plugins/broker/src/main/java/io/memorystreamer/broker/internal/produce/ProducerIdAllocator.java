package io.memorystreamer.broker.internal.produce;

import io.memorystreamer.spi.state.StateNamespace;
import io.memorystreamer.spi.state.StateStore;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Optional;

/**
 * Hands out producer ids that are never reused, even across restarts. Ids are reserved from a
 * durable counter in blocks, so the state store is written once per block rather than once per
 * id; ids of a block left unused when the broker stops are skipped. Thread-safe.
 *
 * <p>Stored form (namespace {@code producer-ids}, key {@code next-block}): {@code version:int8 = 1,
 * nextUnreservedId:int64}, big-endian.
 */
final class ProducerIdAllocator {

    static final String NAMESPACE = "producer-ids";
    static final byte[] KEY = "next-block".getBytes(StandardCharsets.US_ASCII);
    static final int BLOCK_SIZE = 1000;

    private static final byte VERSION = 1;

    private final StateNamespace namespace;
    private long next;
    private long blockEnd;

    ProducerIdAllocator(StateStore store) {
        this.namespace = store.namespace(NAMESPACE);
    }

    /**
     * The next unused producer id.
     *
     * @throws io.memorystreamer.spi.state.StateException if a new block cannot be reserved
     */
    synchronized long allocate() {
        if (next >= blockEnd) {
            reserveBlock();
        }
        return next++;
    }

    private void reserveBlock() {
        long start = stored().orElse(0L);
        long end = start + BLOCK_SIZE;
        namespace.put(KEY, encode(end));
        next = start;
        blockEnd = end;
    }

    private Optional<Long> stored() {
        return namespace.get(KEY).map(ProducerIdAllocator::decode);
    }

    static byte[] encode(long nextUnreserved) {
        return ByteBuffer.allocate(9).put(VERSION).putLong(nextUnreserved).array();
    }

    static long decode(byte[] value) {
        if (value.length != 9 || value[0] != VERSION) {
            throw new IllegalStateException("unreadable producer id counter (" + value.length + " bytes, version "
                    + (value.length == 0 ? "none" : value[0]) + ")");
        }
        return ByteBuffer.wrap(value, 1, 8).getLong();
    }
}
