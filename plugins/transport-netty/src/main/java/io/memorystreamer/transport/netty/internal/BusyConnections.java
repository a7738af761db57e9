package io.memorystreamer.transport.netty.internal;

import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

/**
 * Counts connections with a request in flight or queued, so a graceful stop can wait until every
 * reply is flushed. Event loops only take the lock for a counter update, never wait on it.
 */
final class BusyConnections {

    private final ReentrantLock lock = new ReentrantLock();
    private final Condition idle = lock.newCondition();
    private int busy;

    void increment() {
        lock.lock();
        try {
            busy++;
        } finally {
            lock.unlock();
        }
    }

    void decrement() {
        lock.lock();
        try {
            if (--busy == 0) {
                idle.signalAll();
            }
        } finally {
            lock.unlock();
        }
    }

    int count() {
        lock.lock();
        try {
            return busy;
        } finally {
            lock.unlock();
        }
    }

    /**
     * Waits until no connection is busy. Never called on an event loop.
     *
     * @return true if all became idle, false if the timeout passed first
     */
    boolean awaitIdle(long timeoutMs) throws InterruptedException {
        long remaining = TimeUnit.MILLISECONDS.toNanos(timeoutMs);
        lock.lock();
        try {
            while (busy > 0) {
                if (remaining <= 0) {
                    return false;
                }
                remaining = idle.awaitNanos(remaining);
            }
            return true;
        } finally {
            lock.unlock();
        }
    }
}
