package io.memorystreamer.storage.log.internal;

import io.memorystreamer.spi.storage.LogConfig;
import io.memorystreamer.spi.storage.PartitionId;
import io.memorystreamer.spi.storage.PartitionLog;
import io.memorystreamer.spi.storage.StorageException;
import java.io.IOException;
import java.nio.file.Path;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The partition logs of one storage service: where they live, which are open, and the
 * background threads that flush, checkpoint and apply retention to them. Thread-safe.
 *
 * <p>Threads: {@code storage-log-retention} runs retention passes and the delayed deletion of
 * removed segments and of deleted partitions' files; {@code storage-log-flush} runs
 * the fsync of rolled segments, time-based flushes and high watermark checkpoints;
 * {@code storage-log-cleaner} compacts logs whose {@code cleanup.policy} contains {@code compact}
 * ({@link LogCleaner}, unless {@code log.cleaner.enable=false}). All are daemons, stopped by
 * {@link #close()}.
 */
public final class LogManager implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(LogManager.class);

    private final LogDirectories directories;
    private final InstantSource clock;
    private final ScheduledThreadPoolExecutor retentionThread;
    private final ScheduledThreadPoolExecutor flushThread;
    private final SegmentDeleter deleter;
    private final LogContext context;
    private final Map<PartitionId, SegmentedLog> open = new ConcurrentHashMap<>();
    private final List<ScheduledFuture<?>> tasks = new ArrayList<>();
    private LogCleaner cleaner; // guarded by this; null when disabled

    private volatile StorageSettings settings;
    private boolean closed; // guarded by this

    public LogManager(StorageSettings settings, InstantSource clock) {
        this.settings = settings;
        this.clock = clock;
        try {
            this.directories = new LogDirectories(settings.logDirs());
        } catch (IOException e) {
            throw new StorageException("cannot use log directories " + settings.logDirs() + ": " + e, e);
        }
        this.retentionThread = daemonScheduler("storage-log-retention");
        this.flushThread = daemonScheduler("storage-log-flush");
        this.deleter = new SegmentDeleter(retentionThread, settings.segmentDeleteDelayMs());
        this.context = new LogContext(clock, flushThread, deleter);
        schedule(settings);
        this.cleaner = startCleaner(settings.cleaner());
        LOG.info("Partition log storage started: logDirs={} retentionCheckIntervalMs={} flushCheckIntervalMs={} "
                        + "cleanerEnabled={} cleanerThreads={}",
                settings.logDirs(), settings.retentionCheckIntervalMs(), settings.flushCheckIntervalMs(),
                settings.cleaner().enabled(), settings.cleaner().threads());
    }

    /** Opens a partition's log, or returns it if it is already open. */
    public synchronized PartitionLog open(PartitionId partition, LogConfig config) {
        ensureOpen();
        SegmentedLog log = open.get(partition);
        if (log != null) {
            return log;
        }
        LogDirectories.checkTopicName(partition.topic());
        Path dir;
        try {
            var existingDir = directories.locate(partition);
            dir = existingDir.isPresent() ? existingDir.get() : directories.place(partition);
        } catch (IOException e) {
            throw new StorageException("cannot place the log of " + partition + ": " + e, e);
        }
        log = SegmentedLog.open(partition, dir, config, context, closedLog -> open.remove(partition, closedLog));
        open.put(partition, log);
        return log;
    }

    public void reconfigure(PartitionId partition, LogConfig config) {
        SegmentedLog log = open.get(partition);
        if (log != null) {
            log.reconfigure(config);
        }
    }

    public Set<PartitionId> existing() {
        try {
            return Set.copyOf(directories.existing());
        } catch (IOException e) {
            throw new StorageException("cannot list the partition logs in " + directories.roots() + ": " + e, e);
        }
    }

    /**
     * Deletes a partition's log: at once it is closed (nothing flushed) and its directory renamed
     * out of the way; its files stay open for the grace delay and are then removed.
     */
    public synchronized void delete(PartitionId partition) {
        ensureOpen();
        SegmentedLog log = open.remove(partition);
        List<LogSegment> segments = List.of();
        if (log != null) {
            segments = log.closeForDeletion();
            if (cleaner != null) {
                // A pass on the log stops at its next chunk; its files must not appear in a deleted directory.
                cleaner.awaitIdle(log);
            }
        }
        Optional<Path> retired;
        try {
            retired = directories.retire(partition);
        } catch (IOException e) {
            SegmentDeleter.discard(segments);
            throw new StorageException("cannot delete the log of " + partition + ": " + e, e);
        }
        if (retired.isPresent()) {
            deleter.schedule(retired.get(), segments);
        } else {
            SegmentDeleter.discard(segments);
        }
        LOG.info("Deleted partition log: partition={}", partition);
    }

    /** Applies changed intervals; log directories change only with a restart. */
    public synchronized void update(StorageSettings newSettings) {
        if (closed) {
            return;
        }
        if (!newSettings.logDirs().equals(settings.logDirs())) {
            LOG.warn("A change of log.dirs takes effect after a restart: current={} configured={}",
                    settings.logDirs(), newSettings.logDirs());
        }
        StorageSettings applied = new StorageSettings(settings.logDirs(), newSettings.retentionCheckIntervalMs(),
                newSettings.segmentDeleteDelayMs(), newSettings.flushCheckIntervalMs(),
                newSettings.checkpointIntervalMs(), newSettings.cleaner());
        if (!applied.equals(settings)) {
            boolean cleanerChanged = !applied.cleaner().equals(settings.cleaner());
            settings = applied;
            deleter.delayMs(applied.segmentDeleteDelayMs());
            tasks.forEach(task -> task.cancel(false));
            tasks.clear();
            schedule(applied);
            if (cleanerChanged) {
                if (cleaner != null) {
                    cleaner.close();
                }
                cleaner = startCleaner(applied.cleaner());
            }
        }
    }

    /** One retention pass over every open log. */
    public void runRetention() {
        long now = clock.millis();
        for (SegmentedLog log : open.values()) {
            guarded("retention", log, () -> log.applyRetention(now));
        }
    }

    /** One pass of time-based flushes over every open log. */
    public void runFlushChecks() {
        long now = clock.millis();
        for (SegmentedLog log : open.values()) {
            guarded("flush", log, () -> log.maybeFlush(now));
        }
    }

    /** Persists changed offsets of every open log whose checkpoint is due. */
    public void runCheckpoints() {
        long now = clock.millis();
        long interval = settings.checkpointIntervalMs();
        for (SegmentedLog log : open.values()) {
            guarded("checkpoint", log, () -> log.maybeCheckpoint(now, interval));
        }
    }

    /** Segments removed from their logs whose files still wait for the deletion delay. */
    public int pendingSegmentDeletions() {
        return deleter.pendingCount();
    }

    /** Stops the background threads, then closes every open log cleanly. */
    @Override
    public void close() {
        synchronized (this) {
            if (closed) {
                return;
            }
            closed = true;
            if (cleaner != null) {
                // First, so that no compaction swap runs while the logs close.
                cleaner.close();
                cleaner = null;
            }
        }
        retentionThread.shutdown();
        flushThread.shutdown();
        awaitQuietly(retentionThread);
        awaitQuietly(flushThread);
        for (SegmentedLog log : List.copyOf(open.values())) {
            log.close();
        }
        open.clear();
        deleter.deletePendingNow();
        LOG.info("Partition log storage stopped: logDirs={}", settings.logDirs());
    }

    private void schedule(StorageSettings current) {
        every(retentionThread, current.retentionCheckIntervalMs(), this::runRetention);
        every(flushThread, current.flushCheckIntervalMs(), this::runFlushChecks);
        every(flushThread, current.checkpointIntervalMs(), this::runCheckpoints);
    }

    private LogCleaner startCleaner(CleanerSettings cleanerSettings) {
        return cleanerSettings.enabled()
                ? new LogCleaner(cleanerSettings, clock, () -> List.copyOf(open.values()))
                : null;
    }

    private void every(ScheduledThreadPoolExecutor thread, long intervalMs, Runnable pass) {
        // Long.MAX_VALUE is Kafka's "never" (log.flush.scheduler.interval.ms defaults to it).
        if (intervalMs < Long.MAX_VALUE) {
            tasks.add(thread.scheduleWithFixedDelay(pass, intervalMs, intervalMs, TimeUnit.MILLISECONDS));
        }
    }

    private synchronized void ensureOpen() {
        if (closed) {
            throw new StorageException("partition log storage is stopped");
        }
    }

    private static void guarded(String pass, SegmentedLog log, Runnable action) {
        try {
            action.run();
        } catch (RuntimeException e) {
            // One failing log must not stop the pass for the others, nor kill the periodic task.
            LOG.warn("Background {} of a partition log failed: partition={} error={}", pass, log.partition(),
                    e.toString());
        }
    }

    private static ScheduledThreadPoolExecutor daemonScheduler(String name) {
        ScheduledThreadPoolExecutor executor = new ScheduledThreadPoolExecutor(1, runnable -> {
            Thread thread = new Thread(runnable, name);
            thread.setDaemon(true);
            return thread;
        });
        // At shutdown, queued delayed work (segment deletions, periodic passes) must not hold the
        // threads: pending deletions run right away in close() instead.
        executor.setExecuteExistingDelayedTasksAfterShutdownPolicy(false);
        executor.setContinueExistingPeriodicTasksAfterShutdownPolicy(false);
        executor.setRemoveOnCancelPolicy(true);
        return executor;
    }

    private static void awaitQuietly(ScheduledThreadPoolExecutor executor) {
        try {
            if (!executor.awaitTermination(30, TimeUnit.SECONDS)) {
                LOG.warn("Storage background thread did not stop within 30 s");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
