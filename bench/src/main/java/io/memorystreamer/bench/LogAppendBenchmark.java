package io.memorystreamer.bench;

import io.memorystreamer.spi.storage.AppendResult;
import io.memorystreamer.spi.storage.LogConfig;
import io.memorystreamer.spi.storage.PartitionId;
import io.memorystreamer.spi.storage.PartitionLog;
import java.nio.ByteBuffer;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.common.compress.Compression;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Log append: {@code PartitionLog.append} of one 16 KiB uncompressed batch to a segmented log made
 * by the storage bundle's {@code LogManager} in a temporary directory, with the default flush
 * policy (no fsync per append: the page cache holds the data, as in Kafka). The broker hands the
 * log a batch it has already validated; each call here appends a fresh copy of the same bytes.
 * To keep the benchmark's disk use bounded, the log is truncated to empty after every 64 MiB,
 * which adds one truncation per 4096 appends to the average.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 2, time = 2)
@Measurement(iterations = 3, time = 2)
@Fork(1)
public class LogAppendBenchmark {

    private static final int APPENDS_BEFORE_TRUNCATION = 4096;

    private TempLogs logs;
    private PartitionLog log;
    private ByteBuffer batch;
    private ByteBuffer scratch;
    private int appends;

    @Setup(Level.Trial)
    public void openLog() {
        logs = new TempLogs();
        log = logs.manager().open(new PartitionId("bench-append", 0), LogConfig.DEFAULT);
        batch = Batches.batch(Compression.NONE, 1);
        scratch = ByteBuffer.allocate(batch.remaining());
    }

    @TearDown(Level.Trial)
    public void deleteLog() {
        logs.close();
    }

    @Benchmark
    public AppendResult append() {
        if (++appends == APPENDS_BEFORE_TRUNCATION) {
            log.truncateTo(log.logStartOffset());
            appends = 0;
        }
        // The log writes offsets into the batch it is given: start from the producer's bytes.
        scratch.clear();
        scratch.put(batch.duplicate()).flip();
        return log.append(scratch);
    }
}
