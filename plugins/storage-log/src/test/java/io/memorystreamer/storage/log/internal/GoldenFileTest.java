package io.memorystreamer.storage.log.internal;

import static io.memorystreamer.storage.log.internal.TestLogs.T0;
import static io.memorystreamer.storage.log.internal.TestLogs.readAll;
import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;

import io.memorystreamer.spi.storage.LogConfig;
import io.memorystreamer.spi.storage.TestBatches;
import io.memorystreamer.spi.storage.TimestampLookup;
import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The on-disk format is a promise: a partition directory written by version 1 of this storage
 * (checked in under {@code src/test/resources/golden/v1/events-0}) must still be read exactly,
 * and writing the same batches today must produce the same bytes.
 *
 * <p>The golden directory was made once by running this class with
 * {@code -Dgolden.regenerate=true}; never regenerate it to make a failing test pass: a
 * difference means the format changed and needs a new version with a migration.
 */
class GoldenFileTest {

    private static final String SEGMENT = "00000000000000000000";
    private static final List<String> FILES = List.of(SEGMENT + FileNames.LOG, SEGMENT + FileNames.INDEX,
            SEGMENT + FileNames.TIME_INDEX, PartitionCheckpoint.FILE_NAME, CleanShutdownMarker.FILE_NAME);
    /** An index entry every 100 bytes, so the small segment has several. */
    private static final LogConfig CONFIG = TestLogs.config(1024 * 1024, 100);

    @TempDir
    Path temp;

    private final TestLogs logs = new TestLogs();

    @AfterEach
    void closeLogs() {
        logs.close();
    }

    /** Six batches covering keys, producer ids, transactions and out-of-order timestamps. */
    private static List<ByteBuffer> goldenBatches() {
        return List.of(
                TestBatches.batch(T0, "alpha", "beta"),
                TestBatches.builder().producer(1000, (short) 0, 0).record("gamma", T0 + 10).record("delta", T0 + 5)
                        .build(),
                TestBatches.batchOfSize(T0 + 20, 3, 50),
                TestBatches.builder().record("k".getBytes(UTF_8), "epsilon".getBytes(UTF_8), T0 + 15).build(),
                TestBatches.batch(T0 + 30, "zeta"),
                TestBatches.builder().producer(1001, (short) 2, 5).transactional(true).partitionLeaderEpoch(4)
                        .record("eta", T0 + 40).record("theta", T0 + 41).build());
    }

    /** Writes the golden batches the way version 1 did: append, HW 9, delete before 2, clean close. */
    private Path writeGoldenLog(Path dir) {
        SegmentedLog log = logs.open(dir, CONFIG);
        for (ByteBuffer batch : goldenBatches()) {
            log.append(batch.duplicate());
        }
        log.updateHighWatermark(9);
        log.deleteRecordsBefore(2);
        log.close();
        return dir;
    }

    private Path copyOfGolden() throws IOException, URISyntaxException {
        Path golden = Path.of(getClass().getResource("/golden/v1/events-0").toURI());
        Path copy = Files.createDirectories(temp.resolve("events-0"));
        for (String name : FILES) {
            Files.copy(golden.resolve(name), copy.resolve(name), StandardCopyOption.REPLACE_EXISTING);
        }
        return copy;
    }

    private static ByteBuffer expectedBatchesFrom(int firstBatch) {
        ByteBuffer all = TestBatches.withOffsetsFrom(TestBatches.concat(goldenBatches().toArray(ByteBuffer[]::new)), 0);
        List<ByteBuffer> split = TestBatches.split(all);
        return TestBatches.concat(split.subList(firstBatch, split.size()).toArray(ByteBuffer[]::new));
    }

    private static void assertReadsTheGoldenLog(SegmentedLog log) {
        assertThat(log.logStartOffset()).isEqualTo(2);
        assertThat(log.logEndOffset()).isEqualTo(11);
        assertThat(log.highWatermark()).isEqualTo(9);
        assertThat(readAll(log, 2)).isEqualTo(expectedBatchesFrom(1));
        assertThat(TestBatches.baseOffset(readAll(log, 6))).isEqualTo(4);
        assertThat(TestBatches.baseOffset(readAll(log, 10))).isEqualTo(9);
        assertThat(log.lookupTimestamp(T0 + 12)).contains(new TimestampLookup(4, T0 + 20));
        assertThat(log.lookupTimestamp(T0 + 25)).contains(new TimestampLookup(8, T0 + 30));
        assertThat(log.lookupTimestamp(T0 + 41)).contains(new TimestampLookup(9, T0 + 41));
        assertThat(log.lookupTimestamp(T0 + 42)).isEmpty();
    }

    @Test
    void readsAVersionOneDirectoryThroughItsIndexes() throws Exception {
        Path dir = copyOfGolden();

        SegmentedLog log = logs.open(dir, CONFIG);

        assertReadsTheGoldenLog(log);
        assertThat(log.segments().firstEntry().getValue().offsetIndex().entries()).isEqualTo(3);
    }

    @Test
    void readsAVersionOneDirectoryThroughRecovery() throws Exception {
        Path dir = copyOfGolden();
        Files.delete(dir.resolve(CleanShutdownMarker.FILE_NAME));

        SegmentedLog log = logs.open(dir, CONFIG);

        assertReadsTheGoldenLog(log);
    }

    @Test
    void writingTheGoldenBatchesTodayProducesTheSameFiles() throws Exception {
        Path written = writeGoldenLog(temp.resolve("today/events-0"));
        if (Boolean.getBoolean("golden.regenerate")) {
            Path target = Files.createDirectories(Path.of("src/test/resources/golden/v1/events-0"));
            for (String name : FILES) {
                Files.copy(written.resolve(name), target.resolve(name), StandardCopyOption.REPLACE_EXISTING);
            }
        }
        Path golden = copyOfGolden();

        for (String name : FILES) {
            assertThat(Files.readAllBytes(written.resolve(name))).as(name)
                    .isEqualTo(Files.readAllBytes(golden.resolve(name)));
        }
    }
}
