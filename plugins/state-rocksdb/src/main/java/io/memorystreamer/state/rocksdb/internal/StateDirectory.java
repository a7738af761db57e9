package io.memorystreamer.state.rocksdb.internal;

import java.nio.file.Path;
import java.util.Map;

/**
 * Where the state store keeps its files: {@code state.dir} when set, otherwise {@code .state}
 * inside the first of Kafka's {@code log.dirs} (or {@code log.dir}).
 */
public final class StateDirectory {

    public static final String STATE_DIR = "state.dir";
    public static final String LOG_DIRS = "log.dirs";
    public static final String LOG_DIR = "log.dir";
    static final String DEFAULT_SUBDIRECTORY = ".state";

    private StateDirectory() {}

    /**
     * Resolves the directory from the broker configuration.
     *
     * @throws IllegalArgumentException when neither {@code state.dir} nor a log directory is set
     */
    public static Path resolve(Map<String, ?> config) {
        String stateDir = setting(config, STATE_DIR);
        if (stateDir != null) {
            return Path.of(stateDir);
        }
        String logDirs = setting(config, LOG_DIRS);
        if (logDirs == null) {
            logDirs = setting(config, LOG_DIR);
        }
        if (logDirs == null) {
            throw new IllegalArgumentException(
                    "No state directory: set " + STATE_DIR + ", " + LOG_DIRS + " or " + LOG_DIR);
        }
        String first = logDirs.split(",", -1)[0].trim();
        if (first.isEmpty()) {
            throw new IllegalArgumentException("Invalid " + LOG_DIRS + " '" + logDirs
                    + "': its first entry is empty; set " + STATE_DIR + " or fix the list");
        }
        return Path.of(first, DEFAULT_SUBDIRECTORY);
    }

    private static String setting(Map<String, ?> config, String key) {
        Object value = config.get(key);
        if (value == null) {
            return null;
        }
        String text = value.toString().trim();
        return text.isEmpty() ? null : text;
    }
}
