package io.memorystreamer.storage.log.internal;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PartitionCheckpointTest {

    @TempDir
    Path dir;

    @Test
    void writesAVersionedTextFileThatReadsBack() throws IOException {
        new PartitionCheckpoint(3, 42, 40).write(dir);

        assertThat(Files.readString(dir.resolve(PartitionCheckpoint.FILE_NAME), UTF_8))
                .isEqualTo("1\nlog-start-offset 3\nhigh-watermark 42\nrecovery-point 40\n");
        assertThat(PartitionCheckpoint.read(dir)).contains(new PartitionCheckpoint(3, 42, 40));
        assertThat(TestLogs.fileNames(dir)).containsExactly(PartitionCheckpoint.FILE_NAME);
    }

    @Test
    void aCompactedLogWritesVersionTwoWithTheCleanerState() throws IOException {
        new PartitionCheckpoint(3, 42, 40, 30, 1_700_000_000_000L).write(dir);

        assertThat(Files.readString(dir.resolve(PartitionCheckpoint.FILE_NAME), UTF_8))
                .isEqualTo("2\nlog-start-offset 3\nhigh-watermark 42\nrecovery-point 40\ncleaner-offset 30\n"
                        + "cleaner-delete-horizon 1700000000000\n");
        assertThat(PartitionCheckpoint.read(dir)).contains(new PartitionCheckpoint(3, 42, 40, 30, 1_700_000_000_000L));
    }

    @Test
    void versionOneReadsAsNeverCompacted() throws IOException {
        Files.writeString(dir.resolve(PartitionCheckpoint.FILE_NAME),
                "1\nlog-start-offset 3\nhigh-watermark 42\nrecovery-point 40\n");

        assertThat(PartitionCheckpoint.read(dir)).contains(new PartitionCheckpoint(3, 42, 40, -1, -1));
    }

    @Test
    void versionTwoWithoutTheCleanerStateIsRejected() throws IOException {
        Files.writeString(dir.resolve(PartitionCheckpoint.FILE_NAME),
                "2\nlog-start-offset 3\nhigh-watermark 42\nrecovery-point 40\n");

        assertThatThrownBy(() -> PartitionCheckpoint.read(dir)).isInstanceOf(IOException.class)
                .hasMessageContaining("missing keys");
    }

    @Test
    void aMissingCheckpointIsEmpty() throws IOException {
        assertThat(PartitionCheckpoint.read(dir)).isEmpty();
    }

    @Test
    void anUnknownVersionIsRejected() throws IOException {
        Files.writeString(dir.resolve(PartitionCheckpoint.FILE_NAME), "3\nlog-start-offset 0\n");

        assertThatThrownBy(() -> PartitionCheckpoint.read(dir)).isInstanceOf(IOException.class)
                .hasMessageContaining("version");
    }

    @Test
    void aTruncatedCheckpointIsRejected() throws IOException {
        Files.writeString(dir.resolve(PartitionCheckpoint.FILE_NAME), "1\nlog-start-offset 0\nhigh-water");

        assertThatThrownBy(() -> PartitionCheckpoint.read(dir)).isInstanceOf(IOException.class);
    }
}
