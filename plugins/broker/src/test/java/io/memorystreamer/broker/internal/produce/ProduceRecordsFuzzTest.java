package io.memorystreamer.broker.internal.produce;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;
import io.memorystreamer.broker.internal.fetch.KafkaBatches;
import io.memorystreamer.broker.internal.fetch.Wire;
import io.memorystreamer.broker.internal.produce.DataPlaneHarness.FetchTarget;
import io.memorystreamer.broker.internal.topic.TopicInfo;
import io.memorystreamer.spi.storage.PartitionLog;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.util.List;
import org.apache.kafka.common.IsolationLevel;
import org.apache.kafka.common.compress.Compression;
import org.apache.kafka.common.message.FetchResponseData;
import org.apache.kafka.common.message.ProduceResponseData.PartitionProduceResponse;
import org.apache.kafka.common.protocol.ApiKeys;
import org.apache.kafka.common.protocol.Errors;
import org.apache.kafka.common.record.internal.MemoryRecords;
import org.apache.kafka.common.record.internal.MutableRecordBatch;
import org.apache.kafka.common.record.internal.Record;
import org.apache.kafka.common.record.internal.RecordBatch;
import org.apache.kafka.common.utils.internals.BufferSupplier;
import org.apache.kafka.common.utils.internals.CloseableIterator;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Arbitrary record bytes in a well-formed Produce request, on the real log and state store:
 * whatever they hold, the broker either appends whole valid batches at the log's end or answers
 * with a partition error naming the problem and leaves the log as it was. The fuzzer may repair a
 * batch's length, magic and CRC-32C so that its mutations reach the record and compression parsing
 * behind those checks.
 *
 * <p>{@code mvn verify} fuzzes for a bounded time (the broker module's surefire sets
 * {@code JAZZER_FUZZ}); without it the test replays its seeds and the examples below.
 */
class ProduceRecordsFuzzTest {

    private static final int BATCH_HEADER_BYTES = 61;
    private static final int PRODUCER_ID_OFFSET = 43;

    @TempDir
    static Path directory;

    private static DataPlaneHarness harness;
    private static TopicInfo topic;

    @BeforeAll
    static void start() {
        harness = new DataPlaneHarness(directory);
        topic = harness.catalog.create("fuzz", 1);
    }

    @AfterAll
    static void stop() throws InterruptedException {
        harness.close();
    }

    @FuzzTest(maxDuration = "45s")
    void arbitraryRecordsAreAppendedWholeOrRefused(FuzzedDataProvider data) {
        boolean repairHeader = data.consumeBoolean();
        boolean repairCrc = data.consumeBoolean();
        short version = data.consumeShort(ApiKeys.PRODUCE.oldestVersion(), ApiKeys.PRODUCE.latestVersion());
        ByteBuffer batch = ByteBuffer.wrap(data.consumeRemainingAsBytes());
        if (batch.limit() >= BATCH_HEADER_BYTES) {
            if (repairHeader) {
                batch.putInt(8, batch.limit() - 12).put(16, (byte) 2);
            }
            if (repairCrc) {
                KafkaBatches.fixCrc(batch);
            }
        }
        produceAndCheck(batch, version);
    }

    @Test
    void appendsAValidCompressedBatch() {
        produceAndCheck(KafkaBatches.copy(KafkaBatches.plain(Compression.zstd().build(), 1_000L, "a", "b", "c")),
                ApiKeys.PRODUCE.latestVersion());
    }

    @Test
    void refusesACompressedBatchWhosePayloadIsGarbage() {
        ByteBuffer batch = KafkaBatches.copy(KafkaBatches.plain(Compression.lz4().build(), 1_000L, "a", "b", "c"));
        for (int i = BATCH_HEADER_BYTES + 4; i < batch.limit(); i++) {
            batch.put(i, (byte) 0x5a);
        }
        KafkaBatches.fixCrc(batch);
        assertThat(produceAndCheck(batch, ApiKeys.PRODUCE.latestVersion())).isEqualTo(Errors.INVALID_RECORD);
    }

    @Test
    void refusesABatchWhoseHeaderCountsMoreRecordsThanItHolds() {
        // two records, a header (count and last offset delta) that says three, a CRC to match
        ByteBuffer batch = KafkaBatches.copy(KafkaBatches.plain(Compression.NONE, 1_000L, "a", "b"));
        batch.putInt(23, 2).putInt(57, 3);
        KafkaBatches.fixCrc(batch);
        assertThat(produceAndCheck(batch, ApiKeys.PRODUCE.latestVersion())).isEqualTo(Errors.INVALID_RECORD);
    }

    @Test
    void refusesARecordWhoseSizeDisagreesWithItsContent() {
        // the first record's size varint (one byte, zigzag) one larger than its content
        ByteBuffer batch = KafkaBatches.copy(KafkaBatches.plain(Compression.NONE, 1_000L, "a", "b"));
        batch.put(BATCH_HEADER_BYTES, (byte) (batch.get(BATCH_HEADER_BYTES) + 2));
        KafkaBatches.fixCrc(batch);
        assertThat(produceAndCheck(batch, ApiKeys.PRODUCE.latestVersion())).isEqualTo(Errors.INVALID_RECORD);
    }

    /** Produces the bytes as one partition's records and checks the outcome; returns the error. */
    private static Errors produceAndCheck(ByteBuffer records, short version) {
        PartitionLog log = harness.catalog.log(topic.name(), 0).orElseThrow();
        long endBefore = log.logEndOffset();

        PartitionProduceResponse response = harness.produce(topic, 0, MemoryRecords.readableRecords(records),
                (short) 1, version);

        Errors error = Errors.forCode(response.errorCode());
        long endAfter = log.logEndOffset();
        assertThat(error).as("an internal failure instead of a precise error").isNotEqualTo(Errors.UNKNOWN_SERVER_ERROR);
        if (error != Errors.NONE) {
            assertThat(endAfter).as("a refused produce left the log as it was").isEqualTo(endBefore);
            return error;
        }
        if (endAfter == endBefore) {
            // an idempotent producer's retry of a batch already stored: answered with its offset
            assertThat(records.getLong(PRODUCER_ID_OFFSET)).as("only a duplicate is accepted without an append")
                    .isNotEqualTo(RecordBatch.NO_PRODUCER_ID);
            assertThat(response.baseOffset()).isBetween(0L, endBefore - 1);
            return error;
        }
        assertThat(response.baseOffset()).isEqualTo(endBefore);
        assertAppendedBatchesAreValid(endBefore, endAfter);
        return error;
    }

    private static void assertAppendedBatchesAreValid(long from, long end) {
        FetchResponseData response = harness.fetch(DataPlaneHarness.fetchRequest(DataPlaneHarness.FETCH_LATEST, 0, 1,
                Integer.MAX_VALUE, IsolationLevel.READ_UNCOMMITTED,
                List.of(new FetchTarget(topic, 0, from, Integer.MAX_VALUE))), DataPlaneHarness.FETCH_LATEST).join();
        FetchResponseData.PartitionData partition = response.responses().getFirst().partitions().getFirst();
        assertThat(partition.errorCode()).isEqualTo(Errors.NONE.code());
        long next = from;
        for (MutableRecordBatch stored : MemoryRecords.readableRecords(ByteBuffer.wrap(Wire.bytesOf(partition.records())))
                .batches()) {
            stored.ensureValid();
            assertThat(stored.baseOffset()).isEqualTo(next);
            long records = 0;
            try (CloseableIterator<Record> iterator = stored.streamingIterator(BufferSupplier.NO_CACHING)) {
                while (iterator.hasNext()) {
                    Record record = iterator.next();
                    record.ensureValid();
                    records++;
                }
            }
            assertThat(records).isEqualTo(stored.lastOffset() - stored.baseOffset() + 1);
            next = stored.nextOffset();
        }
        assertThat(next).isEqualTo(end);
    }
}
