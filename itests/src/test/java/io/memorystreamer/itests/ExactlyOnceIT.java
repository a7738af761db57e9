package io.memorystreamer.itests;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.memorystreamer.itests.support.BrokerProcess;
import io.memorystreamer.itests.support.Clients;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A consume-transform-produce pipeline with the official clients ({@code sendOffsetsToTransaction},
 * read_committed) in its own process, killed with SIGKILL mid-stream and started again: every
 * input record is in the output exactly once, and the group's committed offsets reach the end of
 * the input.
 */
class ExactlyOnceIT {

    private static final int PARTITIONS = 3;
    private static final int RECORDS = 3_000;
    private static final String INPUT = "eos-input";
    private static final String OUTPUT = "eos-output";
    private static final String GROUP = "eos-copier";
    private static final String TRANSACTIONAL_ID = "eos-copier-tx";
    /** Short sessions, so the killed pipeline's consumer leaves the group quickly. */
    private static final Map<String, String> BROKER_CONFIG = Map.of(
            "group.initial.rebalance.delay.ms", "0",
            "group.min.session.timeout.ms", "1000");

    @TempDir
    static Path work;

    static BrokerProcess broker;

    @BeforeAll
    static void startBroker() {
        broker = BrokerProcess.start(work.resolve("broker"), BROKER_CONFIG);
    }

    @AfterAll
    static void stopBroker() {
        broker.close();
    }

    @Test
    void aPipelineKilledMidStreamCopiesEveryRecordExactlyOnce() throws Exception {
        // Given an input topic with 3000 records
        Clients.createTopic(broker.bootstrap(), INPUT, PARTITIONS);
        Clients.createTopic(broker.bootstrap(), OUTPUT, PARTITIONS);
        try (KafkaProducer<byte[], byte[]> producer = Clients.producer(broker.bootstrap(), Map.of())) {
            for (int i = 0; i < RECORDS; i++) {
                producer.send(new ProducerRecord<>(INPUT, i % PARTITIONS, null, bytes("record-" + i)));
            }
        }

        // When a pipeline copies part of it and is killed with SIGKILL, and a new one takes over
        Process first = startPipeline("first");
        try {
            await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(200))
                    .until(() -> committedOutput() >= RECORDS / 5);
        } finally {
            first.destroyForcibly().waitFor(30, TimeUnit.SECONDS);
        }
        Process second = startPipeline("second");
        try {
            await().atMost(Duration.ofSeconds(120)).pollInterval(Duration.ofMillis(500))
                    .until(() -> committedOffsets() == RECORDS);

            // Then the output holds every input record exactly once
            List<String> output = readCommitted(OUTPUT);
            assertThat(output).hasSize(RECORDS);
            Set<String> expected = new HashSet<>();
            for (int i = 0; i < RECORDS; i++) {
                expected.add("copy-record-" + i);
            }
            assertThat(new HashSet<>(output)).isEqualTo(expected);
        } finally {
            second.destroyForcibly().waitFor(30, TimeUnit.SECONDS);
        }
    }

    /** The pipeline: consume, transform, produce, and commit the input offsets in the same transaction. */
    public static final class Pipeline {

        public static void main(String[] args) {
            String bootstrap = args[0];
            Map<String, Object> consumerConfig = new HashMap<>();
            consumerConfig.put(ConsumerConfig.GROUP_ID_CONFIG, GROUP);
            consumerConfig.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
            consumerConfig.put(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, 50);
            consumerConfig.put(ConsumerConfig.SESSION_TIMEOUT_MS_CONFIG, 3_000);
            consumerConfig.put(ConsumerConfig.HEARTBEAT_INTERVAL_MS_CONFIG, 500);
            consumerConfig.put(ConsumerConfig.MAX_POLL_INTERVAL_MS_CONFIG, 10_000);
            Map<String, Object> producerConfig = Map.of(ProducerConfig.TRANSACTIONAL_ID_CONFIG, TRANSACTIONAL_ID);
            try (KafkaConsumer<byte[], byte[]> consumer = Clients.consumer(bootstrap, consumerConfig);
                    KafkaProducer<byte[], byte[]> producer = Clients.producer(bootstrap, producerConfig)) {
                producer.initTransactions();
                consumer.subscribe(List.of(INPUT));
                while (true) {
                    ConsumerRecords<byte[], byte[]> records = consumer.poll(Duration.ofMillis(200));
                    if (records.isEmpty()) {
                        continue;
                    }
                    producer.beginTransaction();
                    Map<TopicPartition, OffsetAndMetadata> offsets = new HashMap<>();
                    for (ConsumerRecord<byte[], byte[]> record : records) {
                        String copy = "copy-" + new String(record.value(), StandardCharsets.UTF_8);
                        producer.send(new ProducerRecord<>(OUTPUT, record.partition(), null, bytes(copy)));
                        offsets.put(new TopicPartition(record.topic(), record.partition()),
                                new OffsetAndMetadata(record.offset() + 1));
                    }
                    producer.sendOffsetsToTransaction(offsets, consumer.groupMetadata());
                    producer.commitTransaction();
                }
            }
        }
    }

    private static Process startPipeline(String name) throws IOException {
        Path log = work.resolve("pipeline-" + name + ".log");
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        command.add("-Xmx256m");
        command.add("-cp");
        command.add(System.getProperty("java.class.path"));
        command.add(Pipeline.class.getName());
        command.add(broker.bootstrap());
        return new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile()).start();
    }

    /** Records of committed transactions in the output (read_committed end offsets minus markers). */
    private static long committedOutput() {
        return readCommitted(OUTPUT).size();
    }

    private static long committedOffsets() throws Exception {
        try (Admin admin = Clients.admin(broker.bootstrap())) {
            return admin.listConsumerGroupOffsets(GROUP).partitionsToOffsetAndMetadata().get().values().stream()
                    .mapToLong(OffsetAndMetadata::offset).sum();
        }
    }

    private static List<String> readCommitted(String topic) {
        List<String> values = new ArrayList<>();
        try (KafkaConsumer<byte[], byte[]> consumer = Clients.consumer(broker.bootstrap(),
                Map.of(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed"))) {
            List<TopicPartition> partitions = new ArrayList<>();
            for (int p = 0; p < PARTITIONS; p++) {
                partitions.add(new TopicPartition(topic, p));
            }
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            Map<TopicPartition, Long> ends = consumer.endOffsets(partitions);
            long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
            while (!reached(consumer, ends) && System.nanoTime() < deadline) {
                consumer.poll(Duration.ofMillis(200)).forEach(record -> values.add(
                        new String(record.value(), StandardCharsets.UTF_8)));
            }
        }
        return values;
    }

    private static boolean reached(KafkaConsumer<byte[], byte[]> consumer, Map<TopicPartition, Long> ends) {
        return ends.entrySet().stream().allMatch(end -> consumer.position(end.getKey()) >= end.getValue());
    }

    private static byte[] bytes(String value) {
        return value.getBytes(StandardCharsets.UTF_8);
    }
}
