package io.memorystreamer.storage.log.internal;

import static io.memorystreamer.storage.log.internal.KeyedRecords.batch;
import static io.memorystreamer.storage.log.internal.KeyedRecords.compact;
import static io.memorystreamer.storage.log.internal.KeyedRecords.compacted;
import static io.memorystreamer.storage.log.internal.KeyedRecords.latest;
import static io.memorystreamer.storage.log.internal.KeyedRecords.marker;
import static io.memorystreamer.storage.log.internal.KeyedRecords.readAll;
import static io.memorystreamer.storage.log.internal.KeyedRecords.transactional;
import static io.memorystreamer.storage.log.internal.TestLogs.T0;
import static org.assertj.core.api.Assertions.assertThat;

import io.memorystreamer.spi.storage.LogConfig;
import io.memorystreamer.storage.log.internal.KeyedRecords.BatchInfo;
import io.memorystreamer.storage.log.internal.KeyedRecords.Read;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import org.apache.kafka.common.record.internal.ControlRecordType;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Compaction never changes what {@code read_committed} consumers see: aborted records go, a
 * newer aborted value never hides a committed one, markers stay while they guard records and
 * until their delete horizon, and an open transaction stops compaction before it.
 */
class TransactionCompactionTest {

    private static final long RETENTION_MS = 60_000;
    private static final LogConfig CONFIG = compacted(1024, compact(RETENTION_MS, 0, Long.MAX_VALUE));
    private static final long COMMITTER = 7;
    private static final long ABORTER = 8;

    @TempDir
    Path dir;

    private final TestLogs logs = new TestLogs();
    private final Compactor compactor = new Compactor(CleanerSettings.DEFAULT, logs.clock, () -> false);
    /** A compactor for which producers expire 1 ms after their last batch, so that none keeps its last batch. */
    private final Compactor forgetfulCompactor = new Compactor(new CleanerSettings(true, 1, 15_000, 1 << 20, 1 << 16,
            0.9, 1), logs.clock, () -> false);

    @AfterEach
    void closeLogs() {
        logs.close();
    }

    private static void fill(SegmentedLog log, int count) {
        for (int i = 0; i < count; i++) {
            log.append(batch(T0, "filler", "f-" + i));
        }
        log.updateHighWatermark(log.logEndOffset());
    }

    /** A committed a=committed, then an aborted a=aborted and b=aborted, then fillers closing their segments. */
    private SegmentedLog committedThenAborted() {
        SegmentedLog log = logs.open(dir, CONFIG);
        log.append(transactional(COMMITTER, 0, T0, "a", "committed"));
        log.append(marker(COMMITTER, ControlRecordType.COMMIT, T0));
        log.append(transactional(ABORTER, 0, T0, "a", "aborted", "b", "aborted"));
        log.append(marker(ABORTER, ControlRecordType.ABORT, T0));
        fill(log, 40);
        return log;
    }

    private static List<BatchInfo> markers(SegmentedLog log) {
        return KeyedRecords.batches(log, null).stream().filter(BatchInfo::control).toList();
    }

    @Test
    void abortedRecordsAreRemovedAndNeverHideACommittedValue() throws IOException {
        SegmentedLog log = committedThenAborted();

        compactor.compact(log);

        List<Read> records = readAll(log);
        assertThat(records).extracting(Read::value).doesNotContain("aborted");
        assertThat(latest(records)).containsEntry("a", "committed").doesNotContainKey("b");
    }

    @Test
    void theCommitMarkerStaysWhileItsRecordsDoAndTheAbortMarkerForever() throws IOException {
        // Given passes that remove the aborted records and find both markers alone or guarding
        SegmentedLog log = committedThenAborted();
        forgetfulCompactor.compact(log);
        fill(log, 40);
        forgetfulCompactor.compact(log);
        // When the delete horizon is long past
        logs.clock.advance(10 * RETENTION_MS);
        fill(log, 40);
        forgetfulCompactor.compact(log);
        // Then the COMMIT marker still guards a=committed, and the ABORT marker is whole
        assertThat(markers(log)).extracting(BatchInfo::baseOffset, BatchInfo::records)
                .containsExactly(org.assertj.core.groups.Tuple.tuple(1L, 1), org.assertj.core.groups.Tuple.tuple(4L, 1));
        assertThat(latest(readAll(log))).containsEntry("a", "committed");
        assertThat(readAll(log)).extracting(Read::value).doesNotContain("aborted");
    }

    @Test
    void aCommitMarkerWhoseRecordsWereSupersededGoesAfterItsHorizon() throws IOException {
        // Given a committed a=committed superseded by a plain a=plain, and a pass that removes it
        SegmentedLog log = logs.open(dir, CONFIG);
        log.append(transactional(COMMITTER, 0, T0, "a", "committed"));
        log.append(marker(COMMITTER, ControlRecordType.COMMIT, T0));
        log.append(batch(T0, "a", "plain"));
        fill(log, 40);
        forgetfulCompactor.compact(log);
        assertThat(latest(readAll(log))).containsEntry("a", "plain");
        assertThat(markers(log)).hasSize(1);
        // When a later pass finds the marker alone, then its horizon passes
        fill(log, 40);
        forgetfulCompactor.compact(log);
        assertThat(markers(log)).singleElement().extracting(BatchInfo::hasDeleteHorizon).isEqualTo(true);
        logs.clock.advance(RETENTION_MS);
        forgetfulCompactor.compact(log);
        // Then the marker is gone too
        assertThat(markers(log)).isEmpty();
    }

    @Test
    void theLastCommitMarkerOfAnActiveProducerIsKeptEmptyAfterItsHorizon() throws IOException {
        // Given an active producer whose committed value was superseded, its marker left alone
        SegmentedLog log = logs.open(dir, CONFIG);
        log.append(transactional(COMMITTER, 0, T0, "a", "committed"));
        log.append(marker(COMMITTER, ControlRecordType.COMMIT, T0));
        log.append(batch(T0, "a", "plain"));
        fill(log, 40);
        compactor.compact(log);
        fill(log, 40);
        compactor.compact(log);
        logs.clock.advance(RETENTION_MS);
        // When
        compactor.compact(log);
        // Then the marker stays as an empty batch, keeping the producer's epoch in the log
        assertThat(markers(log)).extracting(BatchInfo::baseOffset, BatchInfo::records)
                .containsExactly(org.assertj.core.groups.Tuple.tuple(1L, 0));
    }

    @Test
    void anOpenTransactionStopsCompactionBeforeIt() throws IOException {
        // Given duplicates, then a transaction without a marker, then more duplicates
        SegmentedLog log = logs.open(dir, CONFIG);
        fill(log, 40);
        long open = log.append(transactional(ABORTER, 0, T0, "pending", "maybe")).firstOffset();
        fill(log, 40);
        long openSegment = log.segments().floorKey(open);
        // When
        compactor.compact(log);
        // Then everything from the segment holding the open transaction on is untouched
        List<Read> records = readAll(log);
        assertThat(records).filteredOn(r -> r.offset() >= openSegment).hasSize((int) (81 - openSegment));
        assertThat(records).filteredOn(r -> r.offset() < openSegment).hasSize(1);
        assertThat(log.cleaningSnapshot().firstDirtyOffset()).isEqualTo(openSegment);
    }

    @Test
    void theLastBatchOfAnActiveProducerIsKeptEmpty() throws IOException {
        // Given an idempotent producer whose last batch is superseded by plain records
        SegmentedLog log = logs.open(dir, CONFIG);
        log.append(KeyedRecords.idempotent(42, 0, T0, "k", "first"));
        log.append(KeyedRecords.idempotent(42, 1, T0, "k", "second"));
        log.append(batch(T0, "k", "plain"));
        fill(log, 40);
        // When
        compactor.compact(log);
        // Then its first batch is gone, its last one stays as an empty batch with its offsets
        List<BatchInfo> producerBatches = KeyedRecords.batches(log, null).stream()
                .filter(b -> b.producerId() == 42).toList();
        assertThat(producerBatches).hasSize(1);
        assertThat(producerBatches.getFirst().baseOffset()).isEqualTo(1);
        assertThat(producerBatches.getFirst().records()).isZero();
    }
}
