package io.memorystreamer.storage.log.internal;

import static io.memorystreamer.storage.log.internal.KeyedRecords.batch;
import static io.memorystreamer.storage.log.internal.KeyedRecords.compacted;
import static io.memorystreamer.storage.log.internal.KeyedRecords.readAll;
import static io.memorystreamer.storage.log.internal.TestLogs.T0;
import static org.assertj.core.api.Assertions.assertThat;

import io.memorystreamer.spi.storage.LogConfig;
import io.memorystreamer.storage.log.internal.KeyedRecords.Read;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code min.compaction.lag.ms} keeps young records as they are; {@code max.compaction.lag.ms} forces a pass. */
class CompactionLagTest {

    private static final long HOUR_MS = 3_600_000L;

    @TempDir
    Path dir;

    private final TestLogs logs = new TestLogs();
    private final Compactor compactor = new Compactor(CleanerSettings.DEFAULT, logs.clock, () -> false);

    @AfterEach
    void closeLogs() {
        logs.close();
    }

    private static LogConfig config(double dirtyRatio, long minLagMs, long maxLagMs) {
        return compacted(1024, new LogConfig.Cleanup(false, true, 86_400_000L, dirtyRatio, minLagMs, maxLagMs));
    }

    private static void append(SegmentedLog log, int from, int to, long timestamp) {
        for (int i = from; i < to; i++) {
            log.append(batch(timestamp, "key-" + (i % 10), "value-" + i));
        }
        log.updateHighWatermark(log.logEndOffset());
    }

    @Test
    void recordsYoungerThanTheMinimumLagStayUncompacted() throws IOException {
        // Given 300 records two hours old, then 300 written just now, with a one-hour minimum lag
        SegmentedLog log = logs.open(dir, config(0.5, HOUR_MS, Long.MAX_VALUE));
        append(log, 0, 300, T0 - 2 * HOUR_MS);
        append(log, 300, 600, T0);
        long firstYoungSegment = log.segments().floorKey(300L);
        // When
        compactor.compact(log);
        // Then old records are deduplicated, young ones all still there
        List<Read> records = readAll(log);
        assertThat(records).filteredOn(r -> r.offset() < firstYoungSegment).extracting(Read::key).doesNotHaveDuplicates();
        assertThat(records).filteredOn(r -> r.offset() >= 300).hasSize(300);
        assertThat(log.cleaningSnapshot().firstDirtyOffset()).isLessThanOrEqualTo(300);
    }

    @Test
    void onlyYoungRecordsMeanNothingIsDue() throws IOException {
        SegmentedLog log = logs.open(dir, config(0.5, HOUR_MS, Long.MAX_VALUE));
        append(log, 0, 300, T0);

        assertThat(compactor.compact(log)).isEqualTo(Compactor.Outcome.NOTHING_TO_DO);
        assertThat(readAll(log)).hasSize(300);
    }

    @Test
    void recordsOlderThanTheMaximumLagAreCompactedWhateverTheDirtyRatio() throws IOException {
        // Given a compacted log, then a few new records: far below a 0.99 dirty ratio
        SegmentedLog log = logs.open(dir, config(0.99, 0, HOUR_MS));
        append(log, 0, 600, T0);
        compactor.compact(log);
        append(log, 600, 640, T0);
        assertThat(compactor.compact(log)).isEqualTo(Compactor.Outcome.NOTHING_TO_DO);
        // When the new records become older than the maximum lag
        logs.clock.advance(HOUR_MS + 1);
        // Then a pass runs
        assertThat(compactor.compact(log)).isEqualTo(Compactor.Outcome.CLEANED);
        long activeBase = log.segments().lastKey();
        assertThat(readAll(log)).filteredOn(r -> r.offset() < activeBase).extracting(Read::key).doesNotHaveDuplicates();
    }
}
