package io.memorystreamer.broker.internal.fetch;

import static org.assertj.core.api.Assertions.assertThat;

import io.memorystreamer.broker.internal.produce.DataPlaneHarness;
import io.memorystreamer.broker.internal.topic.TopicInfo;
import io.memorystreamer.spi.storage.PartitionLog;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.apache.kafka.common.compress.Compression;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class BatchHeaderWalkerTest {

    @TempDir
    Path directory;

    private DataPlaneHarness harness;
    private TopicInfo topic;

    @BeforeEach
    void setUp() {
        harness = new DataPlaneHarness(directory);
        topic = harness.catalog.create("walk", 1);
    }

    @AfterEach
    void tearDown() throws InterruptedException {
        harness.close();
    }

    @ParameterizedTest
    @ValueSource(booleans = {false, true})
    void visitsEveryBatchHeaderInRangeAcrossSegments(boolean heapReads) {
        // Given 300 batches (several segments), two of them from an idempotent producer
        for (int i = 0; i < 300; i++) {
            harness.produce(topic, 0, KafkaBatches.plain(Compression.gzip().build(), 1_000L + i, "a", "b"));
        }
        harness.produce(topic, 0, KafkaBatches.idempotent(9L, (short) 4, 0, 3));
        harness.produce(topic, 0, KafkaBatches.idempotent(9L, (short) 4, 3, 2));
        if (heapReads) {
            harness.catalog.decorateLogs(HeapReadsLog::new);
        }
        PartitionLog log = harness.catalog.log(topic.name(), 0).orElseThrow();

        // When walking from offset 100 to the end
        List<BatchHeader> headers = new ArrayList<>();
        BatchHeaderWalker.walk(log, 100, log.logEndOffset(), headers::add);

        // Then every batch from 100 on is visited once, in order, with its producer fields
        assertThat(headers).hasSize(252);
        assertThat(headers.getFirst().baseOffset()).isEqualTo(100L);
        assertThat(headers).extracting(BatchHeader::recordCount).containsOnly(2, 3);
        BatchHeader last = headers.getLast();
        assertThat(last.baseOffset()).isEqualTo(603L);
        assertThat(last.lastOffset()).isEqualTo(604L);
        assertThat(last.producerId()).isEqualTo(9L);
        assertThat(last.producerEpoch()).isEqualTo((short) 4);
        assertThat(last.baseSequence()).isEqualTo(3);
        assertThat(last.lastSequence()).isEqualTo(4);
        for (int i = 1; i < headers.size(); i++) {
            assertThat(headers.get(i).baseOffset()).isEqualTo(headers.get(i - 1).nextOffset());
        }
    }
}
