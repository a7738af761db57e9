package io.memorystreamer.broker.internal.group;

import java.util.concurrent.ScheduledFuture;

/**
 * One named timer of a group or member (the join deadline, the sync deadline, a session): at most
 * one is armed at a time. Arming again or cancelling makes any earlier timer stale, and a stale
 * timer that already started running sees so through its token and does nothing. Guarded by the
 * group's lock.
 */
final class TimerSlot {

    private ScheduledFuture<?> future;
    private long token;
    private long firesNanos;

    /** Cancels the current timer and returns the token of the next one. */
    long arm() {
        cancel();
        return token;
    }

    /** Records the timer armed with the token {@link #arm()} returned. */
    void set(ScheduledFuture<?> timer, long firesAtNanos) {
        this.future = timer;
        this.firesNanos = firesAtNanos;
    }

    /** Whether a timer armed with {@code armedToken} is still the current one. */
    boolean isCurrent(long armedToken) {
        return token == armedToken;
    }

    /** The current timer ran: nothing is armed any more. */
    void fired() {
        future = null;
        token++;
    }

    boolean isArmed() {
        return future != null;
    }

    /** When the armed timer fires, in {@link System#nanoTime()} terms. */
    long firesNanos() {
        return firesNanos;
    }

    void cancel() {
        if (future != null) {
            future.cancel(false);
            future = null;
        }
        token++;
    }
}
