package io.memorystreamer.broker.internal.fetch;

import io.memorystreamer.broker.internal.api.ApiResponse;
import io.memorystreamer.spi.storage.PartitionId;
import io.memorystreamer.spi.storage.StorageException;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Supplier;

/**
 * A fetch waiting for {@code min_bytes} of new data or for its {@code max_wait_ms}. It holds the
 * request, not data: when it completes it reads the log again. Completes exactly once.
 */
final class DelayedFetch {

    private final List<WatchedPartition> watched;
    private final Map<PartitionId, Integer> maxBytesByPartition = new HashMap<>();
    private final long minBytes;
    private final AtomicLong accumulatedBytes;
    private final Supplier<ApiResponse> reread;
    private final AtomicBoolean completed = new AtomicBoolean();
    private final CompletableFuture<ApiResponse> future = new CompletableFuture<>();
    private volatile ScheduledFuture<?> timeout;

    /**
     * @param watched the partitions to watch for appends
     * @param bytesSoFar record bytes the first read found
     * @param minBytes bytes that make the fetch worth answering
     * @param reread reads the request again and builds the response
     */
    DelayedFetch(List<WatchedPartition> watched, long bytesSoFar, long minBytes, Supplier<ApiResponse> reread) {
        this.watched = List.copyOf(watched);
        for (WatchedPartition partition : this.watched) {
            maxBytesByPartition.merge(partition.id(), partition.maxBytes(), Math::max);
        }
        this.minBytes = minBytes;
        this.accumulatedBytes = new AtomicLong(bytesSoFar);
        this.reread = reread;
    }

    List<WatchedPartition> watched() {
        return watched;
    }

    CompletableFuture<ApiResponse> future() {
        return future;
    }

    void timeout(ScheduledFuture<?> task) {
        this.timeout = task;
    }

    /**
     * Counts bytes appended to a watched partition, at most that partition's limit.
     *
     * @return whether the fetch now has enough to answer
     */
    boolean onAppend(PartitionId partition, int bytes) {
        int cap = maxBytesByPartition.getOrDefault(partition, 0);
        return accumulatedBytes.addAndGet(Math.min(bytes, Math.max(cap, 0))) >= minBytes;
    }

    /** Whether a watched partition moved since the first read (an append may have been missed). */
    boolean highWatermarkMoved() {
        try {
            for (WatchedPartition partition : watched) {
                if (partition.log().highWatermark() != partition.observedHighWatermark()) {
                    return true;
                }
            }
            return false;
        } catch (StorageException e) {
            return true;
        }
    }

    /** Takes the right to complete; only the first caller gets it. */
    boolean claim() {
        return completed.compareAndSet(false, true);
    }

    /** Reads again and completes the response; call after {@link #claim()} succeeded. */
    void finish() {
        ScheduledFuture<?> task = timeout;
        if (task != null) {
            task.cancel(false);
        }
        try {
            future.complete(reread.get());
        } catch (RuntimeException e) {
            future.completeExceptionally(e);
        }
    }
}
