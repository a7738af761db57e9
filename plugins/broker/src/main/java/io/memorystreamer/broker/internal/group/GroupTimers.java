package io.memorystreamer.broker.internal.group;

import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.common.errors.ApiException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Group timers (session expiry, rebalance and sync deadlines) on the broker's shared scheduler.
 * A timer task that fails is logged and never kills the scheduler thread.
 */
final class GroupTimers {

    private static final Logger LOG = LoggerFactory.getLogger(GroupTimers.class);

    private final ScheduledExecutorService scheduler;

    GroupTimers(ScheduledExecutorService scheduler) {
        this.scheduler = scheduler;
    }

    /**
     * Runs {@code task} after {@code delayMs}.
     *
     * @return the timer, or null when the scheduler is shutting down (the broker is stopping)
     */
    ScheduledFuture<?> schedule(long delayMs, String what, Runnable task) {
        try {
            return scheduler.schedule(() -> {
                try {
                    task.run();
                } catch (ApiException e) {
                    // The registry reset the group and logged the cause.
                    LOG.warn("Group timer ended early: {}: {}", what, e.getMessage());
                } catch (RuntimeException e) {
                    LOG.error("Group timer failed: {}", what, e);
                }
            }, Math.max(0, delayMs), TimeUnit.MILLISECONDS);
        } catch (RejectedExecutionException e) {
            LOG.debug("Not scheduling {}: the scheduler is shutting down", what);
            return null;
        }
    }

    /** Runs {@code task} every {@code periodMs}, first after one period. */
    ScheduledFuture<?> every(long periodMs, String what, Runnable task) {
        return scheduler.scheduleWithFixedDelay(() -> {
            try {
                task.run();
            } catch (RuntimeException e) {
                // Must not escape: a periodic task that throws is never run again.
                LOG.error("Periodic group task failed, retrying next time: {}", what, e);
            }
        }, periodMs, periodMs, TimeUnit.MILLISECONDS);
    }
}
