package io.memorystreamer.storage.log.internal;

import static io.memorystreamer.storage.log.internal.KeyedRecords.batch;
import static io.memorystreamer.storage.log.internal.KeyedRecords.compact;
import static io.memorystreamer.storage.log.internal.KeyedRecords.compacted;
import static io.memorystreamer.storage.log.internal.KeyedRecords.latest;
import static io.memorystreamer.storage.log.internal.KeyedRecords.readAll;
import static io.memorystreamer.storage.log.internal.TestLogs.T0;
import static org.assertj.core.api.Assertions.assertThat;

import io.memorystreamer.spi.storage.LogConfig;
import io.memorystreamer.storage.log.internal.KeyedRecords.Read;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A tombstone (null value) hides its key's older values at once, stays {@code delete.retention.ms}
 * after the first pass that found it (its batch carries that delete horizon), then goes.
 */
class TombstoneRetentionTest {

    private static final long RETENTION_MS = 60_000;
    private static final LogConfig CONFIG = compacted(1024, compact(RETENTION_MS, 0, Long.MAX_VALUE));

    @TempDir
    Path dir;

    private final TestLogs logs = new TestLogs();
    private final Compactor compactor = new Compactor(CleanerSettings.DEFAULT, logs.clock, () -> false);
    private SegmentedLog log;
    private long tombstoneOffset;

    @AfterEach
    void closeLogs() {
        logs.close();
    }

    /** Keys a..e updated 40 times each, then a tombstone for "a", then enough records to close its segment. */
    @BeforeEach
    void logWithATombstone() {
        log = logs.open(dir, CONFIG);
        for (int i = 0; i < 200; i++) {
            log.append(batch(T0, String.valueOf((char) ('a' + i % 5)), "value-" + i));
        }
        tombstoneOffset = log.append(batch(T0, "a", null)).firstOffset();
        for (int i = 0; i < 30; i++) {
            log.append(batch(T0, "z", "filler-" + i));
        }
        log.updateHighWatermark(log.logEndOffset());
    }

    private List<Read> recordsOfA() {
        return readAll(log).stream().filter(r -> r.key().equals("a")).toList();
    }

    @Test
    void theFirstPassKeepsTheTombstoneAloneAndStampsItsDeleteHorizon() throws IOException {
        compactor.compact(log);

        List<Read> a = recordsOfA();
        assertThat(a).hasSize(1);
        assertThat(a.getFirst().offset()).isEqualTo(tombstoneOffset);
        assertThat(a.getFirst().value()).isNull();
        assertThat(a.getFirst().batch().hasDeleteHorizon()).isTrue();
        assertThat(log.cleaningSnapshot().deleteHorizonMs()).isEqualTo(T0 + RETENTION_MS);
    }

    @Test
    void theTombstoneStaysUntilTheDeleteHorizon() throws IOException {
        compactor.compact(log);
        logs.clock.advance(RETENTION_MS - 1);

        assertThat(compactor.compact(log)).isEqualTo(Compactor.Outcome.NOTHING_TO_DO);
        assertThat(recordsOfA()).extracting(Read::value).containsExactly((String) null);
    }

    @Test
    void aPassAfterTheDeleteHorizonRemovesTheTombstoneWithoutNewData() throws IOException {
        // Given the first pass, then the clock past the horizon
        compactor.compact(log);
        logs.clock.advance(RETENTION_MS);
        // When
        Compactor.Outcome outcome = compactor.compact(log);
        // Then
        assertThat(outcome).isEqualTo(Compactor.Outcome.CLEANED);
        assertThat(recordsOfA()).isEmpty();
        assertThat(latest(readAll(log))).containsOnlyKeys("b", "c", "d", "e", "z");
        assertThat(log.cleaningSnapshot().deleteHorizonMs()).isEqualTo(-1);
        assertThat(compactor.compact(log)).isEqualTo(Compactor.Outcome.NOTHING_TO_DO);
    }

    @Test
    void theDeleteHorizonSurvivesARestart() throws IOException {
        compactor.compact(log);
        log.close();
        log = logs.open(dir, CONFIG);
        logs.clock.advance(RETENTION_MS);

        assertThat(compactor.compact(log)).isEqualTo(Compactor.Outcome.CLEANED);
        assertThat(recordsOfA()).isEmpty();
    }
}
