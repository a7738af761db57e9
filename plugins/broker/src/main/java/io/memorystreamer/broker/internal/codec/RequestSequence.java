package io.memorystreamer.broker.internal.codec;

import java.util.ArrayDeque;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;

/**
 * Runs one connection's requests on the request threads one after another, in arrival order: a
 * request starts only once the previous one's response is complete, as Kafka serves a connection.
 * A request thread that finishes a request goes straight on to the next one already waiting, so a
 * client that pipelines requests costs no thread hand-off per request. Thread-safe.
 */
final class RequestSequence {

    /** One request of the sequence. */
    interface Step {

        /** Handles the request; the returned future completes with its response. */
        CompletableFuture<?> run();

        /** The request threads refused the work (the broker is stopping). */
        void reject();
    }

    private final Executor executor;
    /** Guarded by {@code this}. */
    private final ArrayDeque<Step> waiting = new ArrayDeque<>();
    /** Guarded by {@code this}: a request thread runs the sequence or a response is pending. */
    private boolean active;

    RequestSequence(Executor executor) {
        this.executor = executor;
    }

    void submit(Step step) {
        synchronized (this) {
            waiting.add(step);
            if (active) {
                return;
            }
            active = true;
        }
        schedule();
    }

    private void schedule() {
        try {
            executor.execute(this::runWaiting);
        } catch (RejectedExecutionException e) {
            rejectWaiting();
        }
    }

    /** After a parked request: hand the rest to the request threads, if there is a rest. */
    private void resume() {
        synchronized (this) {
            if (waiting.isEmpty()) {
                active = false;
                return;
            }
        }
        schedule();
    }

    private void runWaiting() {
        Step next;
        while ((next = nextOrIdle()) != null) {
            CompletableFuture<?> response = next.run();
            if (!response.isDone()) {
                // A parked request (long poll, group join): the thread that completes it must not
                // run the rest of the sequence, so the next request goes back to the request threads.
                response.whenComplete((ignored, failure) -> resume());
                return;
            }
        }
    }

    private void rejectWaiting() {
        Step next;
        while ((next = nextOrIdle()) != null) {
            next.reject();
        }
    }

    /** The next waiting request, or null after marking the sequence idle. */
    private synchronized Step nextOrIdle() {
        Step next = waiting.poll();
        if (next == null) {
            active = false;
        }
        return next;
    }
}
