package io.memorystreamer.storage.log.internal;

import java.nio.file.Path;

/** Names of a partition directory's files, as Kafka names them. */
final class FileNames {

    static final String LOG = ".log";
    static final String INDEX = ".index";
    static final String TIME_INDEX = ".timeindex";
    /** Suffix of a segment file waiting for its delayed deletion. */
    static final String DELETED = ".deleted";
    /** Suffix of a file being written before it atomically replaces another. */
    static final String TEMPORARY = ".tmp";
    /** Suffix of a compacted segment's files while compaction writes them (a leftover is discarded). */
    static final String CLEANED = ".cleaned";
    /**
     * Suffix of a complete compacted segment about to replace the segments it was made from (a
     * leftover is completed when the log is opened).
     */
    static final String SWAP = ".swap";

    private static final int OFFSET_DIGITS = 20;

    private FileNames() {
    }

    /** The 20-digit, zero-padded base offset that names a segment's files. */
    static String baseName(long baseOffset) {
        String digits = Long.toString(baseOffset);
        return "0".repeat(Math.max(0, OFFSET_DIGITS - digits.length())) + digits;
    }

    static Path logFile(Path dir, long baseOffset) {
        return dir.resolve(baseName(baseOffset) + LOG);
    }

    static Path indexFile(Path dir, long baseOffset) {
        return dir.resolve(baseName(baseOffset) + INDEX);
    }

    static Path timeIndexFile(Path dir, long baseOffset) {
        return dir.resolve(baseName(baseOffset) + TIME_INDEX);
    }

    /** The base offset a segment file name carries, or -1 when the name is not {@code <20 digits><suffix>}. */
    static long baseOffsetOf(String fileName, String suffix) {
        if (!fileName.endsWith(suffix) || fileName.length() != OFFSET_DIGITS + suffix.length()) {
            return -1;
        }
        String digits = fileName.substring(0, OFFSET_DIGITS);
        for (int i = 0; i < digits.length(); i++) {
            char c = digits.charAt(i);
            if (c < '0' || c > '9') {
                return -1;
            }
        }
        try {
            return Long.parseLong(digits);
        } catch (NumberFormatException e) {
            return -1;
        }
    }
}
