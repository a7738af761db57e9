package io.memorystreamer.storage.log.internal;

import static io.memorystreamer.storage.log.internal.TestLogs.T0;
import static io.memorystreamer.storage.log.internal.TestLogs.config;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.memorystreamer.spi.storage.LogReadResult;
import io.memorystreamer.spi.storage.TestBatches;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Readers running while one thread appends (and rolls) see only whole, valid, in-order batches. */
class ConcurrentReadTest {

    private static final int BATCHES = 1_500;

    @TempDir
    Path dir;

    private final TestLogs logs = new TestLogs();
    private final ExecutorService threads = Executors.newFixedThreadPool(3);

    @AfterEach
    void stop() {
        threads.shutdownNow();
        logs.close();
    }

    /** Follows the log from offset 0 like a consumer, checking every batch, until the last offset. */
    private static long follow(SegmentedLog log, int maxBytes) {
        long next = 0;
        while (next < BATCHES * 2L) {
            LogReadResult result = log.read(next, maxBytes, Long.MAX_VALUE, true);
            for (ByteBuffer batch : TestBatches.split(TestBatches.bytesOf(result))) {
                if (TestBatches.baseOffset(batch) != next || !TestBatches.crcValid(batch)) {
                    throw new AssertionError("batch at " + TestBatches.baseOffset(batch) + " while expecting " + next
                            + ", crc valid: " + TestBatches.crcValid(batch));
                }
                List<String> values = TestBatches.values(batch);
                if (!values.equals(List.of("r" + next, "r" + (next + 1)))) {
                    throw new AssertionError("unexpected values " + values + " at " + next);
                }
                next += 2;
            }
            Thread.onSpinWait();
        }
        return next;
    }

    @Test
    void followersSeeEveryBatchWholeWhileTheWriterAppendsAndRolls() throws Exception {
        // Given 4 KB segments (many rolls) and an index entry every 100 bytes
        SegmentedLog log = logs.open(dir, config(4096, 100));
        AtomicLong appended = new AtomicLong();
        // When a writer appends while two followers with different fetch sizes read
        Future<Long> smallFetches = threads.submit(() -> follow(log, 1));
        Future<Long> largeFetches = threads.submit(() -> follow(log, 64 * 1024));
        Future<?> writer = threads.submit(() -> {
            for (long i = 0; i < BATCHES; i++) {
                long first = i * 2;
                log.append(TestBatches.builder().record("r" + first, T0 + i).record("r" + (first + 1), T0 + i).build());
                appended.set(first + 2);
            }
        });
        // Then
        await().atMost(Duration.ofSeconds(60)).until(() -> writer.isDone() && smallFetches.isDone()
                && largeFetches.isDone());
        writer.get();
        assertThat(smallFetches.get()).isEqualTo(BATCHES * 2L);
        assertThat(largeFetches.get()).isEqualTo(BATCHES * 2L);
        assertThat(log.segments().size()).isGreaterThan(20);
    }

    @Test
    void timestampLookupsRunConcurrentlyWithAppends() throws Exception {
        SegmentedLog log = logs.open(dir, config(4096, 100));
        Future<?> writer = threads.submit(() -> {
            for (long i = 0; i < BATCHES; i++) {
                log.append(TestBatches.builder().record("r" + 2 * i, T0 + i).record("r" + (2 * i + 1), T0 + i).build());
            }
        });
        List<Long> misses = new ArrayList<>();
        Future<?> reader = threads.submit(() -> {
            while (!writer.isDone()) {
                long end = log.logEndOffset();
                if (end >= 2) {
                    long lastBatch = end / 2 - 1;
                    long found = log.lookupTimestamp(T0 + lastBatch).map(l -> l.batchBaseOffset()).orElse(-1L);
                    if (found != 2 * lastBatch) {
                        misses.add(lastBatch);
                    }
                }
            }
        });

        await().atMost(Duration.ofSeconds(60)).until(() -> writer.isDone() && reader.isDone());
        writer.get();
        reader.get();
        assertThat(misses).isEmpty();
    }
}
