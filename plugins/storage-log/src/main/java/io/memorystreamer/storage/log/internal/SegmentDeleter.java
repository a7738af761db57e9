package io.memorystreamer.storage.log.internal;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Closes and deletes the files of removed segments and of deleted partitions after a grace delay
 * ({@code log.segment.delete.delay.ms}), so that file regions already handed to readers can still
 * be sent. Thread-safe.
 */
public final class SegmentDeleter {

    private static final Logger LOG = LoggerFactory.getLogger(SegmentDeleter.class);

    /** Files to delete: what they are (for the log) and how. */
    private record Deletion(String what, IoAction action) {
    }

    @FunctionalInterface
    private interface IoAction {
        void run() throws IOException;
    }

    private final ScheduledExecutorService scheduler;
    /** Deletions waiting; the flag is claimed by whichever path runs it first. */
    private final Map<Deletion, AtomicBoolean> pending = new ConcurrentHashMap<>();
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
        schedule(new Deletion("segment file " + segment.logFile(), segment::closeAndDelete));
    }

    /**
     * Discards the segments of a deleted partition and removes its directory (already renamed out
     * of the way) once the delay has passed.
     */
    void schedule(Path retiredDirectory, List<LogSegment> segments) {
        schedule(new Deletion("deleted partition directory " + retiredDirectory, () -> {
            discard(segments);
            Directories.deleteRecursively(retiredDirectory);
        }));
    }

    /** Unmaps and closes segments whose files are about to go, without trimming or forcing anything. */
    static void discard(List<LogSegment> segments) {
        for (LogSegment segment : segments) {
            try {
                segment.closeForDeletion();
            } catch (IOException e) {
                LOG.warn("Could not close a deleted segment: file={} error={}", segment.logFile(), e.toString());
            }
        }
    }

    /** Runs every pending deletion now; used at shutdown. */
    public void deletePendingNow() {
        for (Deletion deletion : pending.keySet()) {
            runIfPending(deletion);
        }
    }

    /** Deletions whose files are not deleted yet. */
    public int pendingCount() {
        return pending.size();
    }

    private void schedule(Deletion deletion) {
        pending.put(deletion, new AtomicBoolean());
        try {
            scheduler.schedule(() -> runIfPending(deletion), delayMs, TimeUnit.MILLISECONDS);
        } catch (RejectedExecutionException shuttingDown) {
            runIfPending(deletion);
        }
    }

    private void runIfPending(Deletion deletion) {
        AtomicBoolean claim = pending.get(deletion);
        if (claim == null || !claim.compareAndSet(false, true)) {
            return;
        }
        try {
            deletion.action().run();
        } catch (IOException e) {
            LOG.warn("Could not delete {}: {}", deletion.what(), e.toString());
        } finally {
            pending.remove(deletion);
        }
    }
}
