package io.memorystreamer.transport.netty.internal;

import java.util.concurrent.atomic.AtomicInteger;

/** Counts open connections against {@code max.connections}. Thread-safe. */
final class ConnectionLimiter {

    private final int max;
    private final AtomicInteger open = new AtomicInteger();

    ConnectionLimiter(int max) {
        this.max = max;
    }

    /** Takes a slot for a new connection, or returns false when the limit is reached. */
    boolean tryAcquire() {
        while (true) {
            int current = open.get();
            if (current >= max) {
                return false;
            }
            if (open.compareAndSet(current, current + 1)) {
                return true;
            }
        }
    }

    void release() {
        open.decrementAndGet();
    }

    int max() {
        return max;
    }
}
