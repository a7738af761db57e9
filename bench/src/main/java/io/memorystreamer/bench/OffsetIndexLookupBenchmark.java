package io.memorystreamer.bench;

import java.lang.invoke.MethodHandle;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Offset index lookup: the storage bundle's {@code OffsetIndex.floorPosition} for a random offset
 * in a full 10 MiB index (the default segment.index.bytes: 1,310,720 entries), memory-mapped from
 * a temporary file. This is the binary search a fetch does before its short scan of batch headers.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 2, time = 2)
@Measurement(iterations = 3, time = 2)
@Fork(1)
public class OffsetIndexLookupBenchmark {

    private static final String OFFSET_INDEX = "io.memorystreamer.storage.log.internal.OffsetIndex";
    private static final String MAPPED_INDEX = "io.memorystreamer.storage.log.internal.MappedIndex";
    private static final MethodHandle NEW_INDEX = Internals.constructor(OFFSET_INDEX, Path.class, long.class);
    private static final MethodHandle OPEN_WRITABLE = Internals.method(MAPPED_INDEX, "openWritable", int.class, int.class);
    private static final MethodHandle APPEND = Internals.method(OFFSET_INDEX, "append", long.class, int.class);
    private static final MethodHandle FLOOR_POSITION = Internals.method(OFFSET_INDEX, "floorPosition", long.class);
    private static final MethodHandle CLOSE = Internals.method(MAPPED_INDEX, "close");

    private static final int INDEX_BYTES = 10 * 1024 * 1024;
    private static final int ENTRIES = INDEX_BYTES / 8;
    /** One entry per 16 KiB batch of 16 records, as index.interval.bytes=4096 gives for such batches. */
    private static final int RECORDS_PER_ENTRY = 16;
    private static final int BYTES_PER_ENTRY = 16 * 1024;
    private static final long BASE_OFFSET = 1_000_000L;

    private Path dir;
    private Object index;
    private final SplittableRandom random = new SplittableRandom(7);

    @Setup
    public void fillIndex() throws Throwable {
        dir = Files.createTempDirectory("msbench-index-");
        index = NEW_INDEX.invoke(dir.resolve("00000000000001000000.index"), BASE_OFFSET);
        OPEN_WRITABLE.invoke(index, INDEX_BYTES, 0);
        for (int i = 0; i < ENTRIES; i++) {
            APPEND.invoke(index, BASE_OFFSET + (long) i * RECORDS_PER_ENTRY, i * BYTES_PER_ENTRY);
        }
    }

    @TearDown
    public void deleteIndex() throws Throwable {
        CLOSE.invoke(index);
        TempLogs.deleteTree(dir);
    }

    @Benchmark
    public int lookup() throws Throwable {
        long offset = BASE_OFFSET + random.nextLong((long) ENTRIES * RECORDS_PER_ENTRY);
        return (int) FLOOR_POSITION.invoke(index, offset);
    }
}
