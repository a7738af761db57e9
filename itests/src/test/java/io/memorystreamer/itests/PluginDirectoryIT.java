package io.memorystreamer.itests;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.memorystreamer.itests.support.BrokerProcess;
import io.memorystreamer.itests.support.Clients;
import io.memorystreamer.itests.support.TestBundles;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A jar dropped into plugins/ of a running broker is installed, and a newer one updates it live. */
class PluginDirectoryIT {

    private static final String HARMLESS = "io.memorystreamer.itests.harmless";

    @TempDir
    Path work;

    BrokerProcess broker;

    @AfterEach
    void close() {
        if (broker != null) {
            broker.close();
        }
    }

    @Test
    void droppedBundleIsInstalledThenUpdatedWhileServing() throws Exception {
        // Given a running broker with a producer connected
        broker = BrokerProcess.start(work, Map.of("plugin.dir.poll.interval.ms", "200"));
        Path jar = broker.home().resolve("plugins/harmless.jar");
        try (KafkaProducer<byte[], byte[]> producer = Clients.producer(broker.bootstrap(), Map.of())) {
            producer.send(new ProducerRecord<>("live", "before".getBytes(StandardCharsets.UTF_8))).get();

            // When a new bundle is dropped into plugins/
            TestBundles.writeBundle(jar, HARMLESS, "1.0.0");

            // Then the kernel installs it
            await().atMost(Duration.ofSeconds(30))
                    .until(() -> !broker.logLines("Installed plugin bundle " + HARMLESS + " 1.0.0").isEmpty());

            // When a newer version replaces the jar
            TestBundles.writeBundle(jar, HARMLESS, "2.0.0");

            // Then Felix updates the bundle in place
            await().atMost(Duration.ofSeconds(30))
                    .until(() -> !broker.logLines("Updated plugin bundle " + HARMLESS + " 1.0.0 -> 2.0.0").isEmpty());

            // And the broker kept serving the connected producer throughout
            long offset = producer.send(new ProducerRecord<>("live", "after".getBytes(StandardCharsets.UTF_8))).get().offset();
            assertThat(offset).isEqualTo(1);
        }
        assertThat(broker.isAlive()).isTrue();
    }
}
