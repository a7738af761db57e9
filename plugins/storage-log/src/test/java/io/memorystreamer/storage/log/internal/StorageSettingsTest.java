package io.memorystreamer.storage.log.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;

class StorageSettingsTest {

    @Test
    void readsKafkaKeysWithDefaults() {
        StorageSettings settings = StorageSettings.from(Map.of("log.dirs", "/data/a, /data/b,"));

        assertThat(settings.logDirs()).containsExactly(Path.of("/data/a"), Path.of("/data/b"));
        assertThat(settings.retentionCheckIntervalMs()).isEqualTo(300_000);
        assertThat(settings.segmentDeleteDelayMs()).isEqualTo(60_000);
        assertThat(settings.flushCheckIntervalMs()).isEqualTo(1_000);
        assertThat(settings.checkpointIntervalMs()).isEqualTo(5_000);
    }

    @Test
    void fallsBackToLogDir() {
        StorageSettings settings = StorageSettings.from(Map.of("log.dir", "/data/single",
                "log.retention.check.interval.ms", "1000", "log.segment.delete.delay.ms", "0",
                "log.flush.scheduler.interval.ms", "9223372036854775807"));

        assertThat(settings.logDirs()).containsExactly(Path.of("/data/single"));
        assertThat(settings.retentionCheckIntervalMs()).isEqualTo(1_000);
        assertThat(settings.segmentDeleteDelayMs()).isZero();
        assertThat(settings.flushCheckIntervalMs()).isEqualTo(Long.MAX_VALUE);
    }

    @Test
    void namesTheKeyThatIsWrong() {
        assertThatThrownBy(() -> StorageSettings.from(Map.of()))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("log.dirs");
        assertThatThrownBy(() -> StorageSettings.from(Map.of("log.dirs", "/d", "log.segment.delete.delay.ms", "soon")))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("log.segment.delete.delay.ms");
        assertThatThrownBy(() -> StorageSettings.from(Map.of("log.dirs", "/d", "log.retention.check.interval.ms", "-5")))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("log.retention.check.interval.ms");
    }
}
