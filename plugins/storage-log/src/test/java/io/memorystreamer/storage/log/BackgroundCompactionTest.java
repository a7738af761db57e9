package io.memorystreamer.storage.log;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.memorystreamer.spi.storage.LogConfig;
import io.memorystreamer.spi.storage.PartitionId;
import io.memorystreamer.spi.storage.PartitionLog;
import io.memorystreamer.spi.storage.TestBatches;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import org.apache.kafka.common.compress.Compression;
import org.apache.kafka.common.record.internal.MemoryRecords;
import org.apache.kafka.common.record.internal.MutableRecordBatch;
import org.apache.kafka.common.record.internal.Record;
import org.apache.kafka.common.record.internal.SimpleRecord;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The component's cleaner threads compact logs whose cleanup policy says so, in the background. */
class BackgroundCompactionTest {

    private static final long T0 = 1_700_000_000_000L;
    private static final LogConfig.Cleanup COMPACT =
            new LogConfig.Cleanup(false, true, 86_400_000L, 0.1, 0, Long.MAX_VALUE);

    @TempDir
    Path temp;

    private SegmentedLogFactory factory;

    @AfterEach
    void deactivate() {
        if (factory != null) {
            factory.deactivate();
        }
    }

    private void activate(Map<String, Object> extra) {
        Map<String, Object> properties = new HashMap<>(extra);
        properties.put("log.dirs", temp.toString());
        properties.put("log.cleaner.backoff.ms", "20");
        properties.put("log.segment.delete.delay.ms", "0");
        factory = new SegmentedLogFactory();
        factory.activate(properties);
    }

    private static LogConfig config(LogConfig.Cleanup cleanup) {
        LogConfig d = LogConfig.DEFAULT;
        return new LogConfig(2048, d.segmentMs(), d.retentionMs(), d.retentionBytes(), d.flushIntervalMessages(),
                d.flushIntervalMs(), d.indexIntervalBytes(), d.maxIndexBytes(), cleanup);
    }

    private static void updates(PartitionLog log, int count, int keys) {
        for (int i = 0; i < count; i++) {
            log.append(MemoryRecords.withRecords(Compression.NONE, new SimpleRecord(T0 + i,
                    ("key-" + (i % keys)).getBytes(UTF_8), ("value-" + i).getBytes(UTF_8))).buffer());
        }
        log.updateHighWatermark(log.logEndOffset());
    }

    /** Records from the start: key to latest value, and how many there are. */
    private static Map<String, String> latest(PartitionLog log, int[] count) {
        Map<String, String> latest = new HashMap<>();
        var bytes = TestBatches.bytesOf(log.read(log.logStartOffset(), Integer.MAX_VALUE, Long.MAX_VALUE, true));
        for (MutableRecordBatch batch : MemoryRecords.readableRecords(bytes).batches()) {
            for (Record record : batch) {
                latest.put(UTF_8.decode(record.key()).toString(), UTF_8.decode(record.value()).toString());
                count[0]++;
            }
        }
        return latest;
    }

    private static boolean threadAlive(String name) {
        return Thread.getAllStackTraces().keySet().stream()
                .anyMatch(thread -> thread.getName().equals(name) && thread.isAlive());
    }

    @Test
    void aCompactedLogShrinksToAboutOneRecordPerKeyInTheBackground() {
        // Given
        activate(Map.of());
        PartitionLog log = factory.open(new PartitionId("compacted", 0), config(COMPACT));
        // When 2,000 updates of 20 keys are appended
        updates(log, 2_000, 20);
        // Then the cleaner thread soon leaves the closed segments with one record per key
        assertThat(threadAlive("storage-log-cleaner")).isTrue();
        int[] count = new int[1];
        await().atMost(Duration.ofSeconds(60)).until(() -> {
            count[0] = 0;
            latest(log, count);
            return count[0] <= 20 + 30;
        });
        Map<String, String> expected = new HashMap<>();
        for (int i = 1_980; i < 2_000; i++) {
            expected.put("key-" + (i % 20), "value-" + i);
        }
        assertThat(latest(log, new int[1])).containsExactlyInAnyOrderEntriesOf(expected);
    }

    @Test
    void aDeletePolicyLogIsLeftAlone() {
        activate(Map.of());
        PartitionLog compacted = factory.open(new PartitionId("compacted", 0), config(COMPACT));
        PartitionLog plain = factory.open(new PartitionId("plain", 0), config(LogConfig.Cleanup.DELETE));
        updates(plain, 1_000, 10);
        updates(compacted, 1_000, 10);
        int[] count = new int[1];
        await().atMost(Duration.ofSeconds(60)).until(() -> {
            count[0] = 0;
            latest(compacted, count);
            return count[0] < 100;
        });

        int[] plainCount = new int[1];
        latest(plain, plainCount);
        assertThat(plainCount[0]).isEqualTo(1_000);
    }

    @Test
    void aCompactedLogCanBeDeletedWhileTheCleanerWorks() {
        activate(Map.of());
        PartitionId id = new PartitionId("doomed", 0);
        PartitionLog log = factory.open(id, config(COMPACT));
        updates(log, 2_000, 20);

        factory.delete(id);

        assertThat(temp.resolve("doomed-0")).doesNotExist();
        assertThat(factory.existing()).doesNotContain(id);
    }

    @Test
    void theCleanerCanBeDisabledAndStopsWithTheComponent() {
        activate(Map.of("log.cleaner.enable", "false"));
        assertThat(threadAlive("storage-log-cleaner")).isFalse();
        factory.modified(Map.of("log.dirs", temp.toString(), "log.cleaner.enable", "true"));
        assertThat(threadAlive("storage-log-cleaner")).isTrue();

        factory.deactivate();
        factory = null;

        await().atMost(Duration.ofSeconds(10)).until(() -> !threadAlive("storage-log-cleaner"));
    }
}
