package io.memorystreamer.spi.storage;

import java.nio.ByteBuffer;
import java.util.Optional;
import org.osgi.annotation.versioning.ProviderType;

/**
 * The append-only log of one partition: Kafka record batches (magic v2) stored back to back.
 *
 * <h2>Threading</h2>
 * Writes ({@link #append}, {@link #truncateTo}, {@link #deleteRecordsBefore}, {@link #flush},
 * {@link #updateHighWatermark}) are serialised by the caller: at most one thread writes a given
 * log at a time. Reads ({@link #read}, {@link #lookupTimestamp} and the offset accessors) may run
 * on any thread concurrently with a write and see only whole batches. Every method may block on
 * disk I/O and must never be called from a network event loop.
 *
 * <h2>Errors</h2>
 * Methods throw {@link StorageException} (or a subclass) for I/O failures and invalid arguments.
 * After {@link #close()} every method throws {@link StorageException}.
 */
@ProviderType
public interface PartitionLog extends AutoCloseable {

    /** The partition this log stores. */
    PartitionId partition();

    /**
     * Appends already validated record batches.
     *
     * <p>The log assigns offsets: it rewrites each batch's base offset field (which the batch CRC
     * does not cover) so that the first batch starts at {@link #logEndOffset()} and batches are
     * contiguous. All other bytes are stored exactly as given. When the log's flush policy asks for
     * it, the batches are on stable storage before this method returns.
     *
     * @param batches one or more whole v2 record batches, position to limit; the buffer's base
     *     offset fields are overwritten
     * @return the offsets assigned
     * @throws CorruptBatchException if the bytes are not whole v2 batches
     */
    AppendResult append(ByteBuffer batches);

    /**
     * Reads whole batches starting with the batch that contains {@code fetchOffset}.
     *
     * @param fetchOffset the first offset wanted
     * @param maxBytes stop before a batch that would take the total over this
     * @param maxOffset exclusive upper bound: batches whose last offset is at or above it are not
     *     returned (the high watermark or last stable offset)
     * @param minOneBatch return the first batch even if it is larger than {@code maxBytes}
     * @return the batches; empty when {@code fetchOffset} equals the log end offset
     * @throws OffsetOutOfRangeException if {@code fetchOffset} is below the log start offset or
     *     above the log end offset
     */
    LogReadResult read(long fetchOffset, int maxBytes, long maxOffset, boolean minOneBatch);

    /**
     * Finds the first batch holding a record with a timestamp at or after {@code timestamp}.
     *
     * @return the batch, or empty if every record is older
     */
    Optional<TimestampLookup> lookupTimestamp(long timestamp);

    /** The first offset still in the log. */
    long logStartOffset();

    /** The offset the next appended record will get. */
    long logEndOffset();

    /** The offset below which records are committed and visible to consumers. */
    long highWatermark();

    /**
     * Moves the high watermark; it never goes beyond the log end offset.
     *
     * @param offset the new high watermark
     */
    void updateHighWatermark(long offset);

    /**
     * Removes every record at or after {@code offset}; used when a replica diverged. If the offset
     * falls inside a batch, the whole batch is removed and the log end offset becomes that batch's
     * base offset.
     *
     * @param offset the new log end offset, between log start and log end offset
     */
    void truncateTo(long offset);

    /**
     * Advances the log start offset; whole segments below it are deleted.
     *
     * @param offset the new log start offset, at most the high watermark
     */
    void deleteRecordsBefore(long offset);

    /** Forces every appended batch to stable storage. */
    void flush();

    /** The number of bytes the log occupies on disk. */
    long sizeInBytes();

    /** Flushes and releases files. Idempotent. */
    @Override
    void close();
}
