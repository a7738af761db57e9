package io.memorystreamer.broker.internal.txn;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.memorystreamer.spi.storage.PartitionId;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.Test;

class TransactionRecordCodecTest {

    private static final TransactionRecord RECORD = golden();

    @Test
    void encodesVersionOneAsTheGoldenFile() throws IOException {
        // When the record is encoded
        byte[] encoded = TransactionRecordCodec.encode(RECORD);

        // Then the bytes are the stored format's
        assertThat(HexFormat.of().formatHex(encoded)).isEqualTo(read("transaction-record-v1.hex"));
    }

    @Test
    void decodesTheGoldenFile() throws IOException {
        // When the golden value is decoded
        TransactionRecord decoded = TransactionRecordCodec.decode("tx-1",
                HexFormat.of().parseHex(read("transaction-record-v1.hex")));

        // Then every field comes back, in order
        assertThat(decoded).isEqualTo(RECORD);
        assertThat(decoded.partitions()).containsExactly(new PartitionId("orders", 0), new PartitionId("orders", 1));
        assertThat(decoded.pendingOffsets().get("pipeline").get(new TopicPartition("input", 1)).metadata()).isNull();
    }

    @Test
    void refusesAnUnknownVersionAndTruncatedValues() throws IOException {
        // Given the golden value with another version byte, and cut short
        byte[] golden = HexFormat.of().parseHex(read("transaction-record-v1.hex"));
        byte[] otherVersion = golden.clone();
        otherVersion[0] = 2;
        byte[] truncated = Arrays.copyOf(golden, golden.length - 5);

        // Then neither decodes
        assertThatThrownBy(() -> TransactionRecordCodec.decode("tx-1", otherVersion))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> TransactionRecordCodec.decode("tx-1", truncated))
                .isInstanceOf(IllegalArgumentException.class);
    }

    private static TransactionRecord golden() {
        Map<TopicPartition, PendingOffset> offsets = new LinkedHashMap<>();
        offsets.put(new TopicPartition("input", 0), new PendingOffset(42L, 5, "meta", 1_700_000_000_400L));
        offsets.put(new TopicPartition("input", 1), new PendingOffset(7L, -1, null, 1_700_000_000_400L));
        return new TransactionRecord("tx-1", 1000L, -1L, (short) 3, (short) 2, 60_000, TxnState.ONGOING,
                new LinkedHashSet<>(List.of(new PartitionId("orders", 0), new PartitionId("orders", 1))),
                new LinkedHashSet<>(List.of("pipeline")), Map.of("pipeline", offsets), 1_700_000_000_000L,
                1_700_000_000_500L);
    }

    static String read(String name) throws IOException {
        try (InputStream in = TransactionRecordCodecTest.class.getResourceAsStream("/golden/" + name)) {
            return new String(in.readAllBytes(), StandardCharsets.US_ASCII).strip();
        }
    }
}
