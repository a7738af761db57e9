package io.memorystreamer.storage.log.internal;

import static io.memorystreamer.spi.storage.TestBatches.batch;
import static io.memorystreamer.spi.storage.TestBatches.values;
import static io.memorystreamer.storage.log.internal.TestLogs.T0;
import static io.memorystreamer.storage.log.internal.TestLogs.config;
import static io.memorystreamer.storage.log.internal.TestLogs.readAll;
import static org.assertj.core.api.Assertions.assertThat;

import io.memorystreamer.spi.storage.LogConfig;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Zeros written ahead of an active segment's appends: never read, never kept. */
class TailPrefillTest {

    @TempDir
    Path temp;

    private final TestLogs logs = new TestLogs();

    @AfterEach
    void closeLogs() {
        logs.close();
    }

    @Test
    void theTargetGrowsWithTheSegmentUpToTheStepAndStopsAtTheSegmentLimit() {
        assertThat(TailPrefill.target(200, 1 << 30)).isEqualTo(4096);
        assertThat(TailPrefill.target(15_531, 1 << 30)).isEqualTo(16 * 1024);
        assertThat(TailPrefill.target(40_000, 1 << 30)).isEqualTo(64 * 1024);
        assertThat(TailPrefill.target(300_000, 1 << 30)).isEqualTo(384 * 1024);
        assertThat(TailPrefill.target(1_000_000_000, 1 << 30)).isEqualTo(1_000_079_360L);
        // never past the segment limit, never short of the append itself
        assertThat(TailPrefill.target(300_000, 310_000)).isEqualTo(310_000);
        assertThat(TailPrefill.target(300_000, 1_000)).isEqualTo(300_000);
    }

    @Test
    void theFileRunsAheadOfTheLogInZerosWhileActive() throws IOException {
        SegmentedLog log = logs.open(temp.resolve("log"), config(1024 * 1024, 64));
        int end = 0;
        for (int i = 0; i < 40; i++) {
            ByteBuffer one = batch(T0 + i, "v".repeat(900 + i));
            end += one.remaining();
            log.append(one);
        }
        Path file = FileNames.logFile(log.directory(), 0);
        long fileSize = Files.size(file);

        assertThat(fileSize).isGreaterThan(end).isLessThanOrEqualTo(Math.max(2L * end, 4096));
        assertThat(fileSize % 4096).isZero();
        try (FileChannel channel = FileChannel.open(file, StandardOpenOption.READ)) {
            ByteBuffer tail = ByteBuffer.allocate((int) (fileSize - end));
            channel.read(tail, end);
            assertThat(tail.array()).containsOnly((byte) 0);
        }
        assertThat(values(readAll(log, 0))).hasSize(40);
    }

    @Test
    void aRolledSegmentAndACleanlyClosedOneEndWithTheirLastBatch() throws IOException {
        LogConfig small = config(8 * 1024, 64);
        Path dir = temp.resolve("log");
        SegmentedLog log = logs.open(dir, small);
        List<String> written = new ArrayList<>();
        for (int i = 0; i < 30; i++) {
            written.add("value-" + i + "-".repeat(500));
            log.append(batch(T0 + i, written.get(i)));
        }
        assertThat(log.segments()).hasSizeGreaterThan(2);
        List<Long> bases = new ArrayList<>(log.segments().keySet());
        for (long base : bases.subList(0, bases.size() - 1)) {
            assertThat(Files.size(FileNames.logFile(dir, base))).isEqualTo(log.segments().get(base).size());
        }
        long lastBase = bases.get(bases.size() - 1);
        long lastSize = log.segments().get(lastBase).size();
        assertThat(Files.size(FileNames.logFile(dir, lastBase))).isGreaterThan(lastSize);
        log.close();

        assertThat(Files.size(FileNames.logFile(dir, lastBase))).isEqualTo(lastSize);
        SegmentedLog reopened = logs.open(dir, small);
        assertThat(values(readAll(reopened, 0))).containsExactlyElementsOf(written);
    }
}
