package io.memorystreamer.storage.log.internal;

import static io.memorystreamer.spi.storage.TestBatches.batch;
import static io.memorystreamer.spi.storage.TestBatches.values;
import static io.memorystreamer.storage.log.internal.TestLogs.T0;
import static io.memorystreamer.storage.log.internal.TestLogs.config;
import static io.memorystreamer.storage.log.internal.TestLogs.readAll;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.memorystreamer.spi.storage.LogConfig;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The active segment rolls by size, by age and when an index is full. */
class SegmentRollTest {

    private static final int BATCH_SIZE = batch(T0, "value-0").remaining();

    @TempDir
    Path dir;

    private final TestLogs logs = new TestLogs();

    @AfterEach
    void closeLogs() {
        logs.close();
    }

    @Test
    void rollsWhenTheNextAppendWouldPassSegmentBytes() throws IOException {
        // Given segments that hold three batches
        SegmentedLog log = logs.open(dir, config(3 * BATCH_SIZE, 0));
        // When
        for (int i = 0; i < 7; i++) {
            log.append(batch(T0, "value-" + i));
        }
        // Then
        assertThat(log.segments().keySet()).containsExactly(0L, 3L, 6L);
        assertThat(Files.size(FileNames.logFile(dir, 0))).isEqualTo(3L * BATCH_SIZE);
        assertThat(Files.size(FileNames.logFile(dir, 3))).isEqualTo(3L * BATCH_SIZE);
        assertThat(Files.size(FileNames.logFile(dir, 6))).isEqualTo(BATCH_SIZE);
        assertThat(values(readAll(log, 0))).hasSize(7).first().isEqualTo("value-0");
    }

    @Test
    void anAppendLargerThanASegmentGetsASegmentOfItsOwn() {
        SegmentedLog log = logs.open(dir, config(2 * BATCH_SIZE, 0));
        log.append(batch(T0, "value-0"));

        log.append(io.memorystreamer.spi.storage.TestBatches.batchOfSize(T0, 10, 100));
        log.append(batch(T0, "value-1"));

        assertThat(log.segments().keySet()).containsExactly(0L, 1L, 11L);
        assertThat(log.logEndOffset()).isEqualTo(12);
    }

    @Test
    void rollsWhenTheFirstBatchIsSegmentMsOld() {
        // Given
        SegmentedLog log = logs.open(dir, TestLogs.withSegmentMs(config(1024 * 1024, 0), 1_000));
        log.append(batch(T0, "a"));
        logs.clock.advance(999);
        log.append(batch(T0, "b"));
        assertThat(log.segments()).hasSize(1);
        // When
        logs.clock.advance(1);
        log.append(batch(T0, "c"));
        // Then
        assertThat(log.segments().keySet()).containsExactly(0L, 2L);
    }

    @Test
    void aReopenedSegmentAgesFromItsFirstBatchTimestamp() {
        // Given a segment whose first batch is stamped an hour before the clock
        LogConfig hourly = TestLogs.withSegmentMs(config(1024 * 1024, 0), 3_600_000);
        SegmentedLog log = logs.open(dir, hourly);
        log.append(batch(logs.clock.millis() - 3_600_000, "old"));
        log.close();
        // When
        SegmentedLog reopened = logs.open(dir, hourly);
        reopened.append(batch(T0, "new"));
        // Then
        assertThat(reopened.segments().keySet()).containsExactly(0L, 1L);
    }

    @Test
    void rollsWhenTheTimeIndexIsFull() throws IOException {
        // Given the smallest indexes (4096 bytes: 341 time entries, one kept for sealing) and an
        // index entry for every batch after the first
        SegmentedLog log = logs.open(dir, TestLogs.withMaxIndexBytes(config(1024 * 1024, 0), 4096));
        // When
        List<String> expected = new ArrayList<>();
        for (int i = 0; i < 400; i++) {
            log.append(batch(T0 + i, "v" + i));
            expected.add("v" + i);
        }
        // Then the first segment holds its first batch plus one per ordinary time index entry
        assertThat(log.segments().keySet()).containsExactly(0L, 341L);
        assertThat(Files.size(FileNames.timeIndexFile(dir, 0))).isEqualTo(340L * TimeIndex.ENTRY_SIZE);
        assertThat(values(readAll(log, 0))).containsExactlyElementsOf(expected);
    }

    @Test
    void rollsWhenTheOffsetIndexIsFull() {
        // Given equal timestamps (the time index stays small) and 512 offset entries per segment
        SegmentedLog log = logs.open(dir, TestLogs.withMaxIndexBytes(config(1024 * 1024, 0), 4096));
        // When
        for (int i = 0; i < 600; i++) {
            log.append(batch(T0, "v" + i));
        }
        // Then
        assertThat(log.segments().keySet()).containsExactly(0L, 513L);
    }

    @Test
    void aRolledSegmentIsSealedAndFlushedInTheBackground() throws IOException {
        // Given
        SegmentedLog log = logs.open(dir, config(2 * BATCH_SIZE, 0));
        log.append(batch(T0, "value-0"));
        log.append(batch(T0 + 1, "value-1"));
        // When
        log.append(batch(T0 + 2, "value-2"));
        // Then the closed segment's indexes are trimmed to their entries
        assertThat(Files.size(FileNames.indexFile(dir, 0))).isEqualTo(OffsetIndex.ENTRY_SIZE);
        assertThat(Files.size(FileNames.timeIndexFile(dir, 0))).isEqualTo(TimeIndex.ENTRY_SIZE);
        // and the flush thread moves the recovery point to the new segment
        await().atMost(Duration.ofSeconds(10)).until(() -> log.recoveryPoint() >= 2);
    }
}
