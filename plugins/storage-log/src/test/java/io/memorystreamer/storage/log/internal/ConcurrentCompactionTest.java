package io.memorystreamer.storage.log.internal;

import static io.memorystreamer.storage.log.internal.KeyedRecords.batch;
import static io.memorystreamer.storage.log.internal.KeyedRecords.compacted;
import static io.memorystreamer.storage.log.internal.KeyedRecords.latest;
import static io.memorystreamer.storage.log.internal.KeyedRecords.readAll;
import static io.memorystreamer.storage.log.internal.TestLogs.T0;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.memorystreamer.spi.storage.LogConfig;
import io.memorystreamer.spi.storage.TestBatches;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.kafka.common.record.internal.MemoryRecords;
import org.apache.kafka.common.record.internal.MutableRecordBatch;
import org.apache.kafka.common.record.internal.Record;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Readers following the log while one thread appends and another compacts see whole, valid
 * batches in offset order, every record that compaction must keep exactly once, and never a
 * record at the wrong offset: each swap is atomic for them.
 */
class ConcurrentCompactionTest {

    private static final int RECORDS = 2_000;
    /** Every tenth record has a key of its own that is never updated: it must always be read. */
    private static final int UNIQUE_EVERY = 10;

    @TempDir
    Path dir;

    private final TestLogs logs = new TestLogs();
    private final ExecutorService threads = Executors.newFixedThreadPool(4);
    private final AtomicBoolean writerDone = new AtomicBoolean();

    @AfterEach
    void stop() {
        writerDone.set(true);
        threads.shutdownNow();
        logs.close();
    }

    private static String keyOf(int i) {
        return i % UNIQUE_EVERY == 0 ? "unique-" + i : "hot-" + (i % 7);
    }

    /** Reads the log from its start up to the high watermark seen first; checks every batch and unique key. */
    private static int readPassAndCheck(SegmentedLog log) {
        long end = log.highWatermark();
        long position = 0;
        long lastOffset = -1;
        int nextUnique = 0;
        while (position < end) {
            ByteBuffer bytes = TestBatches.bytesOf(log.read(position, 8 * 1024, end, true));
            if (!bytes.hasRemaining()) {
                break;
            }
            for (MutableRecordBatch batch : MemoryRecords.readableRecords(bytes).batches()) {
                batch.ensureValid();
                if (batch.baseOffset() <= lastOffset) {
                    throw new AssertionError("batch at " + batch.baseOffset() + " after offset " + lastOffset);
                }
                for (Record record : batch) {
                    String key = StandardCharsets.UTF_8.decode(record.key()).toString();
                    String value = StandardCharsets.UTF_8.decode(record.value()).toString();
                    if (!value.equals("value-" + record.offset())) {
                        throw new AssertionError("offset " + record.offset() + " holds " + value);
                    }
                    if (key.startsWith("unique-")) {
                        if (record.offset() != nextUnique) {
                            throw new AssertionError("expected unique record " + nextUnique + ", read " + record.offset());
                        }
                        nextUnique += UNIQUE_EVERY;
                    }
                }
                lastOffset = batch.lastOffset();
                position = lastOffset + 1;
            }
        }
        if (nextUnique < end - UNIQUE_EVERY + 1) {
            throw new AssertionError("read unique records up to " + nextUnique + " of " + end);
        }
        return 1;
    }

    @Test
    void readersSeeConsistentDataWhileTheLogIsCompacted() throws Exception {
        // Given 2 KB segments compacted as soon as any closed segment is dirty
        LogConfig config = compacted(2048, new LogConfig.Cleanup(false, true, 86_400_000L, 0.0, 0, Long.MAX_VALUE));
        SegmentedLog log = logs.open(dir, config);
        Compactor compactor = new Compactor(CleanerSettings.DEFAULT, logs.clock, () -> false);
        AtomicInteger passes = new AtomicInteger();
        AtomicInteger readPasses = new AtomicInteger();
        // When one thread appends, one compacts in a loop and two read from the start over and over
        Future<?> writer = threads.submit(() -> {
            for (int i = 0; i < RECORDS; i++) {
                log.append(batch(T0 + i, keyOf(i), "value-" + i));
                log.updateHighWatermark(log.logEndOffset());
                if (i % 200 == 199) {
                    // Let at least one pass finish per 200 records, so that passes interleave with appends.
                    int seen = passes.get();
                    await().atMost(Duration.ofSeconds(60)).until(() -> passes.get() > seen);
                }
            }
            writerDone.set(true);
        });
        Future<?> cleaner = threads.submit(() -> {
            while (!writerDone.get()) {
                if (compactor.compact(log) == Compactor.Outcome.CLEANED) {
                    passes.incrementAndGet();
                }
            }
            return null;
        });
        List<Future<?>> readers = new ArrayList<>();
        for (int r = 0; r < 2; r++) {
            readers.add(threads.submit(() -> {
                while (!writerDone.get()) {
                    readPasses.addAndGet(readPassAndCheck(log));
                }
                return null;
            }));
        }
        await().atMost(Duration.ofSeconds(120)).until(() -> writer.isDone() && cleaner.isDone()
                && readers.stream().allMatch(Future::isDone));
        writer.get();
        cleaner.get();
        for (Future<?> reader : readers) {
            reader.get();
        }
        // Then compaction ran many times under the readers, and the final log is right
        assertThat(passes.get()).isGreaterThanOrEqualTo(RECORDS / 200);
        assertThat(readPasses.get()).isGreaterThan(5);
        compactor.compact(log);
        readPassAndCheck(log);
        Map<String, String> expected = new HashMap<>();
        for (int i = 0; i < RECORDS; i++) {
            expected.put(keyOf(i), "value-" + i);
        }
        assertThat(latest(readAll(log))).containsExactlyInAnyOrderEntriesOf(expected);
    }
}
