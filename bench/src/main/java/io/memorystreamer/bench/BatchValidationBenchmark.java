package io.memorystreamer.bench;

import java.lang.invoke.MethodHandle;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.common.compress.Compression;
import org.apache.kafka.common.record.internal.BaseRecords;
import org.apache.kafka.common.record.internal.MemoryRecords;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Batch validation: the broker's own {@code BatchValidator.validate} on one produced 16 KiB batch
 * (1 KiB records) of a delete-policy topic: size and header checks, the CRC-32C over the batch
 * and the walk over every record's structure (decompressing a compressed batch, as Kafka does).
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 2, time = 2)
@Measurement(iterations = 3, time = 2)
@Fork(1)
public class BatchValidationBenchmark {

    private static final MethodHandle VALIDATE = Internals.method(
            "io.memorystreamer.broker.internal.produce.BatchValidator", "validate",
            BaseRecords.class, int.class, short.class);
    private static final int MAX_MESSAGE_BYTES = 1024 * 1024 + 12;
    private static final short PRODUCE_VERSION = 11;

    /** The producer's compression.type. */
    @Param({"lz4", "none"})
    public String compression;

    private MemoryRecords records;

    @Setup
    public void buildBatch() {
        records = MemoryRecords.readableRecords(Batches.batch(Compression.of(compression).build(), 1));
        Object verdict;
        try {
            verdict = validate();
        } catch (Throwable e) {
            throw new IllegalStateException(e);
        }
        // Measure the path a good batch takes, not an early refusal.
        if (!verdict.getClass().getSimpleName().equals("Valid")) {
            throw new IllegalStateException("the benchmark batch is refused: " + verdict);
        }
    }

    @Benchmark
    public Object validate() throws Throwable {
        return (Object) VALIDATE.invoke((BaseRecords) records, MAX_MESSAGE_BYTES, PRODUCE_VERSION);
    }
}
