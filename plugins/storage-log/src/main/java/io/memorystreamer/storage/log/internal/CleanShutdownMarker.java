package io.memorystreamer.storage.log.internal;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The file a log writes in its directory when it closed cleanly (everything flushed, indexes
 * trimmed). Its presence lets the next open skip recovery; opening removes it first, so a crash
 * while the log is open always leads to recovery.
 */
final class CleanShutdownMarker {

    static final String FILE_NAME = "clean-shutdown";

    private CleanShutdownMarker() {
    }

    static boolean exists(Path dir) {
        return Files.exists(dir.resolve(FILE_NAME));
    }

    static void write(Path dir) throws IOException {
        Files.write(dir.resolve(FILE_NAME), new byte[0]);
        Directories.force(dir);
    }

    /** Removes the marker durably, before the log accepts appends. */
    static void remove(Path dir) throws IOException {
        if (Files.deleteIfExists(dir.resolve(FILE_NAME))) {
            Directories.force(dir);
        }
    }
}
