package io.memorystreamer.storage.log.internal;

import static io.memorystreamer.spi.storage.TestBatches.batch;
import static io.memorystreamer.spi.storage.TestBatches.values;
import static io.memorystreamer.storage.log.internal.TestLogs.T0;
import static io.memorystreamer.storage.log.internal.TestLogs.config;
import static io.memorystreamer.storage.log.internal.TestLogs.fileNames;
import static io.memorystreamer.storage.log.internal.TestLogs.readAll;
import static io.memorystreamer.storage.log.internal.TestLogs.withRetention;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.memorystreamer.spi.storage.LogChunk;
import io.memorystreamer.spi.storage.LogConfig;
import io.memorystreamer.spi.storage.OffsetOutOfRangeException;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Retention deletes old closed segments by age and by total size. */
class RetentionTest {

    private static final int BATCH_SIZE = batch(T0, "value-0").remaining();
    private static final LogConfig TWO_BATCH_SEGMENTS = config(2 * BATCH_SIZE, 0);

    @TempDir
    Path dir;

    private TestLogs logs = new TestLogs();

    @AfterEach
    void closeLogs() {
        logs.close();
    }

    /** Nine batches stamped T0, T0+1, ...: segments [0,1] [2,3] [4,5] [6,7] and the active [8]. */
    private SegmentedLog nineBatches(LogConfig config) {
        SegmentedLog log = logs.open(dir, config);
        for (int i = 0; i < 9; i++) {
            log.append(batch(T0 + i, "value-" + i));
        }
        log.updateHighWatermark(9);
        return log;
    }

    @Test
    void deletesTheOldestSegmentsWhileTheLogIsLargerThanRetentionBytes() {
        // Given
        SegmentedLog log = nineBatches(withRetention(TWO_BATCH_SEGMENTS, -1, 4L * BATCH_SIZE));
        // When
        int deleted = log.applyRetention(logs.clock.millis());
        // Then
        assertThat(deleted).isEqualTo(2);
        assertThat(log.logStartOffset()).isEqualTo(4);
        assertThat(log.sizeInBytes()).isEqualTo(5L * BATCH_SIZE);
        assertThatThrownBy(() -> log.read(3, 1024, Long.MAX_VALUE, true))
                .isInstanceOf(OffsetOutOfRangeException.class);
        assertThat(values(readAll(log, 4))).containsExactly("value-4", "value-5", "value-6", "value-7", "value-8");
    }

    @Test
    void deletesSegmentsWhoseNewestBatchIsOlderThanRetentionMs() {
        // Given
        SegmentedLog log = nineBatches(withRetention(TWO_BATCH_SEGMENTS, 10, -1));
        // When: segment [4,5] holds T0+5, exactly 10 ms before the clock; [2,3] is older
        logs.clock.advance(15);
        int deleted = log.applyRetention(logs.clock.millis());
        // Then
        assertThat(deleted).isEqualTo(2);
        assertThat(log.logStartOffset()).isEqualTo(4);
    }

    @Test
    void neverDeletesTheActiveSegment() {
        SegmentedLog log = nineBatches(withRetention(TWO_BATCH_SEGMENTS, 10, 0));
        logs.clock.advance(1_000_000);

        log.applyRetention(logs.clock.millis());

        assertThat(log.segments().keySet()).containsExactly(8L);
        assertThat(log.logStartOffset()).isEqualTo(8);
        assertThat(values(readAll(log, 8))).containsExactly("value-8");
    }

    @Test
    void neverDeletesRecordsAboveTheHighWatermark() {
        SegmentedLog log = nineBatches(withRetention(TWO_BATCH_SEGMENTS, 10, 0));
        log.truncateTo(9);
        log.updateHighWatermark(3);
        logs.clock.advance(1_000_000);

        log.applyRetention(logs.clock.millis());

        assertThat(log.logStartOffset()).isEqualTo(2);
    }

    @Test
    void deletedSegmentsAreRenamedThenRemovedAfterTheDelay() {
        // Given deletions delayed by 200 ms
        logs.close();
        logs = new TestLogs(200);
        SegmentedLog log = nineBatches(withRetention(TWO_BATCH_SEGMENTS, -1, 4L * BATCH_SIZE));
        // When
        log.applyRetention(logs.clock.millis());
        // Then
        assertThat(fileNames(dir)).contains("00000000000000000000.log.deleted",
                "00000000000000000000.index.deleted", "00000000000000000002.timeindex.deleted");
        await().atMost(Duration.ofSeconds(10)).until(() -> logs.deleter.pendingCount() == 0);
        assertThat(fileNames(dir)).noneMatch(name -> name.endsWith(FileNames.DELETED));
    }

    @Test
    void aFileRegionReadBeforeDeletionStaysReadableUntilTheDelayEnds() throws IOException {
        // Given a region of the oldest segment handed out before retention removes the segment
        SegmentedLog log = nineBatches(withRetention(TWO_BATCH_SEGMENTS, -1, 4L * BATCH_SIZE));
        LogChunk.FileRegion region = (LogChunk.FileRegion) log.read(0, 1024, 2, true).chunks().getFirst();
        // When
        log.applyRetention(logs.clock.millis());
        // Then
        assertThat(values(region.readFully())).containsExactly("value-0", "value-1");
        logs.deleter.deletePendingNow();
        assertThat(region.channel().isOpen()).isFalse();
    }

    @Test
    void theNewLogStartOffsetSurvivesARestart() throws IOException {
        SegmentedLog log = nineBatches(withRetention(TWO_BATCH_SEGMENTS, -1, 4L * BATCH_SIZE));
        log.applyRetention(logs.clock.millis());

        assertThat(PartitionCheckpoint.read(dir).orElseThrow().logStartOffset()).isEqualTo(4);
        log.close();
        assertThat(logs.open(dir, TWO_BATCH_SEGMENTS).logStartOffset()).isEqualTo(4);
    }

    @Test
    void deleteRecordsBeforeRemovesWholeSegmentsBelowTheNewStart() {
        SegmentedLog log = nineBatches(TWO_BATCH_SEGMENTS);

        log.deleteRecordsBefore(5);

        assertThat(log.segments().keySet()).containsExactly(4L, 6L, 8L);
        assertThat(log.logStartOffset()).isEqualTo(5);
        assertThat(values(readAll(log, 5))).containsExactly("value-5", "value-6", "value-7", "value-8");
    }
}
