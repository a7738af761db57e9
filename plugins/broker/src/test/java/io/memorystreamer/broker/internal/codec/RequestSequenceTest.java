package io.memorystreamer.broker.internal.codec;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class RequestSequenceTest {

    private final ExecutorService threads = Executors.newFixedThreadPool(4);
    private final AtomicInteger submittedToThreads = new AtomicInteger();
    private final RequestSequence sequence = new RequestSequence(task -> {
        submittedToThreads.incrementAndGet();
        threads.execute(task);
    });
    private final List<String> log = new CopyOnWriteArrayList<>();
    private final AtomicInteger running = new AtomicInteger();
    private volatile boolean overlapped;

    @AfterEach
    void tearDown() {
        threads.shutdownNow();
    }

    @Test
    void requestsRunOneAtATimeInSubmissionOrder() {
        // When 200 requests are submitted from one thread while earlier ones run
        for (int i = 0; i < 200; i++) {
            sequence.submit(step("r" + i, CompletableFuture.completedFuture("done")));
        }

        // Then they ran in order, never two at once
        await().until(() -> log.size() == 200);
        for (int i = 0; i < 200; i++) {
            assertThat(log.get(i)).isEqualTo("r" + i);
        }
        assertThat(overlapped).isFalse();
    }

    @Test
    void aThreadGoesOnToTheWaitingRequestsWithoutAHandOff() {
        // Given a first request that waits until three more are queued behind it
        CompletableFuture<Void> release = new CompletableFuture<>();
        sequence.submit(new RequestSequence.Step() {
            @Override
            public CompletableFuture<?> run() {
                release.join();
                log.add("first");
                return CompletableFuture.completedFuture("done");
            }

            @Override
            public void reject() {
            }
        });
        for (int i = 0; i < 3; i++) {
            sequence.submit(step("next" + i, CompletableFuture.completedFuture("done")));
        }

        // When the first completes
        release.complete(null);

        // Then the same hand-off ran all four
        await().until(() -> log.size() == 4);
        assertThat(log).containsExactly("first", "next0", "next1", "next2");
        assertThat(submittedToThreads).hasValue(1);
    }

    @Test
    void aParkedRequestHoldsBackTheNextUntilItsResponseCompletes() {
        // Given a request whose response completes later, on another thread
        CompletableFuture<String> parked = new CompletableFuture<>();
        sequence.submit(step("parked", parked));
        sequence.submit(step("after", CompletableFuture.completedFuture("done")));

        // Then the next request waits for it
        await().until(() -> log.contains("parked"));
        await().during(java.time.Duration.ofMillis(200)).until(() -> log.size() == 1);

        // When the parked response completes
        parked.complete("late");

        // Then the next one runs, handed back to the request threads
        await().until(() -> log.size() == 2);
        assertThat(log).containsExactly("parked", "after");
        assertThat(submittedToThreads).hasValue(2);
    }

    @Test
    void aParkedRequestWithNothingBehindItCostsNoHandOffWhenItCompletes() {
        // Given a parked request alone in its sequence
        CompletableFuture<String> parked = new CompletableFuture<>();
        sequence.submit(step("parked", parked));
        await().until(() -> log.contains("parked"));

        // When it completes, nothing waits behind it
        parked.complete("late");

        // Then no request thread was woken for it, and a later request still runs
        assertThat(submittedToThreads).hasValue(1);
        sequence.submit(step("later", CompletableFuture.completedFuture("done")));
        await().until(() -> log.size() == 2);
        assertThat(submittedToThreads).hasValue(2);
    }

    @Test
    void requestsRefusedByStoppedThreadsAreRejectedInOrder() {
        // Given request threads that have stopped
        threads.shutdown();
        RequestSequence stopped = new RequestSequence(threads);
        List<String> rejected = new CopyOnWriteArrayList<>();

        // When requests are submitted
        for (String name : List.of("a", "b")) {
            stopped.submit(new RequestSequence.Step() {
                @Override
                public CompletableFuture<?> run() {
                    log.add(name);
                    return CompletableFuture.completedFuture(name);
                }

                @Override
                public void reject() {
                    rejected.add(name);
                }
            });
        }

        // Then each is rejected, none runs
        assertThat(rejected).containsExactly("a", "b");
        assertThat(log).isEmpty();
    }

    private RequestSequence.Step step(String name, CompletableFuture<?> response) {
        return new RequestSequence.Step() {
            @Override
            public CompletableFuture<?> run() {
                if (running.incrementAndGet() > 1) {
                    overlapped = true;
                }
                log.add(name);
                running.decrementAndGet();
                return response;
            }

            @Override
            public void reject() {
                log.add("rejected " + name);
            }
        };
    }
}
