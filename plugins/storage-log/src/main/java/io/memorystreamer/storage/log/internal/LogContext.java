package io.memorystreamer.storage.log.internal;

import java.time.InstantSource;
import java.util.Objects;
import java.util.concurrent.Executor;

/**
 * What the logs of one factory share.
 *
 * @param clock the time used for appends, rolls, flushes and retention
 * @param flushExecutor runs the fsync of a rolled segment off the append path
 * @param deleter closes and deletes removed segments after the grace delay
 */
public record LogContext(InstantSource clock, Executor flushExecutor, SegmentDeleter deleter) {

    public LogContext {
        Objects.requireNonNull(clock, "clock");
        Objects.requireNonNull(flushExecutor, "flushExecutor");
        Objects.requireNonNull(deleter, "deleter");
    }
}
