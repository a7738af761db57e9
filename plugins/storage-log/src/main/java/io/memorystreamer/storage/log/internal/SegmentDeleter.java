package io.memorystreamer.storage.log.internal;

import java.io.IOException;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Closes and deletes segments removed from a log after a grace delay
 * ({@code log.segment.delete.delay.ms}), so that file regions already handed to readers can still
 * be sent. Thread-safe.
 */
public final class SegmentDeleter {

    private static final Logger LOG = LoggerFactory.getLogger(SegmentDeleter.class);

    private final ScheduledExecutorService scheduler;
    /** Segments waiting for deletion; the flag is claimed by whichever path deletes it first. */
    private final Map<LogSegment, AtomicBoolean> pending = new ConcurrentHashMap<>();
    private volatile long delayMs;

    public SegmentDeleter(ScheduledExecutorService scheduler, long delayMs) {
        this.scheduler = scheduler;
        this.delayMs = delayMs;
    }

    public void delayMs(long value) {
        this.delayMs = value;
    }

    /** Deletes a segment (already renamed and removed from its log) once the delay has passed. */
    void schedule(LogSegment segment) {
        pending.put(segment, new AtomicBoolean());
        try {
            scheduler.schedule(() -> deleteIfPending(segment), delayMs, TimeUnit.MILLISECONDS);
        } catch (RejectedExecutionException shuttingDown) {
            deleteIfPending(segment);
        }
    }

    /** Deletes every pending segment now; used at shutdown. */
    public void deletePendingNow() {
        for (LogSegment segment : pending.keySet()) {
            deleteIfPending(segment);
        }
    }

    /** Segments whose files are not deleted yet. */
    public int pendingCount() {
        return pending.size();
    }

    private void deleteIfPending(LogSegment segment) {
        AtomicBoolean claim = pending.get(segment);
        if (claim == null || !claim.compareAndSet(false, true)) {
            return;
        }
        try {
            segment.closeAndDelete();
        } catch (IOException e) {
            LOG.warn("Could not delete segment file: file={} error={}", segment.logFile(), e.toString());
        } finally {
            pending.remove(segment);
        }
    }
}
