package io.memorystreamer.broker.internal.produce;

import static org.assertj.core.api.Assertions.assertThat;

import io.memorystreamer.broker.internal.fetch.KafkaBatches;
import io.memorystreamer.broker.internal.topic.TopicInfo;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.apache.kafka.common.compress.Compression;
import org.apache.kafka.common.protocol.Errors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ConcurrentProduceTest {

    private static final int THREADS = 4;
    private static final int BATCHES_PER_THREAD = 50;

    @TempDir
    Path directory;

    private DataPlaneHarness harness;
    private TopicInfo topic;

    @BeforeEach
    void setUp() {
        harness = new DataPlaneHarness(directory);
        topic = harness.catalog.create("busy", 1);
    }

    @AfterEach
    void tearDown() throws InterruptedException {
        harness.close();
    }

    @Test
    void concurrentProducersToOnePartitionGetDistinctContiguousOffsets() throws Exception {
        // Given idempotent producers on several request threads writing to the same partition
        ExecutorService threads = Executors.newFixedThreadPool(THREADS);
        List<Future<List<Long>>> results = new ArrayList<>();
        for (int t = 0; t < THREADS; t++) {
            long producerId = harness.initProducerId(null).producerId();
            results.add(threads.submit(() -> {
                List<Long> offsets = new ArrayList<>();
                for (int i = 0; i < BATCHES_PER_THREAD; i++) {
                    var response = harness.produce(topic, 0, KafkaBatches.idempotent(Compression.NONE, producerId,
                            (short) 0, i * 2, 1_000L, "x", "y"));
                    assertThat(response.errorCode()).isEqualTo(Errors.NONE.code());
                    offsets.add(response.baseOffset());
                }
                return offsets;
            }));
        }

        // When they all finish
        Set<Long> baseOffsets = new TreeSet<>();
        for (Future<List<Long>> result : results) {
            baseOffsets.addAll(result.get());
        }
        threads.shutdown();

        // Then every batch got its own two offsets and the log holds exactly all of them
        int batches = THREADS * BATCHES_PER_THREAD;
        assertThat(baseOffsets).hasSize(batches);
        assertThat(baseOffsets).allSatisfy(offset -> assertThat(offset % 2).isZero());
        assertThat(harness.catalog.log(topic.name(), 0).orElseThrow().highWatermark()).isEqualTo(2L * batches);
    }
}
