package io.memorystreamer.storage.log.internal;

import static io.memorystreamer.spi.storage.TestBatches.batch;
import static io.memorystreamer.storage.log.internal.TestLogs.T0;
import static io.memorystreamer.storage.log.internal.TestLogs.config;
import static io.memorystreamer.storage.log.internal.TestLogs.withFlush;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.memorystreamer.spi.storage.LogConfig;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** When appends are forced to stable storage: by message count, by time, or on request. */
class FlushPolicyTest {

    private static final LogConfig NO_FLUSH = config(1024 * 1024, 4096);

    @TempDir
    Path dir;

    private final TestLogs logs = new TestLogs();

    @AfterEach
    void closeLogs() {
        logs.close();
    }

    @Test
    void flushMessagesOfOneMakesEveryAppendDurableBeforeItReturns() {
        SegmentedLog log = logs.open(dir, withFlush(NO_FLUSH, 1, Long.MAX_VALUE));

        log.append(batch(T0, "a", "b"));
        assertThat(log.flushCount()).isEqualTo(1);
        assertThat(log.recoveryPoint()).isEqualTo(2);

        log.append(batch(T0, "c"));
        assertThat(log.flushCount()).isEqualTo(2);
        assertThat(log.recoveryPoint()).isEqualTo(3);
    }

    @Test
    void flushMessagesCountsRecordsSinceTheLastFlush() {
        SegmentedLog log = logs.open(dir, withFlush(NO_FLUSH, 3, Long.MAX_VALUE));

        log.append(batch(T0, "a"));
        log.append(batch(T0, "b"));
        assertThat(log.flushCount()).isZero();

        log.append(batch(T0, "c"));
        assertThat(log.flushCount()).isEqualTo(1);
        assertThat(log.recoveryPoint()).isEqualTo(3);
    }

    @Test
    void flushMsFlushesOnTheFirstCheckAfterTheInterval() {
        // Given
        SegmentedLog log = logs.open(dir, withFlush(NO_FLUSH, Long.MAX_VALUE, 1_000));
        log.append(batch(T0, "a"));
        logs.clock.advance(999);
        log.maybeFlush(logs.clock.millis());
        assertThat(log.flushCount()).isZero();
        // When
        logs.clock.advance(1);
        log.maybeFlush(logs.clock.millis());
        // Then
        assertThat(log.flushCount()).isEqualTo(1);
        assertThat(log.recoveryPoint()).isEqualTo(1);
    }

    @Test
    void nothingIsFlushedWhenNothingIsNew() {
        SegmentedLog log = logs.open(dir, withFlush(NO_FLUSH, Long.MAX_VALUE, 0));

        log.maybeFlush(logs.clock.millis());

        assertThat(log.flushCount()).isZero();
    }

    @Test
    void withoutAFlushPolicyAppendsWaitForAnExplicitFlush() throws Exception {
        SegmentedLog log = logs.open(dir, NO_FLUSH);
        log.append(batch(T0, "a"));
        logs.clock.advance(1_000_000);
        log.maybeFlush(logs.clock.millis());
        assertThat(log.flushCount()).isZero();

        log.flush();

        assertThat(log.flushCount()).isEqualTo(1);
        assertThat(log.recoveryPoint()).isEqualTo(1);
        assertThat(PartitionCheckpoint.read(log.directory())).get()
                .extracting(PartitionCheckpoint::recoveryPoint).isEqualTo(1L);
    }

    @Test
    void theFlushThreadAppliesFlushMs() {
        // Given storage whose flush thread checks every 20 ms, and a log with flush.ms=0
        StorageSettings settings = StorageSettings.from(Map.of("log.dirs", dir.toString(),
                "log.flush.scheduler.interval.ms", "20"));
        try (LogManager manager = new LogManager(settings, java.time.InstantSource.system())) {
            SegmentedLog log = (SegmentedLog) manager.open(TestLogs.PARTITION, withFlush(NO_FLUSH, Long.MAX_VALUE, 0));
            // When
            log.append(batch(T0, "a", "b"));
            // Then
            await().atMost(Duration.ofSeconds(10)).until(() -> log.recoveryPoint() == 2);
        }
    }

    @Test
    void theCheckpointThreadPersistsTheHighWatermark() {
        StorageSettings settings = StorageSettings.from(Map.of("log.dirs", dir.toString(),
                "replica.high.watermark.checkpoint.interval.ms", "20"));
        try (LogManager manager = new LogManager(settings, java.time.InstantSource.system())) {
            SegmentedLog log = (SegmentedLog) manager.open(TestLogs.PARTITION, NO_FLUSH);
            log.append(batch(T0, "a", "b", "c"));

            log.updateHighWatermark(2);

            await().atMost(Duration.ofSeconds(10)).until(() -> PartitionCheckpoint.read(log.directory())
                    .map(PartitionCheckpoint::highWatermark).orElse(-1L) == 2);
        }
    }

    @Test
    void closeFlushesEverything() {
        SegmentedLog log = logs.open(dir, NO_FLUSH);
        log.append(batch(T0, "a"));

        log.close();

        assertThat(log.recoveryPoint()).isEqualTo(1);
        assertThat(TestLogs.fileNames(dir)).containsAll(List.of(CleanShutdownMarker.FILE_NAME,
                PartitionCheckpoint.FILE_NAME));
    }
}
