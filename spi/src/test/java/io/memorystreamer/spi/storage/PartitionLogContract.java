package io.memorystreamer.spi.storage;

import static io.memorystreamer.spi.storage.TestBatches.batch;
import static io.memorystreamer.spi.storage.TestBatches.bytesOf;
import static io.memorystreamer.spi.storage.TestBatches.concat;
import static io.memorystreamer.spi.storage.TestBatches.split;
import static io.memorystreamer.spi.storage.TestBatches.values;
import static io.memorystreamer.spi.storage.TestBatches.withOffsetsFrom;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The behaviour every {@link PartitionLogFactory} / {@link PartitionLog} implementation must show.
 * An implementation's test extends this class and says how to make a factory on a directory (and,
 * if it holds resources, how to release it).
 *
 * <p>Each test starts with a fresh factory on its own temporary directory. "Reopen" tests close
 * the log, release the factory and make a new one on the same directory.
 */
public abstract class PartitionLogContract {

    private static final PartitionId ORDERS = new PartitionId("orders", 0);
    private static final long T0 = 1_700_000_000_000L;

    @TempDir
    protected Path directory;

    private PartitionLogFactory factory;

    /** A factory keeping its logs under {@code directory}. */
    protected abstract PartitionLogFactory createFactory(Path directory);

    /** Releases a factory made by {@link #createFactory}, closing its open logs. By default nothing. */
    protected void closeFactory(PartitionLogFactory factory) {
    }

    /** The settings the contract opens logs with. */
    protected LogConfig config() {
        return LogConfig.DEFAULT;
    }

    @BeforeEach
    void startFactory() {
        factory = createFactory(directory);
    }

    @AfterEach
    void stopFactory() {
        closeFactory(factory);
    }

    /** The factory under test. */
    protected PartitionLogFactory factory() {
        return factory;
    }

    /** Closes the log, releases the factory and makes a new one on the same directory. */
    protected PartitionLog reopen(PartitionLog log) {
        PartitionId partition = log.partition();
        log.close();
        closeFactory(factory);
        factory = createFactory(directory);
        return factory.open(partition, config());
    }

    private PartitionLog openOrders() {
        return factory.open(ORDERS, config());
    }

    private static ByteBuffer readAll(PartitionLog log, long from) {
        return bytesOf(log.read(from, Integer.MAX_VALUE, Long.MAX_VALUE, true));
    }

    // --- a new log ----------------------------------------------------------------------------

    @Test
    void newLogIsEmpty() {
        PartitionLog log = openOrders();

        assertThat(log.partition()).isEqualTo(ORDERS);
        assertThat(log.logStartOffset()).isZero();
        assertThat(log.logEndOffset()).isZero();
        assertThat(log.highWatermark()).isZero();
        assertThat(log.read(0, 1024, Long.MAX_VALUE, true).isEmpty()).isTrue();
    }

    @Test
    void openingAnOpenLogReturnsTheSameInstance() {
        PartitionLog first = openOrders();

        assertThat(openOrders()).isSameAs(first);
    }

    // --- append and read ----------------------------------------------------------------------

    @Test
    void readReturnsAppendedBatchesByteForByte() {
        // Given
        PartitionLog log = openOrders();
        ByteBuffer first = batch(T0, "a", "b", "c");
        ByteBuffer second = batch(T0 + 1, "d");
        // When
        log.append(first.duplicate());
        log.append(second.duplicate());
        // Then
        assertThat(readAll(log, 0)).isEqualTo(concat(withOffsetsFrom(first, 0), withOffsetsFrom(second, 3)));
    }

    @Test
    void appendAssignsContiguousOffsetsFromTheLogEnd() {
        // Given
        PartitionLog log = openOrders();
        log.append(batch(T0, "a", "b"));
        // When
        AppendResult result = log.append(concat(batch(T0, "c", "d", "e"), batch(T0, "f")));
        // Then
        assertThat(result.firstOffset()).isEqualTo(2);
        assertThat(result.lastOffset()).isEqualTo(5);
        assertThat(result.logStartOffset()).isZero();
        assertThat(log.logEndOffset()).isEqualTo(6);
        List<Long> baseOffsets = new ArrayList<>();
        for (ByteBuffer stored : split(readAll(log, 0))) {
            baseOffsets.add(TestBatches.baseOffset(stored));
        }
        assertThat(baseOffsets).containsExactly(0L, 2L, 5L);
        assertThat(values(readAll(log, 0))).containsExactly("a", "b", "c", "d", "e", "f");
    }

    @Test
    void appendRewritesTheBaseOffsetsOfTheGivenBuffer() {
        PartitionLog log = openOrders();
        log.append(batch(T0, "a", "b"));
        ByteBuffer incoming = concat(batch(T0, "c"), batch(T0, "d"));

        log.append(incoming);

        List<ByteBuffer> batches = split(incoming);
        assertThat(TestBatches.baseOffset(batches.get(0))).isEqualTo(2);
        assertThat(TestBatches.baseOffset(batches.get(1))).isEqualTo(3);
    }

    @Test
    void storedBatchesKeepValidChecksums() {
        PartitionLog log = openOrders();
        log.append(TestBatches.builder().producer(7, (short) 1, 0).record("x", T0).record("y", T0 + 5).build());

        ByteBuffer stored = readAll(log, 0);

        assertThat(TestBatches.crcValid(stored)).isTrue();
        assertThat(TestBatches.maxTimestamp(stored)).isEqualTo(T0 + 5);
    }

    @Test
    void invalidBatchesAreRejectedAndLeaveTheLogUnchanged() {
        // Given
        PartitionLog log = openOrders();
        log.append(batch(T0, "a"));
        ByteBuffer wrongMagic = batch(T0, "b");
        wrongMagic.put(16, (byte) 1);
        ByteBuffer truncated = batch(T0, "c").limit(40);
        ByteBuffer lengthBeyondEnd = batch(T0, "d");
        lengthBeyondEnd.putInt(8, lengthBeyondEnd.getInt(8) + 100);
        // When / Then
        assertThatThrownBy(() -> log.append(wrongMagic)).isInstanceOf(CorruptBatchException.class);
        assertThatThrownBy(() -> log.append(truncated)).isInstanceOf(CorruptBatchException.class);
        assertThatThrownBy(() -> log.append(lengthBeyondEnd)).isInstanceOf(CorruptBatchException.class);
        assertThatThrownBy(() -> log.append(ByteBuffer.allocate(0))).isInstanceOf(CorruptBatchException.class);
        assertThatThrownBy(() -> log.append(concat(batch(T0, "e"), wrongMagic)))
                .isInstanceOf(CorruptBatchException.class);
        assertThat(log.logEndOffset()).isEqualTo(1);
        assertThat(values(readAll(log, 0))).containsExactly("a");
    }

    @Test
    void readFromAnOffsetInsideABatchReturnsTheWholeBatch() {
        PartitionLog log = openOrders();
        log.append(batch(T0, "a", "b"));
        log.append(batch(T0, "c", "d", "e"));

        ByteBuffer read = readAll(log, 3);

        assertThat(TestBatches.baseOffset(read)).isEqualTo(2);
        assertThat(values(read)).containsExactly("c", "d", "e");
    }

    @Test
    void readAtTheLogEndIsEmpty() {
        PartitionLog log = openOrders();
        log.append(batch(T0, "a", "b"));

        LogReadResult result = log.read(2, 1024, Long.MAX_VALUE, true);

        assertThat(result.isEmpty()).isTrue();
        assertThat(result.logEndOffset()).isEqualTo(2);
        assertThat(result.logStartOffset()).isZero();
    }

    @Test
    void readOutsideTheLogIsOutOfRange() {
        PartitionLog log = openOrders();
        log.append(batch(T0, "a", "b"));

        assertThatThrownBy(() -> log.read(3, 1024, Long.MAX_VALUE, true))
                .isInstanceOf(OffsetOutOfRangeException.class);
        assertThatThrownBy(() -> log.read(-1, 1024, Long.MAX_VALUE, true))
                .isInstanceOf(OffsetOutOfRangeException.class);
    }

    @Test
    void maxBytesStopsBeforeTheFirstBatchThatDoesNotFit() {
        // Given three batches of the same size
        PartitionLog log = openOrders();
        ByteBuffer one = batch(T0, "aaaa");
        int size = one.remaining();
        log.append(one);
        log.append(batch(T0, "bbbb"));
        log.append(batch(T0, "cccc"));
        // When
        LogReadResult result = log.read(0, 2 * size + size / 2, Long.MAX_VALUE, false);
        // Then
        assertThat(result.sizeInBytes()).isEqualTo(2 * size);
        assertThat(values(bytesOf(result))).containsExactly("aaaa", "bbbb");
    }

    @Test
    void minOneBatchReturnsAFirstBatchLargerThanMaxBytes() {
        PartitionLog log = openOrders();
        log.append(batch(T0, "a-large-record-value", "another-one"));
        log.append(batch(T0, "next"));

        LogReadResult withMinOne = log.read(0, 10, Long.MAX_VALUE, true);
        LogReadResult withoutMinOne = log.read(0, 10, Long.MAX_VALUE, false);

        assertThat(values(bytesOf(withMinOne))).containsExactly("a-large-record-value", "another-one");
        assertThat(withoutMinOne.isEmpty()).isTrue();
    }

    @Test
    void maxOffsetExcludesBatchesEndingAtOrAboveIt() {
        PartitionLog log = openOrders();
        log.append(batch(T0, "a", "b"));
        log.append(batch(T0, "c", "d"));

        assertThat(values(bytesOf(log.read(0, 1024, 3, true)))).containsExactly("a", "b");
        assertThat(values(bytesOf(log.read(0, 1024, 4, true)))).containsExactly("a", "b", "c", "d");
        assertThat(log.read(2, 1024, 2, true).isEmpty()).isTrue();
    }

    @Test
    void manyAppendsReadBackInOrder() {
        PartitionLog log = openOrders();
        List<String> expected = new ArrayList<>();
        for (int i = 0; i < 200; i++) {
            log.append(batch(T0 + i, "v" + i));
            expected.add("v" + i);
        }

        assertThat(values(readAll(log, 0))).containsExactlyElementsOf(expected);
        assertThat(values(bytesOf(log.read(150, Integer.MAX_VALUE, Long.MAX_VALUE, true))))
                .containsExactlyElementsOf(expected.subList(150, 200));
    }

    @Test
    void sizeInBytesCountsTheStoredBatches() {
        PartitionLog log = openOrders();
        ByteBuffer one = batch(T0, "a", "b");

        log.append(one.duplicate());
        log.append(batch(T0, "c"));

        assertThat(log.sizeInBytes()).isGreaterThanOrEqualTo(one.remaining() + batch(T0, "c").remaining());
    }

    // --- high watermark -----------------------------------------------------------------------

    @Test
    void highWatermarkMovesButNeverBeyondTheLogEnd() {
        PartitionLog log = openOrders();
        log.append(batch(T0, "a", "b", "c"));

        log.updateHighWatermark(2);
        assertThat(log.highWatermark()).isEqualTo(2);

        log.updateHighWatermark(100);
        assertThat(log.highWatermark()).isEqualTo(3);
    }

    // --- truncation and deletion of records ---------------------------------------------------

    @Test
    void truncateToRemovesLaterRecordsAndAppendsContinueThere() {
        // Given
        PartitionLog log = openOrders();
        log.append(batch(T0, "a", "b"));
        log.append(batch(T0, "c"));
        log.append(batch(T0, "d", "e"));
        log.updateHighWatermark(5);
        // When
        log.truncateTo(3);
        AppendResult next = log.append(batch(T0, "f"));
        // Then
        assertThat(next.firstOffset()).isEqualTo(3);
        assertThat(log.logEndOffset()).isEqualTo(4);
        assertThat(log.highWatermark()).isLessThanOrEqualTo(3);
        assertThat(values(readAll(log, 0))).containsExactly("a", "b", "c", "f");
    }

    @Test
    void truncateOutsideTheLogIsRejected() {
        PartitionLog log = openOrders();
        log.append(batch(T0, "a", "b"));

        assertThatThrownBy(() -> log.truncateTo(5)).isInstanceOf(StorageException.class);
        assertThat(log.logEndOffset()).isEqualTo(2);
    }

    @Test
    void deleteRecordsBeforeAdvancesTheLogStart() {
        // Given
        PartitionLog log = openOrders();
        log.append(batch(T0, "a", "b"));
        log.append(batch(T0, "c", "d"));
        log.updateHighWatermark(4);
        // When
        log.deleteRecordsBefore(2);
        // Then
        assertThat(log.logStartOffset()).isEqualTo(2);
        assertThatThrownBy(() -> log.read(1, 1024, Long.MAX_VALUE, true))
                .isInstanceOf(OffsetOutOfRangeException.class);
        assertThat(values(readAll(log, 2))).containsExactly("c", "d");
        assertThat(log.append(batch(T0, "e")).logStartOffset()).isEqualTo(2);
    }

    @Test
    void deleteRecordsBeyondTheHighWatermarkIsRejected() {
        PartitionLog log = openOrders();
        log.append(batch(T0, "a", "b"));
        log.updateHighWatermark(1);

        assertThatThrownBy(() -> log.deleteRecordsBefore(2)).isInstanceOf(StorageException.class);
        assertThat(log.logStartOffset()).isZero();
    }

    // --- timestamps ---------------------------------------------------------------------------

    @Test
    void lookupTimestampFindsTheFirstBatchWithALaterOrEqualTimestamp() {
        // Given
        PartitionLog log = openOrders();
        log.append(batch(T0, "a", "b"));
        log.append(TestBatches.builder().record("c", T0 + 10).record("d", T0 + 30).build());
        log.append(batch(T0 + 20, "e"));
        // When / Then
        assertThat(log.lookupTimestamp(T0 - 5)).contains(new TimestampLookup(0, T0));
        assertThat(log.lookupTimestamp(T0)).contains(new TimestampLookup(0, T0));
        assertThat(log.lookupTimestamp(T0 + 1)).contains(new TimestampLookup(2, T0 + 30));
        assertThat(log.lookupTimestamp(T0 + 30)).contains(new TimestampLookup(2, T0 + 30));
        assertThat(log.lookupTimestamp(T0 + 31)).isEmpty();
    }

    // --- lifecycle ----------------------------------------------------------------------------

    @Test
    void reopeningAfterCloseKeepsRecordsAndOffsets() {
        // Given
        PartitionLog log = openOrders();
        log.append(batch(T0, "a", "b"));
        log.append(batch(T0 + 5, "c", "d"));
        log.append(batch(T0 + 9, "e"));
        log.updateHighWatermark(4);
        log.deleteRecordsBefore(2);
        ByteBuffer before = readAll(log, 2);
        // When
        PartitionLog reopened = reopen(log);
        // Then
        assertThat(reopened.logStartOffset()).isEqualTo(2);
        assertThat(reopened.logEndOffset()).isEqualTo(5);
        assertThat(reopened.highWatermark()).isEqualTo(4);
        assertThat(readAll(reopened, 2)).isEqualTo(before);
        assertThat(reopened.lookupTimestamp(T0 + 6)).contains(new TimestampLookup(4, T0 + 9));
        assertThat(reopened.append(batch(T0, "f")).firstOffset()).isEqualTo(5);
    }

    @Test
    void existingListsEveryLogOnDisk() {
        PartitionId other = new PartitionId("payments.eu", 3);
        factory.open(ORDERS, config()).append(batch(T0, "a"));
        PartitionLog second = factory.open(other, config());

        PartitionLog reopened = reopen(second);

        assertThat(factory.existing()).contains(ORDERS, other);
        assertThat(reopened.logEndOffset()).isZero();
    }

    @Test
    void aClosedLogRejectsCallsAndCanBeOpenedAgain() {
        PartitionLog log = openOrders();
        log.append(batch(T0, "a"));

        log.close();
        log.close();

        assertThatThrownBy(() -> log.append(batch(T0, "b"))).isInstanceOf(StorageException.class);
        assertThatThrownBy(() -> log.read(0, 1024, Long.MAX_VALUE, true)).isInstanceOf(StorageException.class);
        assertThatThrownBy(log::logEndOffset).isInstanceOf(StorageException.class);
        PartitionLog again = openOrders();
        assertThat(again).isNotSameAs(log);
        assertThat(values(readAll(again, 0))).containsExactly("a");
    }

    @Test
    void deleteRemovesTheLogAndItsRecords() {
        // Given
        PartitionLog log = openOrders();
        log.append(batch(T0, "a", "b"));
        // When
        factory.delete(ORDERS);
        // Then
        assertThat(factory.existing()).doesNotContain(ORDERS);
        assertThatThrownBy(log::logEndOffset).isInstanceOf(StorageException.class);
        PartitionLog fresh = openOrders();
        assertThat(fresh.logEndOffset()).isZero();
    }

    @Test
    void reconfiguringAnOpenLogKeepsItWorking() {
        PartitionLog log = openOrders();
        log.append(batch(T0, "a"));

        factory.reconfigure(ORDERS, config());
        log.append(batch(T0, "b"));

        assertThat(values(readAll(log, 0))).containsExactly("a", "b");
    }
}
