package io.memorystreamer.storage.log.internal;

import static io.memorystreamer.spi.storage.TestBatches.batch;
import static io.memorystreamer.spi.storage.TestBatches.values;
import static io.memorystreamer.storage.log.internal.TestLogs.T0;
import static io.memorystreamer.storage.log.internal.TestLogs.config;
import static io.memorystreamer.storage.log.internal.TestLogs.crashImage;
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
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** A crash leaves a torn or damaged tail; opening the log cuts it at the last whole valid batch. */
class TornTailRecoveryTest {

    private static final LogConfig CONFIG = config(1024 * 1024, 64);

    @TempDir
    Path temp;

    private final TestLogs logs = new TestLogs();
    private final List<Integer> batchEnds = new ArrayList<>();
    private final List<String> written = new ArrayList<>();

    @AfterEach
    void closeLogs() {
        logs.close();
    }

    /** A log of ten single-record batches, and the file position where each batch ends. */
    private SegmentedLog logOfTenBatches() {
        SegmentedLog log = logs.open(temp.resolve("live"), CONFIG);
        int end = 0;
        for (int i = 0; i < 10; i++) {
            ByteBuffer one = batch(T0 + i, "value-" + i + "-".repeat(i * 7));
            end += one.remaining();
            batchEnds.add(end);
            written.add("value-" + i + "-".repeat(i * 7));
            log.append(one);
        }
        return log;
    }

    private static void truncateFile(Path file, long size) throws IOException {
        try (FileChannel channel = FileChannel.open(file, StandardOpenOption.WRITE)) {
            channel.truncate(size);
        }
    }

    @ParameterizedTest(name = "cut after {0} bytes of batch 7")
    @ValueSource(ints = {0, 1, 11, 12, 60, 61, 62, -1})
    void aTornLastBatchIsCutAndAppendsContinue(int bytesOfLastBatch) throws IOException {
        // Given a crash image whose segment ends inside the eighth batch (or one byte short of its end)
        Path image = crashImage(logOfTenBatches(), temp.resolve("crash"));
        int batchStart = batchEnds.get(6);
        long cut = bytesOfLastBatch >= 0 ? batchStart + bytesOfLastBatch : batchEnds.get(7) - 1;
        truncateFile(FileNames.logFile(image, 0), cut);
        // When
        SegmentedLog recovered = logs.open(image, CONFIG);
        // Then the log ends with the seventh batch
        assertThat(recovered.logEndOffset()).isEqualTo(7);
        assertThat(values(readAll(recovered, 0))).containsExactlyElementsOf(written.subList(0, 7));
        assertThat(Files.size(FileNames.logFile(image, 0))).isEqualTo(batchStart);
        assertThat(recovered.append(batch(T0, "after")).firstOffset()).isEqualTo(7);
        assertThat(values(readAll(recovered, 5))).containsExactly(written.get(5), written.get(6), "after");
    }

    @ParameterizedTest(name = "cut at byte {0}")
    @ValueSource(ints = {0, 5, 100, 333, 517})
    void anyCutPositionLeavesEveryWholeBatchBeforeIt(int cut) throws IOException {
        Path image = crashImage(logOfTenBatches(), temp.resolve("crash"));
        truncateFile(FileNames.logFile(image, 0), cut);

        SegmentedLog recovered = logs.open(image, CONFIG);

        long whole = batchEnds.stream().filter(end -> end <= cut).count();
        assertThat(recovered.logEndOffset()).isEqualTo(whole);
        assertThat(values(readAll(recovered, 0))).containsExactlyElementsOf(written.subList(0, (int) whole));
    }

    @Test
    void aBatchWithABadChecksumAndEverythingAfterItIsDropped() throws IOException {
        // Given a crash image where one byte of the fourth batch's last record changed
        Path image = crashImage(logOfTenBatches(), temp.resolve("crash"));
        try (FileChannel channel = FileChannel.open(FileNames.logFile(image, 0), StandardOpenOption.WRITE)) {
            channel.write(ByteBuffer.wrap(new byte[] {'X'}), batchEnds.get(3) - 2);
        }
        // When
        SegmentedLog recovered;
        try (LogCapture capture = new LogCapture(LogLoader.class)) {
            recovered = logs.open(image, CONFIG);
            // Then the WARN names the partition, where the log now ends and what was dropped
            assertThat(capture.warnings()).singleElement().asString()
                    .contains("partition=events-0", "validBytes=" + batchEnds.get(2),
                            "droppedBytes=" + (batchEnds.get(9) - batchEnds.get(2)), "nextOffset=3", "CRC-32C");
        }
        assertThat(recovered.logEndOffset()).isEqualTo(3);
        assertThat(values(readAll(recovered, 0))).containsExactlyElementsOf(written.subList(0, 3));
    }

    @Test
    void aCorruptOlderSegmentDropsTheSegmentsAfterIt() throws IOException {
        // Given three segments of two batches, never flushed past the first roll's recovery point
        LogConfig small = config(2 * batch(T0, "value-0").remaining(), 0);
        SegmentedLog log = logs.open(temp.resolve("live"), small);
        for (int i = 0; i < 6; i++) {
            log.append(batch(T0 + i, "value-" + i));
        }
        Path image = crashImage(log, temp.resolve("crash"));
        Files.writeString(image.resolve(PartitionCheckpoint.FILE_NAME), "1\nlog-start-offset 0\n"
                + "high-watermark 0\nrecovery-point 2\n");
        try (FileChannel channel = FileChannel.open(FileNames.logFile(image, 2), StandardOpenOption.WRITE)) {
            channel.write(ByteBuffer.wrap(new byte[] {0x7f}), batch(T0, "value-0").remaining() + 30);
        }
        // When
        SegmentedLog recovered = logs.open(image, small);
        // Then the middle segment keeps its first batch and the last segment is gone
        assertThat(recovered.logEndOffset()).isEqualTo(3);
        assertThat(recovered.segments().keySet()).containsExactly(0L, 2L);
        assertThat(Files.exists(FileNames.logFile(image, 4))).isFalse();
        assertThat(values(readAll(recovered, 0))).containsExactly("value-0", "value-1", "value-2");
    }

    @Test
    void aCleanShutdownSkipsVerification() throws IOException {
        // Given a cleanly closed log whose bytes were damaged afterwards (not by a crash)
        SegmentedLog log = logOfTenBatches();
        Path dir = log.directory();
        log.close();
        try (FileChannel channel = FileChannel.open(FileNames.logFile(dir, 0), StandardOpenOption.WRITE)) {
            channel.write(ByteBuffer.wrap(new byte[] {'X'}), batchEnds.get(3) - 2);
        }
        // When
        SegmentedLog reopened = logs.open(dir, CONFIG);
        // Then the checksums were not scanned: the clean marker vouched for the segment
        assertThat(reopened.logEndOffset()).isEqualTo(10);
        assertThat(Files.exists(dir.resolve(CleanShutdownMarker.FILE_NAME))).isFalse();
    }

    @Test
    void bytesAfterTheCleanStateAreRecoveredDespiteTheMarker() throws IOException {
        // Given a cleanly closed log with half a batch appended to its file afterwards
        SegmentedLog log = logOfTenBatches();
        Path dir = log.directory();
        log.close();
        ByteBuffer half = batch(T0, "half").limit(30);
        try (FileChannel channel = FileChannel.open(FileNames.logFile(dir, 0), StandardOpenOption.WRITE)) {
            channel.write(half, batchEnds.get(9));
        }
        // When
        SegmentedLog reopened = logs.open(dir, CONFIG);
        // Then
        assertThat(reopened.logEndOffset()).isEqualTo(10);
        assertThat(Files.size(FileNames.logFile(dir, 0))).isEqualTo(batchEnds.get(9).longValue());
    }

    @Test
    void aCrashImageWithoutDamageLosesNothing() {
        Path image = crashImage(logOfTenBatches(), temp.resolve("crash"));

        SegmentedLog recovered = logs.open(image, CONFIG);

        assertThat(recovered.logEndOffset()).isEqualTo(10);
        assertThat(values(readAll(recovered, 0))).containsExactlyElementsOf(written);
        assertThat(recovered.lookupTimestamp(T0 + 4).orElseThrow().batchBaseOffset()).isEqualTo(4);
    }
}
