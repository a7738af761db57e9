package io.memorystreamer.storage.log.internal;

import io.memorystreamer.spi.storage.LogConfig;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.List;
import java.util.OptionalLong;
import java.util.function.BooleanSupplier;
import org.apache.kafka.common.record.internal.MemoryRecords;
import org.apache.kafka.common.record.internal.RecordBatch;
import org.apache.kafka.common.utils.internals.BufferSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One compaction pass over one log, as Kafka's cleaner does it:
 * <ol>
 *   <li>plan the dirty section ({@link CleaningPlan}) and scan the closed segments' headers for
 *       transactions and producers ({@link BatchHistory}); stop before an open transaction;</li>
 *   <li>map every key of the dirty section to its latest offset ({@link OffsetMap}, bounded:
 *       when it fills, the pass covers the batches mapped so far and the rest waits);</li>
 *   <li>rewrite the closed segments below the mapped end, in groups that fit
 *       {@code segment.bytes}, keeping what {@link CompactionFilter} keeps, each group into one
 *       {@code .cleaned} segment, then swap them all in ({@link SegmentedLog#replaceSegments});</li>
 *   <li>record the mapped end and the next delete horizon in the log's checkpoint.</li>
 * </ol>
 * The active segment and records at or above the high watermark are never touched; offsets never
 * change. Appends and reads go on meanwhile; the log's lock is taken only to snapshot it and for
 * each swap. One compactor serves one cleaner thread (it owns the I/O buffers); not thread-safe.
 */
final class Compactor {

    /** What a pass did. */
    enum Outcome {
        /** The log was compacted and its checkpoint advanced. */
        CLEANED,
        /** Nothing was due or possible; try this log again after the back-off. */
        NOTHING_TO_DO,
        /** The log changed under the pass (closed, truncated, segments removed); its work was dropped. */
        ABORTED
    }

    /** Thrown inside a pass when the log closed or the cleaner is stopping. */
    static final class Aborted extends RuntimeException {
        Aborted(String reason) {
            super(reason, null, false, false);
        }
    }

    private static final Logger LOG = LoggerFactory.getLogger(Compactor.class);

    private final CleanerSettings settings;
    private final InstantSource clock;
    private final BooleanSupplier stopping;
    private final ChunkReader reader;
    private final BufferSupplier decompression = BufferSupplier.create();
    private ByteBuffer writeBuffer;

    Compactor(CleanerSettings settings, InstantSource clock, BooleanSupplier stopping) {
        this.settings = settings;
        this.clock = clock;
        this.stopping = stopping;
        this.reader = new ChunkReader(settings.ioBytesPerThread());
        this.writeBuffer = ByteBuffer.allocate(settings.ioBytesPerThread());
    }

    /** Whether {@code log} is due for a pass now. */
    static CleaningPlan plan(SegmentedLog log, long nowMs) throws IOException {
        return CleaningPlan.of(log.cleaningSnapshot(), nowMs);
    }

    /** Runs one pass over {@code log} if one is due. */
    Outcome compact(SegmentedLog log) throws IOException {
        long startMs = clock.millis();
        CleaningSnapshot snapshot = log.cleaningSnapshot();
        LogConfig config = snapshot.config();
        CleaningPlan plan = CleaningPlan.of(snapshot, startMs);
        if (!config.cleanup().compact() || !plan.isDue(config.cleanup())) {
            return Outcome.NOTHING_TO_DO;
        }
        Runnable abortCheck = () -> checkNotAborted(log);
        try {
            BatchHistory history = BatchHistory.scan(snapshot, startMs - settings.producerIdExpirationMs(), abortCheck);
            long firstDirty = plan.firstDirtyOffset();
            long cleanEnd = Math.min(plan.firstUncleanableOffset(),
                    baseOfSegmentHolding(snapshot, history.firstUnstableOffset()));
            long mappedEnd;
            OffsetMap map;
            if (cleanEnd > firstDirty) {
                map = new OffsetMap(cleanEnd - firstDirty, settings.dedupeBytesPerThread(), settings.loadFactor());
                mappedEnd = new DirtySectionMapper(reader, decompression, abortCheck).map(snapshot, firstDirty, cleanEnd,
                        map, TransactionTracker.from(history.abortedTransactions(), firstDirty));
                if (mappedEnd <= firstDirty) {
                    LOG.warn("Log cleaner cannot map one batch of a partition log; raise {}: partition={} offset={}",
                            CleanerSettings.DEDUPE_BUFFER_SIZE, log.partition(), firstDirty);
                    return Outcome.NOTHING_TO_DO;
                }
            } else if (plan.horizonDue() && cleanEnd == firstDirty) {
                // Only tombstones or markers past their delete horizon to remove: nothing new to map.
                map = new OffsetMap(0, OffsetMap.BYTES_PER_SLOT * 16L, settings.loadFactor());
                mappedEnd = firstDirty;
            } else {
                // Nothing dirty, or an open transaction sits before the first dirty offset: wait.
                return Outcome.NOTHING_TO_DO;
            }
            CompactionFilter filter = new CompactionFilter(startMs, config.cleanup().deleteRetentionMs(), map, mappedEnd,
                    new TransactionTracker(history.abortedTransactions()), history.lastBatchOfProducer());
            PassStats stats = new PassStats(startMs);
            if (!rewrite(log, snapshot, mappedEnd, filter, stats, abortCheck)) {
                LOG.info("Compaction pass dropped, the partition log changed meanwhile: partition={}", log.partition());
                return Outcome.ABORTED;
            }
            log.completeCleaning(mappedEnd, stats.nextDeleteHorizonMs, snapshot);
            LOG.info("Compacted partition log: partition={} cleanedUpTo={} dirtyRatio={} segments={}->{} "
                            + "records={}->{} bytes={}->{} durationMs={}",
                    log.partition(), mappedEnd, String.format("%.2f", plan.dirtyRatio()),
                    stats.segmentsBefore, stats.segmentsAfter, stats.recordsRead, stats.recordsRetained,
                    stats.bytesRead, stats.bytesRetained, clock.millis() - startMs);
            return Outcome.CLEANED;
        } catch (Aborted e) {
            LOG.debug("Compaction pass stopped: partition={} reason={}", log.partition(), e.getMessage());
            return Outcome.ABORTED;
        }
    }

    /**
     * Rewrites the closed segments below {@code mappedEnd}, oldest first, then swaps all the
     * compacted segments in at once. Consecutive segments share one compacted segment while their
     * compacted bytes fit {@code segment.bytes} and their offsets fit the indexes: when a
     * segment's compacted bytes overflow the current one, they move to a new compacted segment
     * named after that segment (so every compacted segment starts where an old one did).
     *
     * @return false when the swap was refused because the log changed
     */
    private boolean rewrite(SegmentedLog log, CleaningSnapshot snapshot, long mappedEnd, CompactionFilter filter,
            PassStats stats, Runnable abortCheck) throws IOException {
        LogConfig config = snapshot.config();
        List<LogSegment> closed = snapshot.closedSegments();
        List<SegmentSwap.Replacement> done = new ArrayList<>();
        List<LogSegment> group = new ArrayList<>();
        LogSegment cleaned = null;
        LogSegment overflow = null;
        long lastModified = 0;
        try {
            for (int i = 0; i < closed.size() && closed.get(i).baseOffset() < mappedEnd; i++) {
                LogSegment segment = closed.get(i);
                if (cleaned != null && snapshot.endOf(i) - cleaned.baseOffset() > Integer.MAX_VALUE) {
                    lastModified = complete(cleaned, group, config, lastModified, done);
                    cleaned = null;
                    group = new ArrayList<>();
                }
                if (cleaned == null) {
                    cleaned = LogSegment.createCleaned(log.directory(), segment.baseOffset());
                }
                int before = cleaned.size();
                copyRetained(segment, cleaned, filter, stats, abortCheck);
                long modified = Files.getLastModifiedTime(segment.logFile()).toMillis();
                if (before > 0 && cleaned.size() > config.segmentBytes()) {
                    overflow = LogSegment.createCleaned(log.directory(), segment.baseOffset());
                    cleaned.moveCleanedTail(before, overflow);
                    complete(cleaned, group, config, lastModified, done);
                    cleaned = overflow;
                    overflow = null;
                    group = new ArrayList<>();
                    lastModified = 0;
                }
                group.add(segment);
                lastModified = Math.max(lastModified, modified);
            }
            if (cleaned != null) {
                complete(cleaned, group, config, lastModified, done);
                cleaned = null;
            }
        } catch (IOException | RuntimeException e) {
            for (LogSegment unused : new LogSegment[] {cleaned, overflow}) {
                if (unused != null && done.stream().noneMatch(r -> r.cleaned() == unused)) {
                    deleteQuietly(unused);
                }
            }
            done.forEach(replacement -> deleteQuietly(replacement.cleaned()));
            throw e;
        }
        return swap(log, done, snapshot, stats);
    }

    /** Seals a compacted segment and records what it replaces; returns 0, the next group's modification time. */
    private static long complete(LogSegment cleaned, List<LogSegment> group, LogConfig config, long lastModified,
            List<SegmentSwap.Replacement> done) throws IOException {
        cleaned.completeCleaned(config, lastModified);
        done.add(new SegmentSwap.Replacement(group, cleaned));
        return 0;
    }

    private void copyRetained(LogSegment segment, LogSegment cleaned, CompactionFilter filter, PassStats stats,
            Runnable abortCheck) throws IOException {
        long position = 0;
        int limit = segment.size();
        while (position < limit) {
            abortCheck.run();
            ByteBuffer chunk = reader.read(segment.channel(), position, limit);
            position += chunk.remaining();
            filterInto(chunk, filter, cleaned, stats);
        }
    }

    private void filterInto(ByteBuffer chunk, CompactionFilter filter, LogSegment cleaned, PassStats stats)
            throws IOException {
        int consumed = 0;
        while (consumed < chunk.limit()) {
            ByteBuffer input = chunk.slice(consumed, chunk.limit() - consumed);
            MemoryRecords.FilterResult result = MemoryRecords.readableRecords(input)
                    .filterTo(filter, writeBuffer.clear(), decompression, Integer.MAX_VALUE);
            ByteBuffer output = result.outputBuffer();
            if (output.capacity() > writeBuffer.capacity()) {
                // filterTo grew the buffer for a batch that did not fit: keep the larger one.
                writeBuffer = output;
            }
            output.flip();
            if (output.hasRemaining()) {
                stats.noteHorizons(output);
                cleaned.appendCleaned(output);
            }
            if (result.bytesRead() == 0) {
                throw new IOException("compaction made no progress in a chunk of " + input.remaining() + " bytes");
            }
            consumed += result.bytesRead();
            stats.recordsRead += result.messagesRead();
            stats.recordsRetained += result.messagesRetained();
            stats.bytesRead += result.bytesRead();
            stats.bytesRetained += output.remaining();
        }
    }

    /** Swaps the compacted segments in; false when the log changed meanwhile. */
    private static boolean swap(SegmentedLog log, List<SegmentSwap.Replacement> replacements,
            CleaningSnapshot snapshot, PassStats stats) throws IOException {
        if (replacements.isEmpty()) {
            return true;
        }
        boolean swapped;
        try {
            swapped = log.replaceSegments(replacements, snapshot);
        } catch (IOException | RuntimeException e) {
            // The files may be half renamed: leave them to recovery when the log is next opened.
            replacements.forEach(replacement -> closeQuietly(replacement.cleaned()));
            throw e;
        }
        if (!swapped) {
            replacements.forEach(replacement -> deleteQuietly(replacement.cleaned()));
            return false;
        }
        // Persist the last renames; were they lost, recovery would complete the swaps again.
        Directories.force(log.directory());
        for (SegmentSwap.Replacement replacement : replacements) {
            stats.segmentsBefore += replacement.replaced().size();
            stats.segmentsAfter++;
        }
        return true;
    }

    private void checkNotAborted(SegmentedLog log) {
        if (log.isClosed()) {
            throw new Aborted("the log was closed");
        }
        if (stopping.getAsBoolean()) {
            throw new Aborted("the cleaner is stopping");
        }
    }

    /** The base offset of the closed segment holding {@code offset}; {@link Long#MAX_VALUE} for none. */
    private static long baseOfSegmentHolding(CleaningSnapshot snapshot, long offset) {
        if (offset == Long.MAX_VALUE) {
            return Long.MAX_VALUE;
        }
        long base = Long.MAX_VALUE;
        for (LogSegment segment : snapshot.closedSegments()) {
            if (segment.baseOffset() > offset) {
                break;
            }
            base = segment.baseOffset();
        }
        return base;
    }

    private static void deleteQuietly(LogSegment cleaned) {
        try {
            cleaned.closeAndDelete();
        } catch (IOException e) {
            LOG.warn("Could not delete an unused compacted segment: file={} error={}", cleaned.logFile(), e.toString());
        }
    }

    private static void closeQuietly(LogSegment cleaned) {
        try {
            cleaned.close();
        } catch (IOException suppressed) {
            // Already failing.
        }
    }

    /** Counters of one pass, and the earliest delete horizon still ahead among the batches written. */
    private static final class PassStats {
        final long nowMs;
        int segmentsBefore;
        int segmentsAfter;
        long recordsRead;
        long recordsRetained;
        long bytesRead;
        long bytesRetained;
        long nextDeleteHorizonMs = -1;

        PassStats(long nowMs) {
            this.nowMs = nowMs;
        }

        void noteHorizons(ByteBuffer batches) {
            for (RecordBatch batch : MemoryRecords.readableRecords(batches.duplicate()).batches()) {
                OptionalLong horizon = batch.deleteHorizonMs();
                if (horizon.isPresent() && horizon.getAsLong() > nowMs
                        && (nextDeleteHorizonMs < 0 || horizon.getAsLong() < nextDeleteHorizonMs)) {
                    nextDeleteHorizonMs = horizon.getAsLong();
                }
            }
        }
    }
}
