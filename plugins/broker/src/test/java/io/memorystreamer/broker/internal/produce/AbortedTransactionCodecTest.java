package io.memorystreamer.broker.internal.produce;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.memorystreamer.broker.internal.fetch.AbortedTransaction;
import io.memorystreamer.spi.storage.PartitionId;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.HexFormat;
import java.util.List;
import org.apache.kafka.common.Uuid;
import org.junit.jupiter.api.Test;

class AbortedTransactionCodecTest {

    private static final Uuid TOPIC_ID = new Uuid(0x0102030405060708L, 0x090a0b0c0d0e0f10L);
    private static final AbortedTransaction ABORTED = new AbortedTransaction(1000L, 10L, 15L, 16L);

    @Test
    void encodesKeyAndValueAsTheGoldenFiles() throws IOException {
        // When an entry of partition orders-1 with its marker at 15 is encoded
        byte[] key = AbortedTransactionCodec.key(new PartitionId("orders", 1), 15L);
        byte[] value = AbortedTransactionCodec.encode(TOPIC_ID, ABORTED);

        // Then the bytes are the stored format's
        assertThat(HexFormat.of().formatHex(key)).isEqualTo(golden("aborted-txn-key-v1.hex"));
        assertThat(HexFormat.of().formatHex(value)).isEqualTo(golden("aborted-txn-v1.hex"));
    }

    @Test
    void decodesTheGoldenFileAndRefusesOtherVersions() throws IOException {
        // Given the golden value and a copy with another version
        byte[] value = HexFormat.of().parseHex(golden("aborted-txn-v1.hex"));
        byte[] other = value.clone();
        other[0] = 2;

        // Then the first decodes to the entry and the second is refused
        AbortedTransactionCodec.Stored stored = AbortedTransactionCodec.decode(value);
        assertThat(stored.topicId()).isEqualTo(TOPIC_ID);
        assertThat(stored.transaction()).isEqualTo(ABORTED);
        assertThatThrownBy(() -> AbortedTransactionCodec.decode(other)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void lookupsStopAtTheFirstAbortWhoseStableOffsetReachesTheEnd() {
        // Given aborts ending at 5, 9 and 20, the second leaving the stable offset at 12
        AbortedTransactions index = new AbortedTransactions();
        index.add(new AbortedTransaction(1L, 2L, 5L, 6L));
        index.add(new AbortedTransaction(2L, 7L, 9L, 12L));
        index.add(new AbortedTransaction(3L, 13L, 20L, 21L));

        // When the range 6..12 is looked up
        List<AbortedTransaction> found = index.overlapping(6L, 12L);

        // Then only the abort with records in it is found
        assertThat(found).extracting(AbortedTransaction::producerId).containsExactly(2L);
    }

    private static String golden(String name) throws IOException {
        try (InputStream in = AbortedTransactionCodecTest.class.getResourceAsStream("/golden/" + name)) {
            return new String(in.readAllBytes(), StandardCharsets.US_ASCII).strip();
        }
    }
}
