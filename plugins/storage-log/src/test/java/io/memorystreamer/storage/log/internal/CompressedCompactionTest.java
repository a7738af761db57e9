package io.memorystreamer.storage.log.internal;

import static io.memorystreamer.storage.log.internal.KeyedRecords.batch;
import static io.memorystreamer.storage.log.internal.KeyedRecords.compact;
import static io.memorystreamer.storage.log.internal.KeyedRecords.compacted;
import static io.memorystreamer.storage.log.internal.KeyedRecords.latest;
import static io.memorystreamer.storage.log.internal.KeyedRecords.readAll;
import static io.memorystreamer.storage.log.internal.TestLogs.T0;
import static org.assertj.core.api.Assertions.assertThat;

import io.memorystreamer.storage.log.internal.KeyedRecords.BatchInfo;
import io.memorystreamer.storage.log.internal.KeyedRecords.Read;
import java.io.IOException;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.kafka.common.compress.Compression;
import org.apache.kafka.common.record.internal.CompressionType;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** Compressed batches are decompressed, filtered, recompressed with their own codec and read back. */
class CompressedCompactionTest {

    @TempDir
    Path dir;

    private final TestLogs logs = new TestLogs();
    private final Compactor compactor = new Compactor(CleanerSettings.DEFAULT, logs.clock, () -> false);

    @AfterEach
    void closeLogs() {
        logs.close();
    }

    @ParameterizedTest
    @EnumSource(value = CompressionType.class, names = {"GZIP", "SNAPPY", "LZ4", "ZSTD"})
    void compressedBatchesAreCompactedAndReadableWithTheirCodec(CompressionType type) throws IOException {
        // Given 60 batches of 10 records over 25 keys, each batch compressed with the codec
        SegmentedLog log = logs.open(dir, compacted(2048, compact(86_400_000L, 0, Long.MAX_VALUE)));
        Map<String, String> expected = new HashMap<>();
        int n = 0;
        for (int b = 0; b < 60; b++) {
            String[] keysAndValues = new String[20];
            for (int r = 0; r < 10; r++, n++) {
                keysAndValues[2 * r] = "key-" + (n * 7 % 25);
                keysAndValues[2 * r + 1] = "value-" + n + "-" + "x".repeat(40);
                expected.put(keysAndValues[2 * r], keysAndValues[2 * r + 1]);
            }
            log.append(batch(Compression.of(type).build(), T0 + b, keysAndValues));
        }
        log.updateHighWatermark(log.logEndOffset());
        long activeBase = log.segments().lastKey();
        // When
        Compactor.Outcome outcome = compactor.compact(log);
        // Then
        assertThat(outcome).isEqualTo(Compactor.Outcome.CLEANED);
        List<Read> records = readAll(log);
        assertThat(records).filteredOn(r -> r.offset() < activeBase).extracting(Read::key).doesNotHaveDuplicates();
        assertThat(latest(records)).containsExactlyInAnyOrderEntriesOf(expected);
        List<BatchInfo> batches = KeyedRecords.batches(log, null);
        assertThat(batches).filteredOn(b -> b.records() > 0).extracting(BatchInfo::compression).containsOnly(type);
        assertThat(batches).allSatisfy(b -> assertThat(b.lastOffset() - b.baseOffset()).isEqualTo(9));
    }
}
