package io.memorystreamer.storage.log.internal;

import java.io.IOException;
import java.time.InstantSource;
import java.util.Collection;
import java.util.IdentityHashMap;
import java.util.Map;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The background threads that compact logs whose {@code cleanup.policy} contains
 * {@code compact}: {@code log.cleaner.threads} daemon threads named {@code storage-log-cleaner}
 * (then {@code storage-log-cleaner-1}, ...). Each repeatedly takes the most urgent due log that no
 * other thread is cleaning ({@link CleaningPlan#priority()}) and runs one {@link Compactor} pass
 * on it; when no log is due it waits {@code log.cleaner.backoff.ms}. A log whose pass found
 * nothing to do, or failed, is not looked at again for one back-off.
 *
 * <p>The threads are never interrupted: an interrupt during a read would close the segment's
 * shared file channel. Stopping sets a flag that passes check between chunks. Thread-safe.
 */
final class LogCleaner implements AutoCloseable {

    static final String THREAD_NAME = "storage-log-cleaner";

    private static final Logger LOG = LoggerFactory.getLogger(LogCleaner.class);

    private final CleanerSettings settings;
    private final InstantSource clock;
    private final Supplier<Collection<SegmentedLog>> logs;
    private final ScheduledThreadPoolExecutor threads;
    /** Logs being compacted now, each by one thread. Guarded by this. */
    private final Map<SegmentedLog, Boolean> inProgress = new IdentityHashMap<>();
    /** Logs not to look at before the given {@link System#nanoTime()} (real time, as the threads wait). Guarded by this. */
    private final Map<SegmentedLog, Long> backOffUntil = new IdentityHashMap<>();
    private volatile boolean stopping;

    LogCleaner(CleanerSettings settings, InstantSource clock, Supplier<Collection<SegmentedLog>> logs) {
        this.settings = settings;
        this.clock = clock;
        this.logs = logs;
        AtomicInteger count = new AtomicInteger();
        this.threads = new ScheduledThreadPoolExecutor(settings.threads(), runnable -> {
            int index = count.getAndIncrement();
            Thread thread = new Thread(runnable, index == 0 ? THREAD_NAME : THREAD_NAME + "-" + index);
            thread.setDaemon(true);
            return thread;
        });
        threads.setExecuteExistingDelayedTasksAfterShutdownPolicy(false);
        threads.setContinueExistingPeriodicTasksAfterShutdownPolicy(false);
        for (int i = 0; i < settings.threads(); i++) {
            threads.execute(new CleanerLoop(new Compactor(settings, clock, () -> stopping)));
        }
    }

    /** Waits until no thread compacts {@code log}; the log must be closed, which stops its pass. */
    synchronized void awaitIdle(SegmentedLog log) {
        while (inProgress.containsKey(log)) {
            try {
                wait(100);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
        backOffUntil.remove(log);
    }

    /** Stops the threads, letting a running pass stop at its next chunk. */
    @Override
    public void close() {
        stopping = true;
        threads.shutdown();
        try {
            if (!threads.awaitTermination(30, TimeUnit.SECONDS)) {
                LOG.warn("Log cleaner threads did not stop within 30 s");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** One look for work; returns whether a pass ran. */
    boolean runOnce(Compactor compactor) {
        SegmentedLog log = take();
        if (log == null) {
            return false;
        }
        long backOff = 0;
        try {
            Compactor.Outcome outcome = compactor.compact(log);
            if (outcome != Compactor.Outcome.CLEANED) {
                backOff = settings.backoffMs();
            }
        } catch (IOException | RuntimeException e) {
            if (!log.isClosed() && !stopping) {
                LOG.warn("Compaction of a partition log failed, retrying after the back-off: partition={} error={}",
                        log.partition(), e.toString());
            }
            backOff = settings.backoffMs();
        } finally {
            release(log, backOff);
        }
        return true;
    }

    private synchronized SegmentedLog take() {
        long now = clock.millis();
        long nowNanos = System.nanoTime();
        backOffUntil.keySet().removeIf(SegmentedLog::isClosed);
        backOffUntil.values().removeIf(until -> until - nowNanos <= 0);
        SegmentedLog best = null;
        double bestPriority = -1;
        for (SegmentedLog log : logs.get()) {
            if (log.isClosed() || inProgress.containsKey(log) || backOffUntil.containsKey(log)
                    || !log.config().cleanup().compact()) {
                continue;
            }
            try {
                CleaningPlan plan = Compactor.plan(log, now);
                if (plan.isDue(log.config().cleanup()) && plan.priority() > bestPriority) {
                    best = log;
                    bestPriority = plan.priority();
                }
            } catch (IOException | RuntimeException e) {
                // Closed or failing meanwhile: skip it this time.
                backOffUntil.put(log, nowNanos + TimeUnit.MILLISECONDS.toNanos(settings.backoffMs()));
            }
        }
        if (best != null) {
            inProgress.put(best, Boolean.TRUE);
        }
        return best;
    }

    private synchronized void release(SegmentedLog log, long backOffMs) {
        inProgress.remove(log);
        if (backOffMs > 0 && !log.isClosed()) {
            backOffUntil.put(log, System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(backOffMs));
        }
        notifyAll();
    }

    /** A thread's loop: look for work, and again at once after a pass or after the back-off. */
    private final class CleanerLoop implements Runnable {
        private final Compactor compactor;

        CleanerLoop(Compactor compactor) {
            this.compactor = compactor;
        }

        @Override
        public void run() {
            boolean worked = false;
            try {
                worked = runOnce(compactor);
            } finally {
                if (!stopping) {
                    try {
                        threads.schedule(this, worked ? 0 : settings.backoffMs(), TimeUnit.MILLISECONDS);
                    } catch (RejectedExecutionException stoppedMeanwhile) {
                        // close() ran between the check and the schedule.
                    }
                }
            }
        }
    }
}
