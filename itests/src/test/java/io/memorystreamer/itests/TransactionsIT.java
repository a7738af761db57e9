package io.memorystreamer.itests;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.memorystreamer.itests.support.BrokerProcess;
import io.memorystreamer.itests.support.Clients;
import io.memorystreamer.itests.support.ToolRunner;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.TransactionDescription;
import org.apache.kafka.clients.admin.TransactionListing;
import org.apache.kafka.clients.admin.TransactionState;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.ProducerFencedException;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Transactions with the official Kafka producer and consumer against the broker process:
 * read_committed consumers see committed records and never aborted or open ones, a zombie
 * producer is fenced, a transaction past its timeout is aborted, and all of it holds across a
 * restart.
 */
class TransactionsIT {

    private static final int PARTITIONS = 3;
    /** The coordinator looks for timed out transactions often, so the timeout test runs fast. */
    private static final Map<String, String> BROKER_CONFIG = Map.of(
            "transaction.abort.timed.out.transaction.cleanup.interval.ms", "500");

    @TempDir
    static Path work;

    static BrokerProcess broker;

    @BeforeAll
    static void startBroker() {
        broker = BrokerProcess.start(work.resolve("shared"), BROKER_CONFIG);
    }

    @AfterAll
    static void stopBroker() {
        broker.close();
    }

    @Test
    void readCommittedSeesCommittedRecordsAndNeverAbortedOnes() {
        // Given transactions that commit, abort, then commit again across every partition
        String topic = "ledger";
        Clients.createTopic(broker.bootstrap(), topic, PARTITIONS);
        try (KafkaProducer<byte[], byte[]> producer = transactionalProducer("ledger-writer", Map.of())) {
            producer.initTransactions();
            sendInTransaction(producer, topic, "first", 30, true);
            sendInTransaction(producer, topic, "aborted", 20, false);
            sendInTransaction(producer, topic, "second", 30, true);
        }

        // When read_committed and read_uncommitted consumers read everything
        List<String> committed = readAll(topic, "read_committed", 60);
        List<String> uncommitted = readAll(topic, "read_uncommitted", 80);

        // Then read_committed sees exactly the committed records; read_uncommitted sees the aborted ones too
        assertThat(committed).hasSize(60).allSatisfy(value -> assertThat(value).doesNotStartWith("aborted"));
        assertThat(committed).containsAll(values("first", 30)).containsAll(values("second", 30));
        assertThat(uncommitted).hasSize(80).containsAll(values("aborted", 20));
    }

    @Test
    void anOpenTransactionIsInvisibleToReadCommittedUntilItCommits() throws Exception {
        // Given an open transaction whose records reached the broker
        String topic = "pending";
        Clients.createTopic(broker.bootstrap(), topic, 1);
        TopicPartition partition = new TopicPartition(topic, 0);
        try (KafkaProducer<byte[], byte[]> producer = transactionalProducer("pending-writer", Map.of())) {
            producer.initTransactions();
            producer.beginTransaction();
            for (int i = 0; i < 5; i++) {
                producer.send(record(topic, 0, "open-" + i));
            }
            producer.flush();

            // Then read_committed's end is still 0 while read_uncommitted sees 5 records
            assertThat(endOffset(partition, "read_committed")).isZero();
            assertThat(endOffset(partition, "read_uncommitted")).isEqualTo(5L);

            // When it commits, read_committed reads every record (the end includes the marker)
            producer.commitTransaction();
        }
        assertThat(endOffset(partition, "read_committed")).isEqualTo(6L);
        assertThat(readAll(topic, "read_committed", 5)).containsExactlyElementsOf(values("open", 5));
    }

    @Test
    void aZombieProducerWithAnOldEpochIsFenced() {
        // Given a producer with an open transaction
        String topic = "fenced";
        Clients.createTopic(broker.bootstrap(), topic, 1);
        try (KafkaProducer<byte[], byte[]> zombie = transactionalProducer("fenced-writer", Map.of())) {
            zombie.initTransactions();
            zombie.beginTransaction();
            zombie.send(record(topic, 0, "zombie-1"));
            zombie.flush();

            // When a new instance with the same transactional id starts and commits its own records
            try (KafkaProducer<byte[], byte[]> successor = transactionalProducer("fenced-writer", Map.of())) {
                successor.initTransactions();
                sendInTransaction(successor, topic, "successor", 3, true);

                // Then the zombie cannot commit: it is fenced
                assertThatThrownBy(zombie::commitTransaction).isInstanceOf(ProducerFencedException.class);
            }
        }

        // And read_committed sees only the successor's records
        assertThat(readAll(topic, "read_committed", 3)).containsExactlyElementsOf(values("successor", 3));
    }

    @Test
    void aTransactionPastItsTimeoutIsAbortedByTheBroker() {
        // Given a producer whose transaction (timeout 2 s) holds records and is never ended
        String topic = "timeout";
        Clients.createTopic(broker.bootstrap(), topic, 1);
        TopicPartition partition = new TopicPartition(topic, 0);
        try (KafkaProducer<byte[], byte[]> producer = transactionalProducer("slow-writer",
                Map.of(ProducerConfig.TRANSACTION_TIMEOUT_CONFIG, 2_000))) {
            producer.initTransactions();
            producer.beginTransaction();
            producer.send(record(topic, 0, "abandoned"));
            producer.flush();

            // When the timeout passes, the broker aborts it: read_committed moves past the marker
            await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(200))
                    .until(() -> endOffset(partition, "read_committed") == 2L);

            // Then the producer's commit fails and its records are never visible
            assertThatThrownBy(producer::commitTransaction).isInstanceOf(ProducerFencedException.class);
        }
        assertThat(readAll(topic, "read_committed", 0)).isEmpty();
    }

    @Test
    void transactionsAreDescribedAndAbortedOnesStayHiddenAfterARestart() throws Exception {
        // Given a committed and an aborted transaction
        String topic = "durable-tx";
        Clients.createTopic(broker.bootstrap(), topic, PARTITIONS);
        try (KafkaProducer<byte[], byte[]> producer = transactionalProducer("durable-writer", Map.of())) {
            producer.initTransactions();
            sendInTransaction(producer, topic, "kept", 12, true);
            sendInTransaction(producer, topic, "dropped", 12, false);
        }
        try (Admin admin = Clients.admin(broker.bootstrap())) {
            assertThat(admin.listTransactions().all().get()).extracting(TransactionListing::transactionalId)
                    .contains("durable-writer");
        }

        // When the broker restarts
        assertThat(broker.stop()).isZero();
        broker.restart();

        // Then read_committed still sees only the committed records, and the coordinator still
        // knows the transactional id and its last outcome
        assertThat(readAll(topic, "read_committed", 12)).containsExactlyInAnyOrderElementsOf(values("kept", 12));
        try (Admin admin = Clients.admin(broker.bootstrap())) {
            TransactionDescription description = admin.describeTransactions(List.of("durable-writer")).all().get()
                    .get("durable-writer");
            assertThat(description.state()).isEqualTo(TransactionState.COMPLETE_ABORT);
        }
        ToolRunner.Result producers = ToolRunner.run(work, null, "org.apache.kafka.tools.TransactionsCommand",
                "--bootstrap-server", broker.bootstrap(), "describe-producers", "--topic", topic, "--partition", "0");
        assertThat(producers.exitCode()).as(producers.stderr()).isZero();
    }

    private static KafkaProducer<byte[], byte[]> transactionalProducer(String transactionalId,
            Map<String, Object> overrides) {
        Map<String, Object> config = new HashMap<>(overrides);
        config.put(ProducerConfig.TRANSACTIONAL_ID_CONFIG, transactionalId);
        config.put(ProducerConfig.MAX_BLOCK_MS_CONFIG, 30_000);
        return Clients.producer(broker.bootstrap(), config);
    }

    private static void sendInTransaction(KafkaProducer<byte[], byte[]> producer, String topic, String prefix,
            int count, boolean commit) {
        producer.beginTransaction();
        for (int i = 0; i < count; i++) {
            producer.send(record(topic, i % partitionsOf(topic), prefix + "-" + i));
        }
        if (commit) {
            producer.commitTransaction();
        } else {
            producer.flush();
            producer.abortTransaction();
        }
    }

    private static int partitionsOf(String topic) {
        return topic.equals("ledger") || topic.equals("durable-tx") ? PARTITIONS : 1;
    }

    private static ProducerRecord<byte[], byte[]> record(String topic, int partition, String value) {
        return new ProducerRecord<>(topic, partition, null, value.getBytes(StandardCharsets.UTF_8));
    }

    private static List<String> values(String prefix, int count) {
        List<String> values = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            values.add(prefix + "-" + i);
        }
        return values;
    }

    private static long endOffset(TopicPartition partition, String isolation) {
        try (KafkaConsumer<byte[], byte[]> consumer = Clients.consumer(broker.bootstrap(),
                Map.of(ConsumerConfig.ISOLATION_LEVEL_CONFIG, isolation))) {
            return consumer.endOffsets(List.of(partition)).get(partition);
        }
    }

    /** Reads every partition of a topic from the start up to its end for this isolation level. */
    private static List<String> readAll(String topic, String isolation, int expected) {
        List<String> values = new ArrayList<>();
        try (KafkaConsumer<byte[], byte[]> consumer = Clients.consumer(broker.bootstrap(),
                Map.of(ConsumerConfig.ISOLATION_LEVEL_CONFIG, isolation))) {
            List<TopicPartition> partitions = consumer.partitionsFor(topic).stream()
                    .map(info -> new TopicPartition(topic, info.partition())).toList();
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            Map<TopicPartition, Long> ends = consumer.endOffsets(partitions);
            long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
            while (!reached(consumer, ends) && System.nanoTime() < deadline) {
                for (ConsumerRecord<byte[], byte[]> record : consumer.poll(Duration.ofMillis(200))) {
                    values.add(new String(record.value(), StandardCharsets.UTF_8));
                }
            }
            assertThat(reached(consumer, ends)).as("read %s of %s to its end", isolation, topic).isTrue();
        }
        assertThat(values).as("records read with %s", isolation).hasSizeGreaterThanOrEqualTo(expected);
        return values;
    }

    private static boolean reached(KafkaConsumer<byte[], byte[]> consumer, Map<TopicPartition, Long> ends) {
        return ends.entrySet().stream().allMatch(end -> consumer.position(end.getKey()) >= end.getValue());
    }
}
