package io.memorystreamer.storage.log.internal;

import static io.memorystreamer.storage.log.internal.KeyedRecords.batch;
import static io.memorystreamer.storage.log.internal.KeyedRecords.compact;
import static io.memorystreamer.storage.log.internal.KeyedRecords.compacted;
import static io.memorystreamer.storage.log.internal.KeyedRecords.latest;
import static io.memorystreamer.storage.log.internal.KeyedRecords.readAll;
import static io.memorystreamer.storage.log.internal.TestLogs.T0;
import static io.memorystreamer.storage.log.internal.TestLogs.fileNames;
import static org.assertj.core.api.Assertions.assertThat;

import io.memorystreamer.spi.storage.LogConfig;
import io.memorystreamer.storage.log.internal.KeyedRecords.Read;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A crash in the middle of a compaction swap leaves {@code .cleaned} or {@code .swap} files; opening
 * the log recovers either the old segments or the compacted one, never a mix.
 */
class SwapRecoveryTest {

    private static final LogConfig CONFIG = compacted(1024, compact(86_400_000L, 0, Long.MAX_VALUE));
    private static final String FIRST = "00000000000000000000";

    @TempDir
    Path temp;

    private final TestLogs logs = new TestLogs();
    private final Map<String, String> expected = new HashMap<>();
    private Path crashed;
    private Path compactedSegment;

    @AfterEach
    void closeLogs() {
        logs.close();
    }

    /**
     * A log of 300 updates over 10 keys: {@code crashed} is a crash image of it before compaction,
     * {@code compactedSegment} the first segment its compaction wrote (which replaces every
     * closed segment).
     */
    @BeforeEach
    void compactedAndCrashedCopies() throws IOException {
        Path live = temp.resolve("live");
        SegmentedLog log = logs.open(live, CONFIG);
        for (int i = 0; i < 300; i++) {
            log.append(batch(T0, "key-" + (i % 10), "value-" + i));
            expected.put("key-" + (i % 10), "value-" + i);
        }
        log.updateHighWatermark(log.logEndOffset());
        crashed = TestLogs.crashImage(log, temp.resolve("crashed"));
        new Compactor(CleanerSettings.DEFAULT, logs.clock, () -> false).compact(log);
        compactedSegment = temp.resolve("compacted.log");
        Files.copy(live.resolve(FIRST + ".log"), compactedSegment);
    }

    private void assertRecoveredConsistently(SegmentedLog log) {
        List<Read> records = readAll(log);
        assertThat(records).extracting(Read::offset).isSorted().doesNotHaveDuplicates();
        assertThat(records).allSatisfy(r -> assertThat(r.value()).isEqualTo("value-" + r.offset()));
        assertThat(latest(records)).containsExactlyInAnyOrderEntriesOf(expected);
        assertThat(log.logEndOffset()).isEqualTo(300);
        assertThat(fileNames(log.directory())).noneMatch(name -> name.endsWith(FileNames.SWAP)
                || name.endsWith(FileNames.CLEANED) || name.endsWith(FileNames.DELETED));
    }

    @Test
    void leftoverCleanedFilesAreDiscardedAndTheOldSegmentsKept() throws IOException {
        // Given a crash while the compacted segment was being written
        Files.copy(compactedSegment, crashed.resolve(FIRST + ".log.cleaned"));
        Files.write(crashed.resolve(FIRST + ".index.cleaned"), new byte[16]);
        // When
        SegmentedLog log = logs.open(crashed, CONFIG);
        // Then
        assertRecoveredConsistently(log);
        assertThat(readAll(log)).hasSize(300);
    }

    @Test
    void aSwapFileFoundBesideTheOldSegmentsReplacesThem() throws IOException {
        // Given a crash right after the compacted segment was renamed .swap
        Files.copy(compactedSegment, crashed.resolve(FIRST + ".log.swap"));
        Files.write(crashed.resolve(FIRST + ".index.swap"), new byte[16]);
        // When
        SegmentedLog log = logs.open(crashed, CONFIG);
        // Then the compacted records replace the old segments they cover
        assertRecoveredConsistently(log);
        assertThat(readAll(log).size()).isLessThan(300);
        assertThat(log.segments().firstKey()).isZero();
    }

    @Test
    void aSwapFileFoundAfterTheOldSegmentsWereRenamedDeletedReplacesThem() throws IOException {
        // Given a crash after the old segments were renamed .deleted, before the swap took its name
        Files.copy(compactedSegment, crashed.resolve(FIRST + ".log.swap"));
        for (String name : fileNames(crashed)) {
            if (name.endsWith(".log") && !name.equals(lastSegment(crashed))) {
                Files.move(crashed.resolve(name), crashed.resolve(name + FileNames.DELETED));
            }
        }
        // When
        SegmentedLog log = logs.open(crashed, CONFIG);
        // Then
        assertRecoveredConsistently(log);
        assertThat(readAll(log).size()).isLessThan(300);
    }

    @Test
    void aSwapWhoseLogFileAlreadyTookItsNameIsTrustedAsTheNewSegment() throws IOException {
        // Given a crash after the final rename of the log file, its new index still named .swap
        for (String name : fileNames(crashed)) {
            if (name.endsWith(".log") && !name.equals(lastSegment(crashed))) {
                Files.delete(crashed.resolve(name));
            }
        }
        Files.copy(compactedSegment, crashed.resolve(FIRST + ".log"), StandardCopyOption.REPLACE_EXISTING);
        Files.write(crashed.resolve(FIRST + ".index.swap"), new byte[16]);
        // When
        SegmentedLog log = logs.open(crashed, CONFIG);
        // Then
        assertRecoveredConsistently(log);
    }

    private static String lastSegment(Path dir) {
        return fileNames(dir).stream().filter(name -> name.endsWith(".log")).reduce((a, b) -> b).orElseThrow();
    }
}
