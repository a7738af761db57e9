package io.memorystreamer.broker.internal.admin;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.memorystreamer.spi.state.StateException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.Map;
import org.junit.jupiter.api.Test;

class BrokerConfigRecordCodecTest {

    private static final Map<String, String> CONFIGS = Map.of("message.max.bytes", "2000",
            "log.retention.ms", "3600000");

    private static byte[] golden() throws IOException {
        try (InputStream in = BrokerConfigRecordCodecTest.class.getResourceAsStream("/golden/broker-configs-v1.hex")) {
            return HexFormat.of().parseHex(new String(in.readAllBytes(), StandardCharsets.US_ASCII).strip());
        }
    }

    @Test
    void encodingMatchesTheCheckedInVersionOneRecord() throws IOException {
        // When configs are encoded
        byte[] encoded = BrokerConfigRecordCodec.encode(CONFIGS);

        // Then the bytes are exactly the golden v1 record, keys sorted
        assertThat(encoded).isEqualTo(golden());
        assertThat(encoded[0]).isEqualTo(BrokerConfigRecordCodec.VERSION_1);
    }

    @Test
    void theCheckedInVersionOneRecordDecodes() throws IOException {
        assertThat(BrokerConfigRecordCodec.decode(golden())).isEqualTo(CONFIGS);
    }

    @Test
    void anUnknownVersionAndATruncatedRecordAreRefused() throws IOException {
        // Given a record from the future and one cut short
        byte[] future = golden();
        future[0] = 7;
        byte[] truncated = Arrays.copyOf(golden(), 20);

        // When / Then
        assertThatThrownBy(() -> BrokerConfigRecordCodec.decode(future))
                .isInstanceOf(StateException.class).hasMessageContaining("version 7");
        assertThatThrownBy(() -> BrokerConfigRecordCodec.decode(truncated))
                .isInstanceOf(StateException.class).hasMessageContaining("truncated or corrupt");
    }

    @Test
    void scopesHaveDistinctKeys() {
        assertThat(new String(BrokerConfigRecordCodec.key(DynamicScope.CLUSTER_DEFAULT, 1), StandardCharsets.UTF_8))
                .isEqualTo("cluster-default");
        assertThat(new String(BrokerConfigRecordCodec.key(DynamicScope.BROKER, 1), StandardCharsets.UTF_8))
                .isEqualTo("broker-1");
    }
}
