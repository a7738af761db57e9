package io.memorystreamer.itests;

import static org.assertj.core.api.Assertions.assertThat;

import io.memorystreamer.itests.support.BrokerProcess;
import io.memorystreamer.itests.support.Clients;
import io.memorystreamer.itests.support.ToolRunner;
import io.memorystreamer.itests.support.ToolRunner.Result;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code kafka-consumer-groups} (kafka-tools' ConsumerGroupCommand) against the broker process:
 * listing groups of both protocols, describing offsets and lag, resetting offsets that a consumer
 * then resumes from, and deleting a group.
 */
class ConsumerGroupToolsIT {

    private static final String TOOL = "org.apache.kafka.tools.consumer.group.ConsumerGroupCommand";
    private static final int PARTITIONS = 3;
    private static final int RECORDS_PER_PARTITION = 10;
    private static final long COMMITTED = 4;

    @TempDir
    static Path work;

    static BrokerProcess broker;

    @BeforeAll
    static void startBroker() {
        broker = BrokerProcess.start(work, Map.of("group.initial.rebalance.delay.ms", "0"));
    }

    @AfterAll
    static void stopBroker() {
        broker.close();
    }

    @Test
    void listShowsGroupsOfBothProtocols() {
        // Given a group of each protocol that committed offsets
        String topic = givenTopicWithRecords("list-orders");
        consumeAndCommit("list-modern", topic, "consumer");
        consumeAndCommit("list-classic", topic, "classic");

        // When kafka-consumer-groups lists groups
        Result list = tool("--list");

        // Then both are there
        assertThat(list.exitCode()).as(list.stderr()).isZero();
        assertThat(list.stdout().lines()).contains("list-modern", "list-classic");
    }

    @Test
    void describeShowsEveryPartitionWithItsCurrentOffsetLogEndOffsetAndLag() {
        // Given a consumer group that committed offset 4 in each partition of a topic with 10 records each
        String topic = givenTopicWithRecords("describe-orders");
        consumeAndCommit("describe-group", topic, "consumer");

        // When kafka-consumer-groups describes it
        Result describe = tool("--describe", "--group", "describe-group");

        // Then each partition shows current offset 4, log end offset 10 and lag 6
        assertThat(describe.exitCode()).as(describe.stderr()).isZero();
        assertThat(describe.stdout()).contains("CURRENT-OFFSET").contains("LOG-END-OFFSET").contains("LAG");
        Map<Integer, List<String>> rows = partitionRows(describe.stdout(), "describe-group", topic);
        assertThat(rows).containsOnlyKeys(0, 1, 2);
        rows.values().forEach(columns -> assertThat(columns.subList(3, 6))
                .containsExactly(String.valueOf(COMMITTED), String.valueOf(RECORDS_PER_PARTITION),
                        String.valueOf(RECORDS_PER_PARTITION - COMMITTED)));
    }

    @Test
    void resetToEarliestThenToAnOffsetAndAConsumerResumesFromThere() throws Exception {
        // Given a consumer group that committed offset 4 in each partition
        String topic = givenTopicWithRecords("reset-orders");
        consumeAndCommit("reset-group", topic, "consumer");

        // When its offsets are reset to the earliest
        Result earliest = tool("--reset-offsets", "--group", "reset-group", "--topic", topic, "--to-earliest",
                "--execute");

        // Then every partition's committed offset is 0
        assertThat(earliest.exitCode()).as(earliest.stderr()).isZero();
        assertThat(committedOffsets("reset-group")).containsOnlyKeys(partitions(topic))
                .allSatisfy((partition, offset) -> assertThat(offset.offset()).isZero());

        // When they are reset to offset 7
        Result toOffset = tool("--reset-offsets", "--group", "reset-group", "--topic", topic, "--to-offset", "7",
                "--execute");

        // Then every partition's committed offset is 7, and a consumer of the group reads exactly 7, 8 and 9 of each
        assertThat(toOffset.exitCode()).as(toOffset.stderr()).isZero();
        assertThat(toOffset.stdout()).contains("NEW-OFFSET");
        assertThat(committedOffsets("reset-group")).allSatisfy(
                (partition, offset) -> assertThat(offset.offset()).isEqualTo(7));
        Map<Integer, List<Long>> read = readAll("reset-group", topic, PARTITIONS * 3);
        assertThat(read).containsOnlyKeys(0, 1, 2);
        read.values().forEach(offsets -> assertThat(offsets).containsExactly(7L, 8L, 9L));
    }

    @Test
    void deleteRemovesTheGroupAndItsOffsets() throws Exception {
        // Given a group without members that committed offsets
        String topic = givenTopicWithRecords("delete-orders");
        consumeAndCommit("delete-group", topic, "consumer");

        // When kafka-consumer-groups deletes it
        Result delete = tool("--delete", "--group", "delete-group");

        // Then it says so, the group is no longer listed and its offsets are gone
        assertThat(delete.exitCode()).as(delete.stderr()).isZero();
        assertThat(delete.stdout()).contains("Deletion of requested consumer groups ('delete-group') was successful.");
        assertThat(tool("--list").stdout().lines()).doesNotContain("delete-group");
        assertThat(committedOffsets("delete-group")).isEmpty();
    }

    // ---- helpers ----

    private static Result tool(String... args) {
        List<String> all = new ArrayList<>(List.of("--bootstrap-server", broker.bootstrap()));
        all.addAll(List.of(args));
        return ToolRunner.run(work, null, TOOL, all.toArray(String[]::new));
    }

    private static String givenTopicWithRecords(String topic) {
        Clients.createTopic(broker.bootstrap(), topic, PARTITIONS);
        try (KafkaProducer<byte[], byte[]> producer = Clients.producer(broker.bootstrap(), Map.of())) {
            for (int i = 0; i < RECORDS_PER_PARTITION; i++) {
                for (int p = 0; p < PARTITIONS; p++) {
                    producer.send(new ProducerRecord<>(topic, p, null, ("r" + i).getBytes(StandardCharsets.UTF_8)));
                }
            }
            producer.flush();
        }
        return topic;
    }

    /** A group member reads until it owns every partition, commits offset 4 in each, and leaves. */
    private static void consumeAndCommit(String group, String topic, String protocol) {
        Map<String, Object> config = Map.of(
                ConsumerConfig.GROUP_ID_CONFIG, group,
                ConsumerConfig.GROUP_PROTOCOL_CONFIG, protocol);
        try (KafkaConsumer<byte[], byte[]> consumer = Clients.consumer(broker.bootstrap(), config)) {
            consumer.subscribe(List.of(topic));
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
            while (consumer.assignment().size() < PARTITIONS && System.nanoTime() < deadline) {
                consumer.poll(Duration.ofMillis(100));
            }
            assertThat(consumer.assignment()).hasSize(PARTITIONS);
            Map<TopicPartition, OffsetAndMetadata> offsets = new HashMap<>();
            for (TopicPartition partition : partitions(topic)) {
                offsets.put(partition, new OffsetAndMetadata(COMMITTED));
            }
            consumer.commitSync(offsets);
        }
    }

    /** The group's consumer reads {@code expected} records (or until a timeout), by partition. */
    private static Map<Integer, List<Long>> readAll(String group, String topic, int expected) {
        Map<String, Object> config = Map.of(
                ConsumerConfig.GROUP_ID_CONFIG, group,
                ConsumerConfig.GROUP_PROTOCOL_CONFIG, "consumer",
                ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "none");
        Map<Integer, List<Long>> read = new TreeMap<>();
        int count = 0;
        try (KafkaConsumer<byte[], byte[]> consumer = Clients.consumer(broker.bootstrap(), config)) {
            consumer.subscribe(List.of(topic));
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
            while (count < expected && System.nanoTime() < deadline) {
                for (ConsumerRecord<byte[], byte[]> record : consumer.poll(Duration.ofMillis(200))) {
                    read.computeIfAbsent(record.partition(), p -> new ArrayList<>()).add(record.offset());
                    count++;
                }
            }
        }
        return read;
    }

    private static Map<TopicPartition, OffsetAndMetadata> committedOffsets(String group) throws Exception {
        try (Admin admin = Clients.admin(broker.bootstrap())) {
            return admin.listConsumerGroupOffsets(group).partitionsToOffsetAndMetadata().get();
        }
    }

    private static List<TopicPartition> partitions(String topic) {
        List<TopicPartition> partitions = new ArrayList<>();
        for (int p = 0; p < PARTITIONS; p++) {
            partitions.add(new TopicPartition(topic, p));
        }
        return partitions;
    }

    /** The describe table's rows of one group and topic, by partition: whitespace-separated columns. */
    private static Map<Integer, List<String>> partitionRows(String output, String group, String topic) {
        Map<Integer, List<String>> rows = new TreeMap<>();
        output.lines().map(String::trim).filter(line -> line.startsWith(group + " ")).forEach(line -> {
            List<String> columns = List.of(line.split("\\s+"));
            if (columns.size() >= 6 && columns.get(1).equals(topic)) {
                rows.put(Integer.valueOf(columns.get(2)), columns);
            }
        });
        return rows;
    }
}
