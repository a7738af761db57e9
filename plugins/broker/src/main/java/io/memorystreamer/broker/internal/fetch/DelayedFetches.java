package io.memorystreamer.broker.internal.fetch;

import io.memorystreamer.broker.internal.api.ApiResponse;
import io.memorystreamer.spi.storage.PartitionId;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

/**
 * Fetches parked until enough bytes arrive or their wait runs out, watched by partition.
 *
 * <p>Appends call {@link #onAppend} with the bytes they added; a fetch completes when the bytes
 * counted since it parked reach its {@code min_bytes}, when its timer (on the scheduler) fires,
 * when a watched topic is deleted, or on {@link #close()}. Nothing polls. Completion reads the
 * logs again on the completing thread: the producing request thread, the scheduler thread, or the
 * closing thread. At most {@code maxParked} fetches wait; beyond that a fetch is answered at once.
 * Thread-safe.
 */
public final class DelayedFetches implements AutoCloseable {

    private final ScheduledExecutorService scheduler;
    private final int maxParked;
    private final ConcurrentHashMap<PartitionId, Set<DelayedFetch>> watchers = new ConcurrentHashMap<>();
    private final Set<DelayedFetch> parked = ConcurrentHashMap.newKeySet();
    private volatile boolean closed;

    /**
     * @param scheduler runs the timeouts
     * @param maxParked the most fetches that may wait at once
     */
    public DelayedFetches(ScheduledExecutorService scheduler, int maxParked) {
        this.scheduler = scheduler;
        this.maxParked = maxParked;
    }

    /**
     * Parks a fetch, or answers it at once when closed or full.
     *
     * @param watched the partitions whose appends may complete it
     * @param bytesSoFar record bytes already available
     * @param minBytes bytes that complete it
     * @param maxWaitMs the longest wait
     * @param reread reads the request again and builds the response
     */
    CompletionStage<ApiResponse> park(List<WatchedPartition> watched, long bytesSoFar, long minBytes, long maxWaitMs,
            Supplier<ApiResponse> reread) {
        DelayedFetch fetch = new DelayedFetch(watched, bytesSoFar, minBytes, reread);
        if (closed || parked.size() >= maxParked) {
            return CompletableFuture.completedFuture(reread.get());
        }
        parked.add(fetch);
        for (WatchedPartition partition : fetch.watched()) {
            watchers.compute(partition.id(), (id, set) -> {
                Set<DelayedFetch> fetches = set == null ? ConcurrentHashMap.newKeySet() : set;
                fetches.add(fetch);
                return fetches;
            });
        }
        try {
            fetch.timeout(scheduler.schedule(() -> complete(fetch), maxWaitMs, TimeUnit.MILLISECONDS));
        } catch (RejectedExecutionException e) {
            complete(fetch);
        }
        // An append between the first read and the registration above would otherwise be missed.
        if (closed || fetch.highWatermarkMoved()) {
            complete(fetch);
        }
        return fetch.future();
    }

    /** Called after an append to a partition made {@code bytes} more visible to fetches. */
    public void onAppend(PartitionId partition, int bytes) {
        Set<DelayedFetch> fetches = watchers.get(partition);
        if (fetches == null) {
            return;
        }
        for (DelayedFetch fetch : fetches) {
            if (fetch.onAppend(partition, bytes)) {
                complete(fetch);
            }
        }
    }

    /** Answers every fetch waiting on a partition of a deleted topic. */
    public void onTopicDeleted(String topic) {
        watchers.forEach((partition, fetches) -> {
            if (partition.topic().equals(topic)) {
                fetches.forEach(this::complete);
            }
        });
    }

    /** How many fetches wait now. */
    public int parkedCount() {
        return parked.size();
    }

    /** Answers every waiting fetch; later fetches are answered at once. Idempotent. */
    @Override
    public void close() {
        closed = true;
        parked.forEach(this::complete);
    }

    private void complete(DelayedFetch fetch) {
        if (!fetch.claim()) {
            return;
        }
        parked.remove(fetch);
        for (WatchedPartition partition : fetch.watched()) {
            watchers.computeIfPresent(partition.id(), (id, fetches) -> {
                fetches.remove(fetch);
                return fetches.isEmpty() ? null : fetches;
            });
        }
        fetch.finish();
    }
}
