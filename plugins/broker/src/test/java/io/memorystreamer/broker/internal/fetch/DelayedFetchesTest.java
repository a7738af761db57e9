package io.memorystreamer.broker.internal.fetch;

import static org.assertj.core.api.Assertions.assertThat;

import io.memorystreamer.broker.internal.api.ApiResponse;
import io.memorystreamer.spi.storage.PartitionId;
import io.memorystreamer.spi.storage.PartitionLog;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.kafka.common.message.FetchResponseData;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DelayedFetchesTest {

    private static final long LONG_WAIT_MS = 60_000;

    @TempDir
    Path directory;

    private final ScheduledExecutorService scheduler = Executors.newSingleThreadScheduledExecutor();
    private final AtomicInteger rereads = new AtomicInteger();
    private TestCatalog catalog;
    private WatchedPartition watched;

    @BeforeEach
    void setUp() {
        catalog = new TestCatalog(directory);
        catalog.create("t", 1);
        PartitionLog log = catalog.log("t", 0).orElseThrow();
        watched = new WatchedPartition(new PartitionId("t", 0), log, log.highWatermark(), 1 << 20);
    }

    @AfterEach
    void tearDown() {
        scheduler.shutdownNow();
        catalog.close();
    }

    @Test
    void answersAtOnceWhenTheLimitOfWaitingFetchesIsReached() {
        // Given a structure that holds at most one waiting fetch, holding one
        DelayedFetches fetches = new DelayedFetches(scheduler, 1);
        CompletionStage<ApiResponse> first = park(fetches);

        // When a second fetch would wait
        CompletionStage<ApiResponse> second = park(fetches);

        // Then it is answered at once and only the first waits
        assertThat(first.toCompletableFuture()).isNotDone();
        assertThat(second.toCompletableFuture()).isCompleted();
        assertThat(fetches.parkedCount()).isEqualTo(1);
    }

    @Test
    void completesOnceEnoughBytesWereAppendedAndForgetsTheFetch() {
        // Given a fetch waiting for 100 bytes
        DelayedFetches fetches = new DelayedFetches(scheduler, 10);
        CompletionStage<ApiResponse> pending = park(fetches);

        // When 60 and then 40 bytes are appended
        fetches.onAppend(watched.id(), 60);
        boolean doneAt60 = pending.toCompletableFuture().isDone();
        fetches.onAppend(watched.id(), 40);

        // Then it completes after the second append, reading the log once, and nothing is held
        assertThat(doneAt60).isFalse();
        assertThat(pending.toCompletableFuture()).isCompleted();
        assertThat(rereads).hasValue(1);
        assertThat(fetches.parkedCount()).isZero();
    }

    @Test
    void answersEveryWaitingFetchOnCloseAndLaterOnesAtOnce() {
        // Given a waiting fetch
        DelayedFetches fetches = new DelayedFetches(scheduler, 10);
        CompletionStage<ApiResponse> pending = park(fetches);

        // When the structure closes and another fetch arrives
        fetches.close();
        CompletionStage<ApiResponse> late = park(fetches);

        // Then both are answered
        assertThat(pending.toCompletableFuture()).isCompleted();
        assertThat(late.toCompletableFuture()).isCompleted();
        assertThat(fetches.parkedCount()).isZero();
    }

    private CompletionStage<ApiResponse> park(DelayedFetches fetches) {
        return fetches.park(List.of(watched), 0, 100, LONG_WAIT_MS, () -> {
            rereads.incrementAndGet();
            return ApiResponse.of(new FetchResponseData());
        });
    }
}
