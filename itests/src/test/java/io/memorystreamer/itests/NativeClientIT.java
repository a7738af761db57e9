package io.memorystreamer.itests;

import static org.assertj.core.api.Assertions.assertThat;

import io.memorystreamer.itests.support.BrokerProcess;
import io.memorystreamer.itests.support.Clients;
import io.memorystreamer.itests.support.Kcat;
import io.memorystreamer.itests.support.ToolRunner.Result;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * librdkafka's kcat against the broker process: a client with its own choice of protocol
 * versions (ListOffsets v2, Fetch v11, Produce v7, ...), compression codecs, the idempotent
 * producer, consumer groups, offset queries and metadata. CI installs kcat; elsewhere the class is
 * skipped when kcat is missing.
 */
class NativeClientIT {

    @TempDir
    static Path work;

    static BrokerProcess broker;

    @BeforeAll
    static void startBroker() {
        boolean installed = Kcat.installed();
        if (!installed && System.getenv("CI") != null) {
            throw new AssertionError("kcat is not installed; .ci/run installs it (apt-get install kcat)");
        }
        Assumptions.assumeTrue(installed, "kcat is not installed (Debian: apt-get install kcat)");
        broker = BrokerProcess.start(work);
    }

    @AfterAll
    static void stopBroker() {
        if (broker != null) {
            List<String> dropped = broker.logLines("Closing connection");
            broker.close();
            // No request of this client's versions made the broker drop a connection
            assertThat(dropped).isEmpty();
        }
    }

    private static Result kcat(String stdin, String... args) {
        Result result = Kcat.run(work, broker.bootstrap(), stdin, args);
        assertThat(result.exitCode()).as("kcat %s: %s", String.join(" ", args), result.stderr()).isZero();
        return result;
    }

    private static String keyedLines(String prefix, int count) {
        return IntStream.range(0, count).mapToObj(i -> "k" + i + ":" + prefix + i)
                .collect(Collectors.joining("\n", "", "\n"));
    }

    @ParameterizedTest
    @ValueSource(strings = {"none", "gzip", "snappy", "lz4", "zstd"})
    void producesAndConsumesWithEveryCodec(String codec) {
        // Given a three-partition topic
        String topic = "native-" + codec;
        Clients.createTopic(broker.bootstrap(), topic, 3);

        // When kcat produces 500 keyed records compressed with the codec, acks=all
        kcat(keyedLines(codec + "-", 500), "-P", "-t", topic, "-K", ":", "-z", codec, "-X", "acks=all");

        // Then reading the topic back gives every record once, with its key
        List<String> read = kcat(null, "-C", "-t", topic, "-o", "beginning", "-e", "-q", "-f", "%k=%s\\n").stdout()
                .lines().toList();
        assertThat(read).hasSize(500).doesNotHaveDuplicates()
                .contains("k0=" + codec + "-0", "k499=" + codec + "-499");
    }

    @Test
    void idempotentProducerStoresEachRecordOnce() {
        // Given a one-partition topic
        Clients.createTopic(broker.bootstrap(), "native-idempotent", 1);

        // When an idempotent producer sends 2,000 records
        kcat(keyedLines("v", 2_000), "-P", "-t", "native-idempotent", "-p", "0", "-K", ":",
                "-X", "enable.idempotence=true");

        // Then the partition ends at offset 2,000 (ListOffsets at librdkafka's version)
        assertThat(kcat(null, "-Q", "-t", "native-idempotent:0:-1").stdout())
                .contains("native-idempotent [0] offset 2000");
    }

    @Test
    void offsetQueriesFindTheStartTheEndAndATimestamp() {
        // Given 100 records
        Clients.createTopic(broker.bootstrap(), "native-offsets", 1);
        long before = System.currentTimeMillis();
        kcat(keyedLines("v", 100), "-P", "-t", "native-offsets", "-p", "0", "-K", ":");

        // When querying by timestamp: 0 (the first record), -1 (the end), and a time after the records
        Result start = kcat(null, "-Q", "-t", "native-offsets:0:" + before);
        Result end = kcat(null, "-Q", "-t", "native-offsets:0:-1");
        Result later = kcat(null, "-Q", "-t", "native-offsets:0:" + (System.currentTimeMillis() + 60_000));

        // Then they are offset 0, offset 100, and no record (-1)
        assertThat(start.stdout()).contains("native-offsets [0] offset 0");
        assertThat(end.stdout()).contains("native-offsets [0] offset 100");
        assertThat(later.stdout()).contains("native-offsets [0] offset -1");
    }

    @Test
    void consumerGroupCommitsAndResumes() {
        // Given 300 records on a three-partition topic
        Clients.createTopic(broker.bootstrap(), "native-group", 3);
        kcat(keyedLines("first-", 300), "-P", "-t", "native-group", "-K", ":");

        // When a kcat group member reads to the end, 200 more records arrive, and a new member of
        // the same group reads to the end
        List<String> first = groupRead("native-readers", "native-group");
        kcat(keyedLines("second-", 200), "-P", "-t", "native-group", "-K", ":");
        List<String> second = groupRead("native-readers", "native-group");

        // Then the first read gets all 300 and the second only the 200 after the committed offsets
        assertThat(first).hasSize(300).allMatch(value -> value.startsWith("first-"));
        assertThat(second).hasSize(200).allMatch(value -> value.startsWith("second-"));
    }

    private static List<String> groupRead(String group, String topic) {
        // kcat leaves the group when every assigned partition is read to its end, committing on close
        return kcat(null, "-G", group, "-X", "auto.offset.reset=earliest", "-X", "enable.auto.commit=true",
                "-e", "-q", "-f", "%s\\n", topic).stdout().lines().toList();
    }

    @Test
    void metadataListsTheBrokerAndTheTopic() {
        // Given a two-partition topic
        Clients.createTopic(broker.bootstrap(), "native-metadata", 2);

        // When kcat lists the cluster's metadata as JSON
        String json = kcat(null, "-L", "-J", "-t", "native-metadata").stdout();

        // Then it names this broker (node 1 at its advertised address) and both partitions, led by it
        assertThat(json).contains("\"brokers\":[{\"id\":1,\"name\":\"" + broker.bootstrap() + "\"}]")
                .contains("\"topic\":\"native-metadata\"")
                .contains("{\"partition\":0,\"leader\":1,").contains("{\"partition\":1,\"leader\":1,");
    }
}
