package io.memorystreamer.storage.log.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The offset and time index files: appends, lookups, sealing, reloading and truncation. */
class MappedIndexTest {

    private static final long BASE = 1_000;

    @TempDir
    Path dir;

    private OffsetIndex offsetIndexWith(long... offsetsAndPositions) throws IOException {
        OffsetIndex index = new OffsetIndex(dir.resolve("x.index"), BASE);
        index.openWritable(4096, 0);
        for (int i = 0; i < offsetsAndPositions.length; i += 2) {
            index.append(offsetsAndPositions[i], (int) offsetsAndPositions[i + 1]);
        }
        return index;
    }

    @Test
    void offsetLookupReturnsThePositionOfTheLastEntryAtOrBelow() throws IOException {
        try (OffsetIndex index = offsetIndexWith(1_010, 400, 1_020, 900, 1_030, 1_500)) {
            assertThat(index.floorPosition(999)).isZero();
            assertThat(index.floorPosition(1_009)).isZero();
            assertThat(index.floorPosition(1_010)).isEqualTo(400);
            assertThat(index.floorPosition(1_025)).isEqualTo(900);
            assertThat(index.floorPosition(5_000)).isEqualTo(1_500);
        }
    }

    @Test
    void aSealedIndexIsTrimmedToBigEndianEntriesAndReadsTheSameAfterReload() throws IOException {
        // Given
        OffsetIndex index = offsetIndexWith(1_010, 400, 1_020, 900);
        // When
        index.seal();
        index.close();
        // Then
        byte[] bytes = Files.readAllBytes(dir.resolve("x.index"));
        assertThat(bytes).containsExactly(0, 0, 0, 10, 0, 0, 1, (byte) 0x90, 0, 0, 0, 20, 0, 0, 3, (byte) 0x84);
        try (OffsetIndex reloaded = new OffsetIndex(dir.resolve("x.index"), BASE)) {
            reloaded.openReadOnly();
            assertThat(reloaded.entries()).isEqualTo(2);
            assertThat(reloaded.floorPosition(1_021)).isEqualTo(900);
            assertThat(reloaded.isConsistentWith(1_000, 1_030)).isTrue();
            assertThat(reloaded.isConsistentWith(900, 1_030)).isFalse();
        }
    }

    @Test
    void aDiscardedIndexIsUnmappedWithoutTrimmingItsFile() throws IOException {
        // Given a writable index with two entries in a preallocated file
        OffsetIndex index = offsetIndexWith(1_010, 400, 1_020, 900);
        long preallocated = Files.size(dir.resolve("x.index"));

        // When it is discarded, as for a log about to be deleted
        index.discard();
        index.close();

        // Then the file was left as it was (not trimmed, so not rewritten), and lookups are refused
        assertThat(preallocated).isGreaterThan(16);
        assertThat(Files.size(dir.resolve("x.index"))).isEqualTo(preallocated);
        assertThatThrownBy(() -> index.floorPosition(1_020)).isInstanceOf(IllegalStateException.class);
    }

    @Test
    void aFullIndexSkipsFurtherEntries() throws IOException {
        try (OffsetIndex index = new OffsetIndex(dir.resolve("x.index"), BASE)) {
            index.openWritable(4096, 0);
            for (int i = 1; i <= 600; i++) {
                index.append(BASE + i, i * 10);
            }
            assertThat(index.entries()).isEqualTo(512);
            assertThat(index.isFull()).isTrue();
            assertThat(index.floorPosition(BASE + 600)).isEqualTo(5_120);
        }
    }

    @Test
    void truncateFromDropsEntriesAtOrAfterTheOffset() throws IOException {
        try (OffsetIndex index = offsetIndexWith(1_010, 400, 1_020, 900, 1_030, 1_500)) {
            index.truncateFrom(1_020);

            assertThat(index.entries()).isEqualTo(1);
            assertThat(index.floorPosition(1_030)).isEqualTo(400);
        }
    }

    @Test
    void timeLookupReturnsTheLastEntryOlderThanTheTarget() throws IOException {
        try (TimeIndex index = new TimeIndex(dir.resolve("x.timeindex"), BASE)) {
            index.openWritable(4096, 0);
            index.maybeAppend(100, 1_004, false);
            index.maybeAppend(100, 1_006, false); // not larger: skipped
            index.maybeAppend(200, 1_009, false);

            assertThat(index.entries()).isEqualTo(2);
            assertThat(index.offsetBefore(100)).isEqualTo(-1);
            assertThat(index.offsetBefore(101)).isEqualTo(1_004);
            assertThat(index.offsetBefore(201)).isEqualTo(1_009);
        }
    }

    @Test
    void theLastTimeIndexSlotIsKeptForTheSealingEntry() throws IOException {
        try (TimeIndex index = new TimeIndex(dir.resolve("x.timeindex"), BASE)) {
            index.openWritable(4096, 0);
            for (int i = 1; i <= 400; i++) {
                index.maybeAppend(i, BASE + i, false);
            }
            assertThat(index.entries()).isEqualTo(340);
            assertThat(index.isFull()).isTrue();

            index.maybeAppend(1_000, BASE + 500, true);

            assertThat(index.entries()).isEqualTo(341);
            assertThat(index.lastTimestamp()).isEqualTo(1_000);
        }
    }
}
