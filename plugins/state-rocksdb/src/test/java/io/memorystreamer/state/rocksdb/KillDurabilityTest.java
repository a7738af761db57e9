package io.memorystreamer.state.rocksdb;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.InstanceOfAssertFactories.BYTE_ARRAY;

import io.memorystreamer.spi.state.StateNamespace;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Kills a writing JVM with SIGKILL (no close, no shutdown hooks) and checks that every write it
 * acknowledged is there after reopening, and that the batch in flight is all or nothing.
 */
class KillDurabilityTest {

    private static final int ACKNOWLEDGED_BEFORE_KILL = 100;

    @TempDir
    Path directory;

    @Test
    void acknowledgedWritesSurviveAKill() throws Exception {
        // Given: a child JVM writing and acknowledging
        Path state = directory.resolve("state");
        Path errors = directory.resolve("writer.err");
        Process writer = new ProcessBuilder(
                        Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                        "--enable-native-access=ALL-UNNAMED",
                        "-cp", System.getProperty("java.class.path"),
                        AcknowledgingWriter.class.getName(), state.toString())
                .redirectError(errors.toFile())
                .start();
        int lastAcknowledged = -1;
        try (BufferedReader out = new BufferedReader(
                new InputStreamReader(writer.getInputStream(), StandardCharsets.US_ASCII))) {
            String line;
            while (lastAcknowledged < ACKNOWLEDGED_BEFORE_KILL && (line = out.readLine()) != null) {
                lastAcknowledged = index(line);
            }
            // When: killed in the middle of writing (through its handle, which unlike
            // Process.destroyForcibly leaves the pipe open for the last acknowledgements)
            writer.toHandle().destroyForcibly();
            while ((line = out.readLine()) != null) {
                lastAcknowledged = index(line);
            }
            assertThat(writer.waitFor(60, TimeUnit.SECONDS)).isTrue();
        }
        assertThat(lastAcknowledged)
                .as("writer output; its stderr: %s", Files.readString(errors))
                .isGreaterThanOrEqualTo(ACKNOWLEDGED_BEFORE_KILL);

        // Then
        RocksDbStateStore store = new RocksDbStateStore(Map.of("state.dir", state.toString()));
        try {
            StateNamespace single = store.namespace("single");
            StateNamespace left = store.namespace("left");
            StateNamespace right = store.namespace("right");
            for (int i = 0; i <= lastAcknowledged; i++) {
                byte[] key = AcknowledgingWriter.key(i);
                assertThat(single.get(key)).as("single %d", i).get(BYTE_ARRAY).isEqualTo(key);
                assertThat(left.get(key)).as("left %d", i).get(BYTE_ARRAY).isEqualTo(key);
                assertThat(right.get(key)).as("right %d", i).get(BYTE_ARRAY).isEqualTo(key);
            }
            byte[] inFlight = AcknowledgingWriter.key(lastAcknowledged + 1);
            assertThat(left.get(inFlight).isPresent()).as("batch in flight is atomic")
                    .isEqualTo(right.get(inFlight).isPresent());
        } finally {
            store.deactivate();
        }
    }

    private static int index(String line) {
        return Integer.parseInt(line.substring("acknowledged ".length()));
    }
}
