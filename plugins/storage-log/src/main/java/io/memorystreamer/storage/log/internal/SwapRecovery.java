package io.memorystreamer.storage.log.internal;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.SortedSet;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Finishes a compaction swap that a crash interrupted, when a log is opened.
 *
 * <p>A compacted segment is written as {@code <base>.log.cleaned}, forced, and renamed
 * {@code <base>.log.swap} (directory forced) before any segment it replaces is touched; so a
 * {@code .cleaned} file is incomplete and discarded, while a {@code .swap} file is complete and
 * replaces every segment whose base offset lies in {@code [base, end of the swap file)}, and the
 * segment named {@code base} itself. A segment of the replaced group above the end of the swap
 * file (its records were all compacted away) may survive the crash: it holds only older versions
 * of keys whose newer records come after it, so the log stays correct and the next pass removes
 * them. The swapped-in segment's indexes are rebuilt.
 */
final class SwapRecovery {

    private static final Logger LOG = LoggerFactory.getLogger(SwapRecovery.class);

    private SwapRecovery() {
    }

    /**
     * Completes the swaps whose {@code .log.swap} files were found.
     *
     * @param logs base offsets of the {@code .log} files; updated to the segments after the swaps
     * @param swaps base offsets of the {@code .log.swap} files
     */
    static void complete(String partition, Path dir, SortedSet<Long> logs, SortedSet<Long> swaps) throws IOException {
        for (long base : swaps) {
            Path swap = swapFile(dir, base);
            long end = Math.max(base + 1, endOffset(swap, base));
            List<Long> replaced = new ArrayList<>(logs.subSet(base, end));
            for (long old : replaced) {
                Files.deleteIfExists(FileNames.logFile(dir, old));
                Files.deleteIfExists(FileNames.indexFile(dir, old));
                Files.deleteIfExists(FileNames.timeIndexFile(dir, old));
                logs.remove(old);
            }
            Files.deleteIfExists(FileNames.indexFile(dir, base));
            Files.deleteIfExists(FileNames.timeIndexFile(dir, base));
            Files.move(swap, FileNames.logFile(dir, base), StandardCopyOption.REPLACE_EXISTING);
            logs.add(base);
            LOG.info("Completed an interrupted compaction swap: partition={} segment={} replacedSegments={}",
                    partition, FileNames.baseName(base), replaced.size());
        }
        if (!swaps.isEmpty()) {
            Directories.force(dir);
        }
    }

    static Path swapFile(Path dir, long base) {
        return dir.resolve(FileNames.baseName(base) + FileNames.LOG + FileNames.SWAP);
    }

    /** The offset after the last whole batch of a swap file; its base offset when it has none. */
    private static long endOffset(Path swap, long base) throws IOException {
        try (FileChannel channel = FileChannel.open(swap, StandardOpenOption.READ)) {
            long size = channel.size();
            BatchScanner scanner = new BatchScanner(64 * 1024).on(channel);
            long pos = 0;
            long end = base;
            while (scanner.load(pos, size) && scanner.problem(size - pos) == null) {
                end = scanner.lastOffset() + 1;
                pos += scanner.batchSize();
            }
            return end;
        }
    }
}
