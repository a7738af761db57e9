package io.memorystreamer.storage.log.internal;

import static java.nio.charset.StandardCharsets.UTF_8;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The offsets of a partition log kept outside its segments, in {@code log-state.checkpoint}:
 *
 * <pre>
 * 2
 * log-start-offset 0
 * high-watermark 42
 * recovery-point 40
 * cleaner-offset 30
 * cleaner-delete-horizon 1700000000000
 * </pre>
 *
 * The first line is the format version. Version 1 has the first three keys only; version 2 adds
 * the log cleaner's state and is written once a log has been compacted (a log that never was is
 * still written as version 1, so older releases keep reading it). The file is replaced atomically
 * (write a temporary file, force it, rename, force the directory), so a crash leaves the old or
 * the new version.
 *
 * @param logStartOffset the first offset still in the log
 * @param highWatermark the last persisted high watermark
 * @param recoveryPoint every batch below this offset was on stable storage when written
 * @param cleanerOffset compaction has deduplicated every record below this offset; -1 when the log
 *     was never compacted
 * @param cleanerDeleteHorizonMs the earliest time at which a compaction pass can remove a retained
 *     tombstone or transaction marker; -1 when none waits
 */
record PartitionCheckpoint(long logStartOffset, long highWatermark, long recoveryPoint, long cleanerOffset,
        long cleanerDeleteHorizonMs) {

    static final String FILE_NAME = "log-state.checkpoint";
    static final int VERSION = 2;
    static final int VERSION_WITHOUT_CLEANER = 1;

    private static final String LOG_START_OFFSET = "log-start-offset";
    private static final String HIGH_WATERMARK = "high-watermark";
    private static final String RECOVERY_POINT = "recovery-point";
    private static final String CLEANER_OFFSET = "cleaner-offset";
    private static final String CLEANER_DELETE_HORIZON = "cleaner-delete-horizon";

    /** The offsets of a log that was never compacted. */
    PartitionCheckpoint(long logStartOffset, long highWatermark, long recoveryPoint) {
        this(logStartOffset, highWatermark, recoveryPoint, -1, -1);
    }

    /**
     * Reads the checkpoint of a partition directory.
     *
     * @return empty when there is none
     * @throws IOException when it exists but cannot be read or parsed
     */
    static Optional<PartitionCheckpoint> read(Path dir) throws IOException {
        List<String> lines;
        try {
            lines = Files.readAllLines(dir.resolve(FILE_NAME), UTF_8);
        } catch (NoSuchFileException e) {
            return Optional.empty();
        }
        String version = lines.isEmpty() ? "" : lines.getFirst().trim();
        boolean withCleaner = version.equals(Integer.toString(VERSION));
        if (!withCleaner && !version.equals(Integer.toString(VERSION_WITHOUT_CLEANER))) {
            throw new IOException(dir.resolve(FILE_NAME) + ": unsupported version line '"
                    + (lines.isEmpty() ? "" : lines.getFirst()) + "', expected " + VERSION_WITHOUT_CLEANER
                    + " or " + VERSION);
        }
        Map<String, Long> values = new HashMap<>();
        for (String line : lines.subList(1, lines.size())) {
            if (line.isBlank()) {
                continue;
            }
            String[] parts = line.trim().split(" ");
            if (parts.length != 2) {
                throw new IOException(dir.resolve(FILE_NAME) + ": malformed line '" + line + "'");
            }
            try {
                values.put(parts[0], Long.parseLong(parts[1]));
            } catch (NumberFormatException e) {
                throw new IOException(dir.resolve(FILE_NAME) + ": malformed number in '" + line + "'", e);
            }
        }
        List<String> required = withCleaner
                ? List.of(LOG_START_OFFSET, HIGH_WATERMARK, RECOVERY_POINT, CLEANER_OFFSET, CLEANER_DELETE_HORIZON)
                : List.of(LOG_START_OFFSET, HIGH_WATERMARK, RECOVERY_POINT);
        if (!values.keySet().containsAll(required)) {
            throw new IOException(dir.resolve(FILE_NAME) + ": missing keys, found " + values.keySet());
        }
        return Optional.of(new PartitionCheckpoint(values.get(LOG_START_OFFSET), values.get(HIGH_WATERMARK),
                values.get(RECOVERY_POINT), values.getOrDefault(CLEANER_OFFSET, -1L),
                values.getOrDefault(CLEANER_DELETE_HORIZON, -1L)));
    }

    /** Atomically replaces the checkpoint of a partition directory. */
    void write(Path dir) throws IOException {
        boolean withCleaner = cleanerOffset >= 0;
        String text = (withCleaner ? VERSION : VERSION_WITHOUT_CLEANER) + "\n"
                + LOG_START_OFFSET + " " + logStartOffset + "\n"
                + HIGH_WATERMARK + " " + highWatermark + "\n"
                + RECOVERY_POINT + " " + recoveryPoint + "\n";
        if (withCleaner) {
            text += CLEANER_OFFSET + " " + cleanerOffset + "\n"
                    + CLEANER_DELETE_HORIZON + " " + cleanerDeleteHorizonMs + "\n";
        }
        Path target = dir.resolve(FILE_NAME);
        Path temporary = dir.resolve(FILE_NAME + FileNames.TEMPORARY);
        try (FileChannel channel = FileChannel.open(temporary, StandardOpenOption.CREATE,
                StandardOpenOption.TRUNCATE_EXISTING, StandardOpenOption.WRITE)) {
            ByteBuffer bytes = ByteBuffer.wrap(text.getBytes(UTF_8));
            while (bytes.hasRemaining()) {
                channel.write(bytes);
            }
            channel.force(true);
        }
        Files.move(temporary, target, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        Directories.force(dir);
    }
}
