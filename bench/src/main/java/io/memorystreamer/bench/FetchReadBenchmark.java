package io.memorystreamer.bench;

import io.memorystreamer.spi.storage.LogConfig;
import io.memorystreamer.spi.storage.LogReadResult;
import io.memorystreamer.spi.storage.PartitionId;
import io.memorystreamer.spi.storage.PartitionLog;
import java.nio.ByteBuffer;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.common.compress.Compression;
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
 * Fetch read: {@code PartitionLog.read} of up to 1 MiB from a random offset of a populated log
 * (256 MiB of 16 KiB batches in 64 MiB segments, so reads cross segments), bounded by the log end
 * as a consumer's fetch is by the high watermark. This is the broker's work before it writes the
 * returned chunks to the socket; the bytes themselves are not copied here, so the figure is the
 * cost of finding the range (segment, index, header scan), not of moving the data.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 2, time = 2)
@Measurement(iterations = 3, time = 2)
@Fork(1)
public class FetchReadBenchmark {

    private static final int FETCH_BYTES = 1024 * 1024;
    private static final int SEGMENT_BYTES = 64 * 1024 * 1024;
    private static final int BATCHES = 256 * 1024 * 1024 / Batches.BATCH_BYTES;

    private TempLogs logs;
    private PartitionLog log;
    private final SplittableRandom random = new SplittableRandom(11);

    @Setup
    public void populateLog() {
        logs = new TempLogs();
        LogConfig config = new LogConfig(SEGMENT_BYTES, LogConfig.DEFAULT.segmentMs(), LogConfig.DEFAULT.retentionMs(),
                -1, Long.MAX_VALUE, Long.MAX_VALUE, LogConfig.DEFAULT.indexIntervalBytes(),
                LogConfig.DEFAULT.maxIndexBytes());
        log = logs.manager().open(new PartitionId("bench-fetch", 0), config);
        ByteBuffer batch = Batches.batch(Compression.NONE, 2);
        ByteBuffer scratch = ByteBuffer.allocate(batch.remaining());
        for (int i = 0; i < BATCHES; i++) {
            scratch.clear();
            scratch.put(batch.duplicate()).flip();
            log.append(scratch);
        }
        log.updateHighWatermark(log.logEndOffset());
        LogReadResult probe = log.read(0, FETCH_BYTES, log.logEndOffset(), true);
        if (probe.sizeInBytes() < FETCH_BYTES / 2) {
            throw new IllegalStateException("a fetch from offset 0 returned only " + probe.sizeInBytes() + " bytes");
        }
    }

    @TearDown
    public void deleteLog() {
        logs.close();
    }

    @Benchmark
    public LogReadResult read() {
        long end = log.logEndOffset();
        // From the first three quarters of the log, so every read returns a full 1 MiB.
        long offset = random.nextLong(Math.max(1, end - end / 4));
        return log.read(offset, FETCH_BYTES, end, true);
    }
}
