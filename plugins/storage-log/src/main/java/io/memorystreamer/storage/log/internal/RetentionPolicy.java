package io.memorystreamer.storage.log.internal;

import io.memorystreamer.spi.storage.LogConfig;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.NavigableMap;

/**
 * Which segments retention deletes, as Kafka decides it: oldest first, a segment whose newest
 * batch is older than {@code retention.ms}, then oldest segments while the log is larger than
 * {@code retention.bytes}. Only closed segments wholly below the high watermark qualify, so
 * neither the active segment nor uncommitted records are ever deleted. Retention applies only
 * when {@code cleanup.policy} contains {@code delete} ({@code compact,delete} included).
 */
final class RetentionPolicy {

    private RetentionPolicy() {
    }

    /** The segments to delete, oldest first. */
    static List<LogSegment> expired(NavigableMap<Long, LogSegment> segments, LogConfig config, long highWatermark,
            long nowMs) throws IOException {
        List<LogSegment> expired = new ArrayList<>();
        if (!config.cleanup().delete()) {
            // cleanup.policy=compact alone: records leave only through compaction.
            return expired;
        }
        List<LogSegment> candidates = new ArrayList<>();
        long totalBytes = 0;
        for (var entry : segments.entrySet()) {
            Long next = segments.higherKey(entry.getKey());
            if (next != null && next <= highWatermark) {
                candidates.add(entry.getValue());
            }
            totalBytes += entry.getValue().size();
        }
        int index = 0;
        while (index < candidates.size() && config.retentionMs() >= 0
                && nowMs - candidates.get(index).retentionTimestamp() > config.retentionMs()) {
            totalBytes -= candidates.get(index).size();
            expired.add(candidates.get(index++));
        }
        while (index < candidates.size() && config.retentionBytes() >= 0
                && totalBytes - candidates.get(index).size() >= config.retentionBytes()) {
            totalBytes -= candidates.get(index).size();
            expired.add(candidates.get(index++));
        }
        return expired;
    }
}
