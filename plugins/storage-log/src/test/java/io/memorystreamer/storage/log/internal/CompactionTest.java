package io.memorystreamer.storage.log.internal;

import static io.memorystreamer.storage.log.internal.KeyedRecords.batch;
import static io.memorystreamer.storage.log.internal.KeyedRecords.compact;
import static io.memorystreamer.storage.log.internal.KeyedRecords.compacted;
import static io.memorystreamer.storage.log.internal.KeyedRecords.latest;
import static io.memorystreamer.storage.log.internal.KeyedRecords.readAll;
import static io.memorystreamer.storage.log.internal.TestLogs.T0;
import static org.assertj.core.api.Assertions.assertThat;

import io.memorystreamer.spi.storage.LogConfig;
import io.memorystreamer.storage.log.internal.KeyedRecords.BatchInfo;
import io.memorystreamer.storage.log.internal.KeyedRecords.Read;
import java.io.IOException;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A compaction pass keeps the latest record of every key in the closed segments, at its offset. */
class CompactionTest {

    static final long DAY_MS = 86_400_000L;
    private static final LogConfig CONFIG = compacted(1024, compact(DAY_MS, 0, Long.MAX_VALUE));

    @TempDir
    Path dir;

    private final TestLogs logs = new TestLogs();
    private final Compactor compactor = new Compactor(CleanerSettings.DEFAULT, logs.clock, () -> false);

    @AfterEach
    void closeLogs() {
        logs.close();
    }

    /** {@code updates} single-record batches over {@code keys} keys: record i is key-(i % keys) = value-i. */
    private SegmentedLog updates(LogConfig config, int updates, int keys) {
        SegmentedLog log = logs.open(dir, config);
        for (int i = 0; i < updates; i++) {
            log.append(batch(T0 + i, "key-" + (i % keys), "value-" + i));
        }
        log.updateHighWatermark(log.logEndOffset());
        return log;
    }

    private static Map<String, String> expectedLatest(int updates, int keys) {
        Map<String, String> expected = new HashMap<>();
        for (int i = 0; i < updates; i++) {
            expected.put("key-" + (i % keys), "value-" + i);
        }
        return expected;
    }

    @Test
    void keepsOnlyTheLatestValueOfEachKeyAcrossManySegments() throws IOException {
        // Given 1,000 updates of 20 keys over about 90 segments
        SegmentedLog log = updates(CONFIG, 1_000, 20);
        long activeBase = log.segments().lastKey();
        assertThat(log.segments()).hasSizeGreaterThan(50);
        // When
        Compactor.Outcome outcome = compactor.compact(log);
        // Then the closed segments hold each key once, and every key reads as its latest value
        assertThat(outcome).isEqualTo(Compactor.Outcome.CLEANED);
        List<Read> records = readAll(log);
        assertThat(records).filteredOn(r -> r.offset() < activeBase).extracting(Read::key).doesNotHaveDuplicates();
        assertThat(latest(records)).containsExactlyInAnyOrderEntriesOf(expectedLatest(1_000, 20));
        assertThat(log.logStartOffset()).isZero();
        assertThat(log.logEndOffset()).isEqualTo(1_000);
    }

    @Test
    void offsetsNeverChangeAndConsumersSeeTheGaps() throws IOException {
        SegmentedLog log = updates(CONFIG, 1_000, 20);

        compactor.compact(log);

        List<Read> records = readAll(log);
        assertThat(records).allSatisfy(r -> assertThat(r.value()).isEqualTo("value-" + r.offset()));
        assertThat(records).extracting(Read::offset).isSorted().doesNotHaveDuplicates();
        assertThat(records.size()).isLessThan(1_000);
    }

    @Test
    void aBatchThatLosesRecordsKeepsItsBaseAndLastOffset() throws IOException {
        // Given batches of two records: a key of its own, then a key every batch shares
        SegmentedLog log = logs.open(dir, CONFIG);
        for (int i = 0; i < 100; i++) {
            log.append(batch(T0 + i, "own-" + i, "v" + (2 * i), "shared", "v" + (2 * i + 1)));
        }
        log.updateHighWatermark(log.logEndOffset());
        long activeBase = log.segments().lastKey();
        // When
        compactor.compact(log);
        // Then each closed batch kept its own record but still spans both offsets
        List<BatchInfo> closedBatches = KeyedRecords.batches(log, null).stream()
                .filter(b -> b.lastOffset() < activeBase - 2).toList();
        assertThat(closedBatches).isNotEmpty().allSatisfy(b -> {
            assertThat(b.baseOffset() % 2).isZero();
            assertThat(b.lastOffset()).isEqualTo(b.baseOffset() + 1);
            assertThat(b.records()).isEqualTo(1);
        });
    }

    @Test
    void groupsTheCompactedSegmentsUpToSegmentBytes() throws IOException {
        SegmentedLog log = updates(CONFIG, 1_000, 20);
        int segmentsBefore = log.segments().size();

        compactor.compact(log);

        List<LogSegment> closed = List.copyOf(log.segments().headMap(log.segments().lastKey()).values());
        assertThat(closed).hasSizeLessThan(segmentsBefore / 10)
                .allSatisfy(segment -> assertThat(segment.size()).isLessThanOrEqualTo(1024));
        assertThat(log.segments().firstKey()).isZero();
    }

    @Test
    void neverTouchesTheActiveSegmentNorRecordsAboveTheHighWatermark() throws IOException {
        // Given a log whose high watermark is in the middle (as a follower can see it)
        SegmentedLog log = updates(CONFIG, 1_000, 20);
        long activeBase = log.segments().lastKey();
        SegmentedLog reopened = reopenWithHighWatermark(log, 500);
        // When
        compactor.compact(reopened);
        // Then every record from the segment holding offset 500 on is still there
        List<Read> records = readAll(reopened);
        long firstKept = reopened.segments().floorKey(500L);
        assertThat(records).filteredOn(r -> r.offset() >= firstKept).hasSize((int) (1_000 - firstKept));
        assertThat(records).filteredOn(r -> r.offset() >= activeBase).hasSize((int) (1_000 - activeBase));
    }

    private SegmentedLog reopenWithHighWatermark(SegmentedLog log, long highWatermark) throws IOException {
        log.close();
        PartitionCheckpoint checkpoint = PartitionCheckpoint.read(dir).orElseThrow();
        new PartitionCheckpoint(checkpoint.logStartOffset(), highWatermark, checkpoint.recoveryPoint()).write(dir);
        return logs.open(dir, CONFIG);
    }

    @Test
    void recordsWithoutAKeyAreDropped() throws IOException {
        SegmentedLog log = logs.open(dir, CONFIG);
        for (int i = 0; i < 200; i++) {
            log.append(i % 2 == 0 ? batch(T0, "key-" + (i % 10), "value-" + i) : batch(T0, null, "keyless-" + i));
        }
        log.updateHighWatermark(log.logEndOffset());
        long activeBase = log.segments().lastKey();

        compactor.compact(log);

        assertThat(readAll(log)).filteredOn(r -> r.offset() < activeBase).extracting(Read::key).doesNotContainNull();
    }

    @Test
    void theCleanerOffsetIsCheckpointedAndTheNextPassFindsNothingDirty() throws IOException {
        // Given a compacted log
        SegmentedLog log = updates(CONFIG, 1_000, 20);
        long activeBase = log.segments().lastKey();
        compactor.compact(log);
        // When it is reopened
        log.close();
        assertThat(PartitionCheckpoint.read(dir).orElseThrow().cleanerOffset()).isEqualTo(activeBase);
        SegmentedLog reopened = logs.open(dir, CONFIG);
        // Then the dirty section starts where the pass ended, and nothing is due
        assertThat(reopened.cleaningSnapshot().firstDirtyOffset()).isEqualTo(activeBase);
        assertThat(compactor.compact(reopened)).isEqualTo(Compactor.Outcome.NOTHING_TO_DO);
        assertThat(latest(readAll(reopened))).containsExactlyInAnyOrderEntriesOf(expectedLatest(1_000, 20));
    }

    @Test
    void laterPassesDeduplicateNewRecordsAgainstTheCompactedOnes() throws IOException {
        SegmentedLog log = updates(CONFIG, 1_000, 20);
        compactor.compact(log);
        for (int i = 1_000; i < 2_000; i++) {
            log.append(batch(T0 + i, "key-" + (i % 20), "value-" + i));
        }
        log.updateHighWatermark(log.logEndOffset());
        long activeBase = log.segments().lastKey();

        assertThat(compactor.compact(log)).isEqualTo(Compactor.Outcome.CLEANED);

        List<Read> records = readAll(log);
        assertThat(records).filteredOn(r -> r.offset() < activeBase).extracting(Read::key).doesNotHaveDuplicates();
        assertThat(latest(records)).containsExactlyInAnyOrderEntriesOf(expectedLatest(2_000, 20));
    }

    @Test
    void aLogBelowTheDirtyRatioIsNotDue() throws IOException {
        // Given a log compacted once, then a little more data than one segment
        LogConfig lazy = compacted(1024, new LogConfig.Cleanup(false, true, DAY_MS, 0.9, 0, Long.MAX_VALUE));
        SegmentedLog log = updates(lazy, 1_000, 200);
        compactor.compact(log);
        for (int i = 1_000; i < 1_030; i++) {
            log.append(batch(T0 + i, "key-" + (i % 200), "value-" + i));
        }
        log.updateHighWatermark(log.logEndOffset());
        // When / Then
        assertThat(compactor.compact(log)).isEqualTo(Compactor.Outcome.NOTHING_TO_DO);
    }

    @Test
    void closedSegmentsThatCompactToNothingStayAsAnEmptySegmentAndTheLogReopens() throws IOException {
        // Given only records without a key, which compaction drops from the closed segments
        SegmentedLog log = logs.open(dir, CONFIG);
        for (int i = 0; i < 300; i++) {
            log.append(batch(T0, null, "value-" + i));
        }
        log.updateHighWatermark(log.logEndOffset());
        long activeBase = log.segments().lastKey();
        compactor.compact(log);
        assertThat(log.segments().firstEntry().getValue().size()).isZero();
        // When the log is reopened, after a clean shutdown and after a crash
        log.close();
        SegmentedLog reopened = logs.open(dir, CONFIG);
        Path crashed = TestLogs.crashImage(reopened, dir.resolveSibling(dir.getFileName() + "-crashed"));
        SegmentedLog recovered = logs.open(crashed, CONFIG);
        // Then reading from the start skips the empty stretch
        for (SegmentedLog opened : List.of(reopened, recovered)) {
            assertThat(opened.logStartOffset()).isZero();
            assertThat(readAll(opened)).extracting(Read::offset).first().isEqualTo(activeBase);
            assertThat(readAll(opened)).extracting(Read::value).last().isEqualTo("value-299");
            assertThat(opened.segments().firstEntry().getValue().size()).isZero();
        }
    }

    @Test
    void aDeletePolicyLogIsNeverCompacted() throws IOException {
        SegmentedLog log = updates(TestLogs.config(1024, 100), 500, 10);

        assertThat(compactor.compact(log)).isEqualTo(Compactor.Outcome.NOTHING_TO_DO);
        assertThat(readAll(log)).hasSize(500);
    }
}
