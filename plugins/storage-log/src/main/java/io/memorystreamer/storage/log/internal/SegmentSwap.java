package io.memorystreamer.storage.log.internal;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * The file side of replacing segments with their compacted copies, ordered so that a crash at any
 * point leaves, for each replacement, either the old segments or the new one once the log is
 * reopened ({@link SwapRecovery}):
 * <ol>
 *   <li>the compacted segments, complete and forced, are renamed from {@code .cleaned} to
 *       {@code .swap} and the directory forced: from now on recovery completes the swaps;</li>
 *   <li>the replaced segments are renamed {@code .deleted} (their open channels keep serving
 *       reads until the delayed deletion) and the directory forced;</li>
 *   <li>the {@code .swap} files take their final names.</li>
 * </ol>
 * The caller holds the log's lock and forces the directory once more afterwards (a lost last
 * rename only means recovery completes the swap again).
 */
final class SegmentSwap {

    /**
     * One compacted segment and the consecutive segments it replaces.
     *
     * @param replaced the old segments, the first with the compacted segment's base offset
     * @param cleaned the compacted segment, written under {@code .cleaned} names
     */
    record Replacement(List<LogSegment> replaced, LogSegment cleaned) {
        Replacement {
            replaced = List.copyOf(replaced);
        }
    }

    private SegmentSwap() {
    }

    /** Whether every replaced segment is still in the log's map (retention may have removed some). */
    static boolean allPresent(Map<Long, LogSegment> segments, List<Replacement> replacements) {
        for (Replacement replacement : replacements) {
            for (LogSegment segment : replacement.replaced()) {
                if (segments.get(segment.baseOffset()) != segment) {
                    return false;
                }
            }
        }
        return true;
    }

    /** Puts the compacted segments in the map in place of the segments they replace. */
    static void replaceInMap(Map<Long, LogSegment> segments, List<Replacement> replacements) {
        for (Replacement replacement : replacements) {
            LogSegment cleaned = replacement.cleaned();
            segments.put(cleaned.baseOffset(), cleaned);
            for (LogSegment segment : replacement.replaced()) {
                if (segment.baseOffset() != cleaned.baseOffset()) {
                    segments.remove(segment.baseOffset());
                }
            }
        }
    }

    static void commitFiles(Path dir, List<Replacement> replacements) throws IOException {
        for (Replacement replacement : replacements) {
            replacement.cleaned().renameFiles(FileNames.CLEANED, FileNames.SWAP);
        }
        Directories.force(dir);
        for (Replacement replacement : replacements) {
            for (LogSegment segment : replacement.replaced()) {
                segment.markDeleted();
            }
        }
        Directories.force(dir);
        for (Replacement replacement : replacements) {
            replacement.cleaned().renameFiles(FileNames.SWAP, "");
        }
    }
}
