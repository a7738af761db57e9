package io.memorystreamer.broker.internal.topic;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.memorystreamer.spi.state.StateException;
import java.io.IOException;
import java.io.InputStream;
import java.util.Arrays;
import java.util.Map;
import org.apache.kafka.common.Uuid;
import org.junit.jupiter.api.Test;

class TopicRecordCodecTest {

    private static final TopicInfo ORDERS = new TopicInfo("orders",
            new Uuid(0x0123456789abcdefL, 0x0fedcba987654321L), 3,
            Map.of("retention.ms", "3600000", "cleanup.policy", "compact"));

    private static byte[] golden() throws IOException {
        try (InputStream in = TopicRecordCodecTest.class.getResourceAsStream("/golden/topic-record-v1.bin")) {
            return in.readAllBytes();
        }
    }

    @Test
    void encodingMatchesTheCheckedInVersionOneRecord() throws IOException {
        // When a topic is encoded
        byte[] encoded = TopicRecordCodec.encode(ORDERS);

        // Then the bytes are exactly the golden v1 record
        assertThat(encoded).isEqualTo(golden());
        assertThat(encoded[0]).isEqualTo(TopicRecordCodec.VERSION_1);
    }

    @Test
    void theCheckedInVersionOneRecordDecodes() throws IOException {
        // When the golden record is decoded
        TopicInfo decoded = TopicRecordCodec.decode("orders", golden());

        // Then every field comes back
        assertThat(decoded).isEqualTo(ORDERS);
    }

    @Test
    void anUnknownVersionIsRefusedWithAClearError() throws IOException {
        // Given a record with a version byte from the future
        byte[] future = golden();
        future[0] = 9;

        // When / Then
        assertThatThrownBy(() -> TopicRecordCodec.decode("orders", future))
                .isInstanceOf(StateException.class)
                .hasMessageContaining("unsupported topic record version 9");
    }

    @Test
    void aTruncatedRecordIsRefused() throws IOException {
        byte[] truncated = Arrays.copyOf(golden(), 30);

        assertThatThrownBy(() -> TopicRecordCodec.decode("orders", truncated))
                .isInstanceOf(StateException.class)
                .hasMessageContaining("truncated or corrupt");
    }
}
