package io.memorystreamer.storage.log.internal;

import static io.memorystreamer.storage.log.internal.TestLogs.T0;
import static io.memorystreamer.storage.log.internal.TestLogs.config;
import static io.memorystreamer.storage.log.internal.TestLogs.crashImage;
import static org.assertj.core.api.Assertions.assertThat;

import io.memorystreamer.spi.storage.LogConfig;
import io.memorystreamer.spi.storage.TestBatches;
import io.memorystreamer.spi.storage.TimestampLookup;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Sparse index lookups across many segments: every offset and every timestamp is found in the
 * right batch, whether the indexes were built by appends, loaded after a clean close, or rebuilt
 * by recovery.
 */
class IndexLookupTest {

    /** 1 KB segments with an index entry every ~200 bytes. */
    private static final LogConfig CONFIG = config(1024, 200);

    @TempDir
    Path temp;

    private final TestLogs logs = new TestLogs();
    private final List<long[]> batches = new ArrayList<>(); // {base, last, maxTimestamp, size}

    @AfterEach
    void closeLogs() {
        logs.close();
    }

    /** 250 batches of 1 to 4 records of random sizes, with timestamps that mostly grow. */
    private SegmentedLog randomLog() {
        SegmentedLog log = logs.open(temp.resolve("log"), CONFIG);
        Random random = new Random(42);
        long timestamp = T0;
        for (int i = 0; i < 250; i++) {
            TestBatches.Builder builder = TestBatches.builder();
            int records = 1 + random.nextInt(4);
            long max = Long.MIN_VALUE;
            for (int r = 0; r < records; r++) {
                timestamp += random.nextInt(5) - 1; // sometimes goes back by one
                max = Math.max(max, timestamp);
                builder.record(null, new byte[random.nextInt(120)], timestamp);
            }
            ByteBuffer batch = builder.build();
            int size = batch.remaining();
            long first = log.append(batch).firstOffset();
            batches.add(new long[] {first, first + records - 1, max, size});
        }
        return log;
    }

    private void assertEveryOffsetFindsItsBatch(SegmentedLog log) {
        for (long[] batch : batches) {
            for (long offset = batch[0]; offset <= batch[1]; offset++) {
                ByteBuffer read = TestBatches.bytesOf(log.read(offset, 1, Long.MAX_VALUE, true));
                assertThat(TestBatches.baseOffset(read)).as("batch holding offset %d", offset).isEqualTo(batch[0]);
                assertThat(TestBatches.split(read)).hasSize(1);
            }
        }
    }

    private void assertEveryTimestampFindsTheFirstBatchReachingIt(SegmentedLog log) {
        long lowest = batches.getFirst()[2] - 2;
        long highest = batches.getLast()[2] + 2;
        for (long timestamp = lowest; timestamp <= highest; timestamp++) {
            TimestampLookup expected = null;
            for (long[] batch : batches) {
                if (batch[2] >= timestamp) {
                    expected = new TimestampLookup(batch[0], batch[2]);
                    break;
                }
            }
            assertThat(log.lookupTimestamp(timestamp).orElse(null)).as("timestamp %d", timestamp).isEqualTo(expected);
        }
    }

    /** The base offsets of the batches a read must return: a header-by-header walk of the log. */
    private List<Long> expectedRead(long offset, int maxBytes, long maxOffset) {
        List<Long> bases = new ArrayList<>();
        long bytes = 0;
        for (long[] batch : batches) {
            if (batch[1] < offset) {
                continue;
            }
            if (batch[1] >= maxOffset || (!bases.isEmpty() && bytes + batch[3] > maxBytes)) {
                break;
            }
            bases.add(batch[0]);
            bytes += batch[3];
            if (bytes > maxBytes) {
                break; // only a first batch may exceed the limit
            }
        }
        return bases;
    }

    private static List<Long> baseOffsetsOf(ByteBuffer read) {
        return TestBatches.split(read).stream().map(TestBatches::baseOffset).toList();
    }

    @Test
    void boundedReadsReturnExactlyTheWholeBatchesAHeaderWalkWould() {
        SegmentedLog log = randomLog();
        long end = batches.getLast()[1] + 1;
        Random random = new Random(7);

        for (int i = 0; i < 3_000; i++) {
            long offset = random.nextLong(end);
            int maxBytes = random.nextInt(1_500);
            long maxOffset = offset + random.nextLong(end - offset + 1);

            ByteBuffer read = TestBatches.bytesOf(log.read(offset, maxBytes, maxOffset, true));

            assertThat(baseOffsetsOf(read)).as("read(%d, %d, %d)", offset, maxBytes, maxOffset)
                    .isEqualTo(expectedRead(offset, maxBytes, maxOffset));
        }
    }

    @Test
    void lookupsFindTheRightBatchWhileAppending() {
        SegmentedLog log = randomLog();

        assertThat(log.segments().size()).isGreaterThan(20);
        assertEveryOffsetFindsItsBatch(log);
        assertEveryTimestampFindsTheFirstBatchReachingIt(log);
    }

    @Test
    void lookupsFindTheRightBatchWithIndexesLoadedAfterACleanClose() {
        SegmentedLog log = randomLog();
        Path dir = log.directory();
        log.close();

        SegmentedLog reopened = logs.open(dir, CONFIG);

        assertEveryOffsetFindsItsBatch(reopened);
        assertEveryTimestampFindsTheFirstBatchReachingIt(reopened);
    }

    @Test
    void lookupsFindTheRightBatchWithIndexesRebuiltByRecovery() {
        Path image = crashImage(randomLog(), temp.resolve("crash"));
        // Without a checkpoint every segment is verified and re-indexed.
        assertThat(image.resolve(PartitionCheckpoint.FILE_NAME).toFile().delete()).isTrue();

        SegmentedLog recovered = logs.open(image, CONFIG);

        assertEveryOffsetFindsItsBatch(recovered);
        assertEveryTimestampFindsTheFirstBatchReachingIt(recovered);
    }
}
