package io.memorystreamer.storage.log.internal;

import io.memorystreamer.spi.storage.CorruptBatchException;
import java.nio.ByteBuffer;

/**
 * Checks and numbers the batches handed to an append. The broker has already verified CRCs and
 * record contents; here only the framing that storage depends on is checked, before a single byte
 * is written, so a bad request never leaves a partial batch in the log.
 */
final class IncomingBatches {

    private IncomingBatches() {
    }

    /**
     * Checks that {@code batches} (position to limit, big-endian view) is a run of whole v2 batches.
     *
     * @return the number of offsets the batches take
     * @throws CorruptBatchException naming the first problem
     */
    static long validate(ByteBuffer batches) {
        if (!batches.hasRemaining()) {
            throw new CorruptBatchException("no record batches to append");
        }
        long offsets = 0;
        int pos = batches.position();
        int batchIndex = 0;
        while (pos < batches.limit()) {
            String problem = BatchHeader.headerProblem(batches, pos, batches.limit() - pos);
            if (problem != null) {
                throw new CorruptBatchException("record batch " + batchIndex + " at byte "
                        + (pos - batches.position()) + ": " + problem);
            }
            offsets += BatchHeader.lastOffsetDelta(batches, pos) + 1L;
            pos += (int) BatchHeader.batchSize(batches, pos);
            batchIndex++;
        }
        return offsets;
    }

    /**
     * Rewrites each batch's base offset so the batches are contiguous from {@code firstOffset}.
     *
     * @return the offset after the last batch
     */
    static long assignOffsets(ByteBuffer batches, long firstOffset) {
        long next = firstOffset;
        int pos = batches.position();
        while (pos < batches.limit()) {
            batches.putLong(pos + BatchHeader.BASE_OFFSET, next);
            next += BatchHeader.lastOffsetDelta(batches, pos) + 1L;
            pos += (int) BatchHeader.batchSize(batches, pos);
        }
        return next;
    }
}
