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
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code cleanup.policy=compact,delete} applies retention and compaction; {@code compact} alone no retention. */
class CompactAndDeleteTest {

    private static final long HOUR_MS = 3_600_000L;

    @TempDir
    Path dir;

    private final TestLogs logs = new TestLogs();
    private final Compactor compactor = new Compactor(CleanerSettings.DEFAULT, logs.clock, () -> false);

    @AfterEach
    void closeLogs() {
        logs.close();
    }

    /** Retention of one hour; 300 updates over 10 keys two hours old, then 300 written now. */
    private SegmentedLog oldAndNewUpdates(boolean delete) {
        LogConfig.Cleanup cleanup = new LogConfig.Cleanup(delete, true, 86_400_000L, 0.5, 0, Long.MAX_VALUE);
        LogConfig config = TestLogs.withRetention(compacted(1024, cleanup), HOUR_MS, -1);
        config = new LogConfig(config.segmentBytes(), config.segmentMs(), config.retentionMs(), config.retentionBytes(),
                config.flushIntervalMessages(), config.flushIntervalMs(), config.indexIntervalBytes(),
                config.maxIndexBytes(), cleanup);
        SegmentedLog log = logs.open(dir, config);
        for (int i = 0; i < 600; i++) {
            log.append(batch(i < 300 ? T0 - 2 * HOUR_MS : T0, "key-" + (i % 10), "value-" + i));
        }
        log.updateHighWatermark(log.logEndOffset());
        return log;
    }

    @Test
    void compactAndDeleteDeletesExpiredSegmentsAndCompactsTheRest() throws IOException {
        SegmentedLog log = oldAndNewUpdates(true);

        int deleted = log.applyRetention(logs.clock.millis());
        compactor.compact(log);

        assertThat(deleted).isPositive();
        assertThat(log.logStartOffset()).isGreaterThan(250);
        long activeBase = log.segments().lastKey();
        assertThat(readAll(log)).filteredOn(r -> r.offset() < activeBase).extracting(Read::key).doesNotHaveDuplicates();
    }

    @Test
    void compactAloneNeverDeletesByRetention() {
        SegmentedLog log = oldAndNewUpdates(false);

        int deleted = log.applyRetention(logs.clock.millis());

        assertThat(deleted).isZero();
        assertThat(log.logStartOffset()).isZero();
        assertThat(readAll(log)).hasSize(600);
    }
}
