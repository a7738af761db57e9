package io.memorystreamer.spi.storage;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;

import java.nio.ByteBuffer;
import java.util.HexFormat;
import org.junit.jupiter.api.Test;

class TestBatchesTest {

    /**
     * The same three records written by kafka-clients 4.4.0
     * ({@code MemoryRecords.withIdempotentRecords(2, 0, NONE, 42, 3, 7, -1, ...)}): the helper must
     * produce exactly what a Kafka producer sends.
     */
    private static final String KAFKA_CLIENTS_BATCH = "000000000000000000000054ffffffff028128eacf0000000000020000"
            + "0000000003e800000000000003ed000000000000002a0003000000070000000314000000046b31047631001e000a0201"
            + "1276616c75652d74776f000e00040401023300";

    @Test
    void buildsTheBytesKafkaClientsBuild() {
        ByteBuffer built = TestBatches.builder()
                .producer(42L, (short) 3, 7)
                .record("k1".getBytes(UTF_8), "v1".getBytes(UTF_8), 1000L)
                .record(null, "value-two".getBytes(UTF_8), 1005L)
                .record(null, "3".getBytes(UTF_8), 1002L)
                .build();

        assertThat(HexFormat.of().formatHex(built.array())).isEqualTo(KAFKA_CLIENTS_BATCH);
    }

    @Test
    void readsBackWhatItBuilds() {
        ByteBuffer batches = TestBatches.concat(TestBatches.batch(5L, "a", "b"), TestBatches.batch(6L, "c"));
        ByteBuffer numbered = TestBatches.withOffsetsFrom(batches, 10);

        assertThat(TestBatches.values(numbered)).containsExactly("a", "b", "c");
        assertThat(TestBatches.split(numbered)).hasSize(2)
                .allSatisfy(batch -> assertThat(TestBatches.crcValid(batch)).isTrue());
        assertThat(TestBatches.baseOffset(TestBatches.split(numbered).get(1))).isEqualTo(12);
        assertThat(TestBatches.lastOffset(TestBatches.split(numbered).get(1))).isEqualTo(12);
        assertThat(TestBatches.recordCount(numbered)).isEqualTo(2);
    }
}
