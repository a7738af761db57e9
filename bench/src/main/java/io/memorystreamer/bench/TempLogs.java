package io.memorystreamer.bench;

import io.memorystreamer.storage.log.internal.LogManager;
import io.memorystreamer.storage.log.internal.StorageSettings;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.InstantSource;
import java.util.Comparator;
import java.util.Map;
import java.util.stream.Stream;

/** A {@link LogManager} on a fresh temporary log directory, as the storage bundle runs it. */
final class TempLogs implements AutoCloseable {

    private final Path dir;
    private final LogManager manager;

    TempLogs() {
        try {
            dir = Files.createTempDirectory("msbench-log-");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        manager = new LogManager(StorageSettings.from(Map.of(StorageSettings.LOG_DIRS, dir.toString())),
                InstantSource.system());
    }

    LogManager manager() {
        return manager;
    }

    @Override
    public void close() {
        manager.close();
        deleteTree(dir);
    }

    static void deleteTree(Path root) {
        try (Stream<Path> paths = Files.walk(root)) {
            for (Path path : paths.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(path);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
