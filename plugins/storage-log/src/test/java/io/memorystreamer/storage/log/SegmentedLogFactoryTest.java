package io.memorystreamer.storage.log;

import static io.memorystreamer.spi.storage.TestBatches.batch;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.memorystreamer.spi.storage.LogChunk;
import io.memorystreamer.spi.storage.LogConfig;
import io.memorystreamer.spi.storage.PartitionId;
import io.memorystreamer.spi.storage.PartitionLog;
import io.memorystreamer.spi.storage.StorageException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The DS component: configuration, log directories, background threads and shutdown. */
class SegmentedLogFactoryTest {

    private static final long T0 = 1_700_000_000_000L;

    @TempDir
    Path temp;

    private SegmentedLogFactory factory;

    @AfterEach
    void deactivate() {
        if (factory != null) {
            factory.deactivate();
        }
    }

    private SegmentedLogFactory activate(Map<String, Object> properties) {
        factory = new SegmentedLogFactory();
        factory.activate(properties);
        return factory;
    }

    private static boolean threadAlive(String name) {
        return Thread.getAllStackTraces().keySet().stream()
                .anyMatch(thread -> thread.getName().equals(name) && thread.isAlive());
    }

    @Test
    void placesEachNewPartitionInTheLogDirectoryWithFewestPartitions() throws IOException {
        // Given two log directories, the first already holding two partitions
        Path first = temp.resolve("a");
        Path second = temp.resolve("b");
        Files.createDirectories(first.resolve("old-0"));
        Files.createDirectories(first.resolve("old-1"));
        activate(Map.of("log.dirs", first + "," + second));
        // When
        factory.open(new PartitionId("new", 0), LogConfig.DEFAULT);
        factory.open(new PartitionId("new", 1), LogConfig.DEFAULT);
        factory.open(new PartitionId("new", 2), LogConfig.DEFAULT);
        // Then
        assertThat(second.resolve("new-0")).isDirectory();
        assertThat(second.resolve("new-1")).isDirectory();
        assertThat(first.resolve("new-2")).isDirectory();
    }

    @Test
    void reopensAPartitionInTheDirectoryThatHoldsIt() {
        Path first = temp.resolve("a");
        Path second = temp.resolve("b");
        activate(Map.of("log.dirs", first + "," + second));
        PartitionLog log = factory.open(new PartitionId("t", 0), LogConfig.DEFAULT);
        log.append(batch(T0, "kept"));
        log.close();

        PartitionLog reopened = factory.open(new PartitionId("t", 0), LogConfig.DEFAULT);

        assertThat(reopened.logEndOffset()).isEqualTo(1);
    }

    @Test
    void existingIgnoresEntriesThatAreNotPartitionLogs() throws IOException {
        Path dir = temp.resolve("logs");
        for (String name : new String[] {"orders-0", "my-topic.v2-12", ".state", ".hidden-0", "not-a-partition",
                "t-01", "t-", "-3", "orders-0.0123456789abcdef0123456789abcdef-delete"}) {
            Files.createDirectories(dir.resolve(name));
        }
        Files.writeString(dir.resolve("file-0"), "not a directory");
        activate(Map.of("log.dir", dir.toString()));

        assertThat(factory.existing()).containsExactlyInAnyOrder(new PartitionId("orders", 0),
                new PartitionId("my-topic.v2", 12));
    }

    @Test
    void leftoversOfAnInterruptedDeleteAreRemovedAtActivation() throws IOException {
        Path dir = temp.resolve("logs");
        Path leftover = Files.createDirectories(dir.resolve("orders-0.0123456789abcdef0123456789abcdef-delete"));
        Files.writeString(leftover.resolve("00000000000000000000.log"), "x");
        Files.createDirectories(dir.resolve(".state"));

        activate(Map.of("log.dirs", dir.toString()));

        assertThat(leftover).doesNotExist();
        assertThat(dir.resolve(".state")).isDirectory();
    }

    @Test
    void deleteRemovesThePartitionAtOnceAndItsFilesAfterTheGraceDelay() {
        Path dir = temp.resolve("logs");
        activate(Map.of("log.dirs", dir.toString(), "log.segment.delete.delay.ms", "300"));
        factory.open(new PartitionId("gone", 0), LogConfig.DEFAULT).append(batch(T0, "x"));

        factory.delete(new PartitionId("gone", 0));

        assertThat(dir.resolve("gone-0")).doesNotExist();
        assertThat(factory.existing()).isEmpty();
        assertThat(dir).isNotEmptyDirectory();
        await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> assertThat(dir).isEmptyDirectory());
    }

    @Test
    void aRegionReadBeforeTheDeletionCanStillBeSentDuringTheGraceDelay() throws IOException {
        // Given a file region handed to a reader
        Path dir = temp.resolve("logs");
        activate(Map.of("log.dirs", dir.toString(), "log.segment.delete.delay.ms", "60000"));
        PartitionId partition = new PartitionId("reading", 0);
        PartitionLog log = factory.open(partition, LogConfig.DEFAULT);
        ByteBuffer written = batch(T0, "in flight");
        int size = written.remaining();
        log.append(written.duplicate());
        LogChunk.FileRegion region = (LogChunk.FileRegion) log.read(0, 1 << 20, Long.MAX_VALUE, true).chunks().getFirst();

        // When the partition is deleted while the region is being sent
        factory.delete(partition);

        // Then the region still reads back the batch as stored, but the log serves nothing new
        ByteBuffer sent = ByteBuffer.allocate(region.sizeInBytes());
        while (sent.hasRemaining()) {
            assertThat(region.channel().read(sent, region.position() + sent.position())).isPositive();
        }
        assertThat(region.sizeInBytes()).isEqualTo(size);
        assertThat(sent.flip().getLong(0)).isZero();
        assertThatThrownBy(() -> log.read(0, 1 << 20, Long.MAX_VALUE, true)).isInstanceOf(StorageException.class);

        // And stopping the storage removes the files without waiting out the delay
        factory.deactivate();
        factory = null;
        assertThat(region.channel().isOpen()).isFalse();
        assertThat(dir).isEmptyDirectory();
    }

    @Test
    void aDeletedPartitionCanBeCreatedAgainAtOnceAndStartsEmpty() {
        Path dir = temp.resolve("logs");
        activate(Map.of("log.dirs", dir.toString()));
        PartitionId partition = new PartitionId("again", 0);
        factory.open(partition, LogConfig.DEFAULT).append(batch(T0, "x", "y"));

        factory.delete(partition);
        PartitionLog fresh = factory.open(partition, LogConfig.DEFAULT);

        assertThat(fresh.logEndOffset()).isZero();
        assertThat(fresh.append(batch(T0, "z")).firstOffset()).isZero();
        assertThat(factory.existing()).containsExactly(partition);
    }

    @Test
    void rejectsTopicNamesThatCannotNameADirectory() {
        activate(Map.of("log.dirs", temp.toString()));

        assertThatThrownBy(() -> factory.open(new PartitionId("../escape", 0), LogConfig.DEFAULT))
                .isInstanceOf(StorageException.class).hasMessageContaining("'/'");
        assertThatThrownBy(() -> factory.open(new PartitionId(".state", 0), LogConfig.DEFAULT))
                .isInstanceOf(StorageException.class);
    }

    @Test
    void activationWithoutLogDirsFailsNamingTheKey() {
        SegmentedLogFactory unconfigured = new SegmentedLogFactory();

        assertThatThrownBy(() -> unconfigured.activate(Map.of("listeners", "PLAINTEXT://:9092")))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("log.dirs");
    }

    @Test
    void theRetentionThreadDeletesOldSegmentsOnItsInterval() {
        // Given retention checked every 20 ms, deletions without delay, and 1-batch segments
        Map<String, Object> properties = new HashMap<>();
        properties.put("log.dirs", temp.toString());
        properties.put("log.retention.check.interval.ms", "20");
        properties.put("log.segment.delete.delay.ms", "0");
        activate(properties);
        int batchSize = batch(T0, "v").remaining();
        LogConfig config = new LogConfig(batchSize, LogConfig.DEFAULT.segmentMs(), -1, batchSize,
                Long.MAX_VALUE, Long.MAX_VALUE, 4096, 4096);
        PartitionLog log = factory.open(new PartitionId("t", 0), config);
        // When
        for (int i = 0; i < 5; i++) {
            log.append(batch(T0, "v"));
        }
        log.updateHighWatermark(5);
        // Then only the active segment is left and the old files are gone
        await().atMost(Duration.ofSeconds(10)).until(() -> log.logStartOffset() == 4);
        await().atMost(Duration.ofSeconds(10)).until(() -> {
            try (Stream<Path> files = Files.list(temp.resolve("t-0"))) {
                return files.filter(file -> file.toString().endsWith(".log") || file.toString().endsWith(".deleted"))
                        .count() == 1;
            }
        });
    }

    @Test
    void deactivationStopsTheThreadsAndClosesEveryLogCleanly() {
        // Given
        activate(Map.of("log.dirs", temp.toString()));
        PartitionLog log = factory.open(new PartitionId("t", 0), LogConfig.DEFAULT);
        log.append(batch(T0, "a"));
        assertThat(threadAlive("storage-log-retention")).isTrue();
        assertThat(threadAlive("storage-log-flush")).isTrue();
        // When
        factory.deactivate();
        factory = null;
        // Then
        assertThatThrownBy(log::logEndOffset).isInstanceOf(StorageException.class);
        assertThat(temp.resolve("t-0").resolve("clean-shutdown")).exists();
        await().atMost(Duration.ofSeconds(10)).until(() -> !threadAlive("storage-log-retention")
                && !threadAlive("storage-log-flush"));
    }

    @Test
    void aConfigurationUpdateKeepsOpenLogsOpen() {
        activate(Map.of("log.dirs", temp.toString()));
        PartitionLog log = factory.open(new PartitionId("t", 0), LogConfig.DEFAULT);

        factory.modified(Map.of("log.dirs", temp.toString(), "log.retention.check.interval.ms", "1000",
                "listeners", "PLAINTEXT://:9093"));

        assertThat(log.append(batch(T0, "still open")).firstOffset()).isZero();
    }
}
