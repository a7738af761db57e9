package io.memorystreamer.storage.log.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Map;
import org.junit.jupiter.api.Test;

class CleanerSettingsTest {

    @Test
    void kafkasDefaultsWhenNothingIsSet() {
        assertThat(CleanerSettings.from(Map.of())).isEqualTo(CleanerSettings.DEFAULT);
        assertThat(CleanerSettings.DEFAULT.enabled()).isTrue();
        assertThat(CleanerSettings.DEFAULT.threads()).isEqualTo(1);
        assertThat(CleanerSettings.DEFAULT.backoffMs()).isEqualTo(15_000);
    }

    @Test
    void readsKafkasKeys() {
        CleanerSettings settings = CleanerSettings.from(Map.of("log.cleaner.enable", "false",
                "log.cleaner.threads", "4", "log.cleaner.backoff.ms", "100",
                "log.cleaner.dedupe.buffer.size", "4194304", "log.cleaner.io.buffer.size", "65536",
                "log.cleaner.io.buffer.load.factor", "0.75", "producer.id.expiration.ms", "1000"));

        assertThat(settings).isEqualTo(new CleanerSettings(false, 4, 100, 4_194_304, 65_536, 0.75, 1_000));
        assertThat(settings.dedupeBytesPerThread()).isEqualTo(1_048_576);
        assertThat(settings.ioBytesPerThread()).isEqualTo(8_192);
    }

    @Test
    void badValuesNameTheKey() {
        assertThatThrownBy(() -> CleanerSettings.from(Map.of("log.cleaner.threads", "0")))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("log.cleaner.threads");
        assertThatThrownBy(() -> CleanerSettings.from(Map.of("log.cleaner.enable", "yes")))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("log.cleaner.enable");
        assertThatThrownBy(() -> CleanerSettings.from(Map.of("log.cleaner.io.buffer.load.factor", "1.5")))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("load.factor");
    }
}
