package io.memorystreamer.storage.log.internal;

import static io.memorystreamer.spi.storage.TestBatches.batch;
import static io.memorystreamer.spi.storage.TestBatches.values;
import static io.memorystreamer.storage.log.internal.TestLogs.T0;
import static io.memorystreamer.storage.log.internal.TestLogs.config;
import static io.memorystreamer.storage.log.internal.TestLogs.crashImage;
import static io.memorystreamer.storage.log.internal.TestLogs.readAll;
import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;
import io.memorystreamer.spi.storage.LogConfig;
import io.memorystreamer.spi.storage.TestBatches;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.io.TempDir;

/**
 * Whatever a crash or a bad disk leaves after some point of the active segment (arbitrary bytes
 * over and beyond the last batches), opening the log keeps every whole batch before that point,
 * keeps only valid batches, and takes appends at its new end. {@code mvn verify} fuzzes for a
 * bounded time (this module's surefire sets {@code JAZZER_FUZZ}).
 */
class DamagedTailFuzzTest {

    /** Small preallocated indexes keep each crash image cheap to copy. */
    private static final LogConfig CONFIG = TestLogs.withMaxIndexBytes(config(1024 * 1024, 64), 4096);
    private static final int BATCHES = 10;

    @TempDir
    static Path work;

    private static Path pristine;
    private static final List<String> written = new ArrayList<>();
    private static final List<Integer> batchEnds = new ArrayList<>();
    private static int images;

    @BeforeAll
    static void writeALogAndTakeItsCrashImage() {
        try (TestLogs logs = new TestLogs()) {
            SegmentedLog log = logs.open(work.resolve("live"), CONFIG);
            int end = 0;
            for (int i = 0; i < BATCHES; i++) {
                String value = "value-" + i + "-".repeat(i * 5);
                ByteBuffer one = batch(T0 + i, value);
                end += one.remaining();
                batchEnds.add(end);
                written.add(value);
                log.append(one);
            }
            pristine = crashImage(log, work.resolve("pristine"));
        }
    }

    @FuzzTest(maxDuration = "30s")
    void recoveryKeepsWholeBatchesBeforeTheDamage(FuzzedDataProvider data) throws IOException {
        // Given a crash image whose segment is intact up to `damageAt`, then holds arbitrary bytes
        int damageAt = data.consumeInt(0, batchEnds.getLast());
        byte[] damage = data.consumeRemainingAsBytes();
        Path image = copyOfPristine();
        try (FileChannel segment = FileChannel.open(FileNames.logFile(image, 0), StandardOpenOption.WRITE)) {
            segment.truncate(damageAt);
            segment.write(ByteBuffer.wrap(damage), damageAt);
        }
        int intact = (int) batchEnds.stream().filter(end -> end <= damageAt).count();

        try (TestLogs logs = new TestLogs()) {
            // When the log is opened
            SegmentedLog recovered = logs.open(image, CONFIG);

            // Then every batch before the damage is there, every batch read back is valid, and the
            // offsets run without a gap to the log's end
            ByteBuffer all = readAll(recovered, 0);
            List<ByteBuffer> batches = TestBatches.split(all);
            assertThat(batches.size()).isGreaterThanOrEqualTo(intact);
            assertThat(values(all).subList(0, intact)).containsExactlyElementsOf(written.subList(0, intact));
            long next = 0;
            for (ByteBuffer one : batches) {
                assertThat(TestBatches.crcValid(one)).isTrue();
                assertThat(TestBatches.baseOffset(one)).isEqualTo(next);
                next = TestBatches.lastOffset(one) + 1;
            }
            assertThat(recovered.logEndOffset()).isEqualTo(next);
            // and the next append lands at that end
            assertThat(recovered.append(batch(T0, "after")).firstOffset()).isEqualTo(next);
        } finally {
            deleteTree(image);
        }
    }

    private static Path copyOfPristine() throws IOException {
        Path image = work.resolve("image-" + images++);
        Files.createDirectories(image);
        try (Stream<Path> files = Files.list(pristine)) {
            for (Path file : files.toList()) {
                Files.copy(file, image.resolve(file.getFileName()));
            }
        }
        return image;
    }

    private static void deleteTree(Path root) throws IOException {
        try (Stream<Path> files = Files.walk(root)) {
            for (Path file : files.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(file);
            }
        }
    }
}
