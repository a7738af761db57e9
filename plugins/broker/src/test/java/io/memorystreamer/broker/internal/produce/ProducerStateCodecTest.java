package io.memorystreamer.broker.internal.produce;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.HexFormat;
import java.util.List;
import org.apache.kafka.common.Uuid;
import org.junit.jupiter.api.Test;

class ProducerStateCodecTest {

    private static final Uuid TOPIC_ID = new Uuid(0x0102030405060708L, 0x090a0b0c0d0e0f10L);

    @Test
    void encodesVersionTwoAsTheGoldenFile() throws IOException {
        // Given a transactional producer with two remembered batches and a transaction open at 100
        ProducerEntry entry = new ProducerEntry(7L, (short) 2, 1_700_000_000_000L);
        entry.add((short) 2, new BatchMetadata(0, 4, 100L, 104L, 1_699_999_999_000L), 1_700_000_000_000L);
        entry.add((short) 2, new BatchMetadata(5, 5, 105L, 105L, 1_699_999_999_500L), 1_700_000_000_000L);
        entry.restoreTransaction(100L, 0);

        // When it is encoded
        byte[] encoded = ProducerStateCodec.encode(TOPIC_ID, 106L, List.of(entry));

        // Then the bytes are the stored format's
        assertThat(HexFormat.of().formatHex(encoded)).isEqualTo(golden("producer-state-v2.hex"));
    }

    @Test
    void decodesTheVersionTwoGoldenFile() throws IOException {
        // When the golden snapshot is decoded
        ProducerStateCodec.Snapshot snapshot =
                ProducerStateCodec.decode(HexFormat.of().parseHex(golden("producer-state-v2.hex")));

        // Then the open transaction comes back with the rest
        ProducerEntry entry = snapshot.producers().getFirst();
        assertThat(entry.currentTxnFirstOffset()).isEqualTo(100L);
        assertThat(entry.coordinatorEpoch()).isZero();
        assertThat(entry.batches()).hasSize(2);
    }

    @Test
    void decodesTheVersionOneGoldenFile() throws IOException {
        // When the golden snapshot is decoded
        ProducerStateCodec.Snapshot snapshot =
                ProducerStateCodec.decode(HexFormat.of().parseHex(golden("producer-state-v1.hex")));

        // Then every field comes back
        assertThat(snapshot.topicId()).isEqualTo(TOPIC_ID);
        assertThat(snapshot.coveredOffset()).isEqualTo(106L);
        ProducerEntry entry = snapshot.producers().getFirst();
        assertThat(entry.producerId()).isEqualTo(7L);
        assertThat(entry.epoch()).isEqualTo((short) 2);
        assertThat(entry.lastAppendMs()).isEqualTo(1_700_000_000_000L);
        assertThat(entry.batches()).containsExactly(
                new BatchMetadata(0, 4, 100L, 104L, 1_699_999_999_000L),
                new BatchMetadata(5, 5, 105L, 105L, 1_699_999_999_500L));
        assertThat(entry.hasOpenTransaction()).isFalse();
    }

    @Test
    void refusesAnUnknownVersionAndTruncatedValues() throws IOException {
        // Given the golden value with another version byte, and cut short
        byte[] golden = HexFormat.of().parseHex(golden("producer-state-v2.hex"));
        byte[] otherVersion = golden.clone();
        otherVersion[0] = 3;
        byte[] truncated = java.util.Arrays.copyOf(golden, golden.length - 3);

        // Then neither decodes
        assertThatThrownBy(() -> ProducerStateCodec.decode(otherVersion)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> ProducerStateCodec.decode(truncated)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void encodesTheProducerIdCounterAsTheGoldenFile() throws IOException {
        // When the counter value 2000 is encoded
        String encoded = HexFormat.of().formatHex(ProducerIdAllocator.encode(2_000L));

        // Then it is version 1 followed by the big-endian value
        assertThat(encoded).isEqualTo(golden("producer-ids-v1.hex"));
        assertThat(ProducerIdAllocator.decode(HexFormat.of().parseHex(encoded))).isEqualTo(2_000L);
    }

    private static String golden(String name) throws IOException {
        try (InputStream in = ProducerStateCodecTest.class.getResourceAsStream("/golden/" + name)) {
            return new String(in.readAllBytes(), StandardCharsets.US_ASCII).strip();
        }
    }
}
