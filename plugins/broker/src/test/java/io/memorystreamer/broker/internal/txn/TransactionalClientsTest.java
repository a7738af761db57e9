package io.memorystreamer.broker.internal.txn;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.memorystreamer.broker.internal.support.BlockingSocketServer;
import io.memorystreamer.broker.internal.support.BrokerFixture;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.admin.TransactionListing;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerGroupMetadata;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.IsolationLevel;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.ProducerFencedException;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The official Kafka 4.4 transactional producer and read_committed consumer against the broker runtime. */
class TransactionalClientsTest {

    @TempDir
    static Path dir;

    static BrokerFixture broker;
    static BlockingSocketServer server;
    static Admin admin;

    @BeforeAll
    static void start() throws Exception {
        broker = BrokerFixture.start(dir, Map.of("group.initial.rebalance.delay.ms", "0"));
        server = new BlockingSocketServer(broker.frameHandler());
        admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, server.bootstrap()));
        admin.createTopics(List.of(new NewTopic("tx-out", 2, (short) 1), new NewTopic("tx-in", 1, (short) 1),
                new NewTopic("tx-copies", 1, (short) 1)))
                .all().get();
    }

    @AfterAll
    static void stop() {
        admin.close(Duration.ofSeconds(5));
        server.close();
        broker.close();
    }

    @Test
    void readCommittedSeesCommittedRecordsOnlyAndAZombieIsFenced() throws Exception {
        // Given a transactional producer that commits one transaction and aborts another
        try (KafkaProducer<String, String> producer = producer("clients-tx")) {
            producer.initTransactions();
            producer.beginTransaction();
            producer.send(new ProducerRecord<>("tx-out", 0, null, "committed-1"));
            producer.send(new ProducerRecord<>("tx-out", 1, null, "committed-2"));
            producer.commitTransaction();
            producer.beginTransaction();
            producer.send(new ProducerRecord<>("tx-out", 0, null, "aborted-1"));
            producer.flush();
            producer.abortTransaction();

            // When a second instance with the same transactional id starts
            try (KafkaProducer<String, String> successor = producer("clients-tx")) {
                successor.initTransactions();

                // Then the first instance is fenced
                producer.beginTransaction();
                producer.send(new ProducerRecord<>("tx-out", 0, null, "zombie"));
                assertThatThrownBy(producer::commitTransaction).isInstanceOf(ProducerFencedException.class);
            }
        }

        // And read_committed sees the committed records only, read_uncommitted the aborted one too
        assertThat(readAll("tx-out", IsolationLevel.READ_COMMITTED, 2))
                .containsExactlyInAnyOrder("committed-1", "committed-2");
        assertThat(readAll("tx-out", IsolationLevel.READ_UNCOMMITTED, 3))
                .containsExactlyInAnyOrder("committed-1", "committed-2", "aborted-1");
        assertThat(admin.listTransactions().all().get()).extracting(TransactionListing::transactionalId)
                .contains("clients-tx");
    }

    @Test
    void offsetsSentToATransactionAreCommittedWithIt() throws Exception {
        // Given a consumer group member that read the input
        try (KafkaProducer<String, String> input = new KafkaProducer<>(Map.of(
                ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, server.bootstrap()), new StringSerializer(),
                new StringSerializer())) {
            input.send(new ProducerRecord<>("tx-in", "a")).get();
            input.send(new ProducerRecord<>("tx-in", "b")).get();
        }
        Map<String, Object> consumerConfig = consumerConfig(IsolationLevel.READ_COMMITTED);
        consumerConfig.put(ConsumerConfig.GROUP_ID_CONFIG, "copier");
        try (KafkaConsumer<String, String> consumer = new KafkaConsumer<>(consumerConfig, new StringDeserializer(),
                new StringDeserializer());
                KafkaProducer<String, String> producer = producer("copier-tx")) {
            consumer.subscribe(List.of("tx-in"));
            List<ConsumerRecord<String, String>> records = new ArrayList<>();
            long deadline = System.currentTimeMillis() + 20_000;
            while (records.size() < 2 && System.currentTimeMillis() < deadline) {
                consumer.poll(Duration.ofMillis(200)).forEach(records::add);
            }
            producer.initTransactions();

            // When a transaction copies them and sends the consumer's position with it
            producer.beginTransaction();
            records.forEach(r -> producer.send(new ProducerRecord<>("tx-copies", "copy-" + r.value())));
            ConsumerGroupMetadata group = consumer.groupMetadata();
            producer.sendOffsetsToTransaction(Map.of(new TopicPartition("tx-in", 0), new OffsetAndMetadata(2L)), group);
            producer.commitTransaction();
        }

        // Then the group's committed offset is the one sent
        Map<TopicPartition, OffsetAndMetadata> committed = admin.listConsumerGroupOffsets("copier")
                .partitionsToOffsetAndMetadata().get();
        assertThat(committed.get(new TopicPartition("tx-in", 0)).offset()).isEqualTo(2L);
    }

    private static KafkaProducer<String, String> producer(String transactionalId) {
        return new KafkaProducer<>(Map.of(
                ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, server.bootstrap(),
                ProducerConfig.TRANSACTIONAL_ID_CONFIG, transactionalId,
                ProducerConfig.MAX_BLOCK_MS_CONFIG, 20_000),
                new StringSerializer(), new StringSerializer());
    }

    private static Map<String, Object> consumerConfig(IsolationLevel isolation) {
        Map<String, Object> config = new HashMap<>();
        config.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, server.bootstrap());
        config.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        config.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
        config.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, isolation.toString().toLowerCase(Locale.ROOT));
        return config;
    }

    private static List<String> readAll(String topic, IsolationLevel isolation, int expected) {
        List<String> values = new ArrayList<>();
        try (KafkaConsumer<String, String> consumer = new KafkaConsumer<>(consumerConfig(isolation),
                new StringDeserializer(), new StringDeserializer())) {
            Set<TopicPartition> partitions = Set.of(new TopicPartition(topic, 0), new TopicPartition(topic, 1));
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            long deadline = System.currentTimeMillis() + 10_000;
            while (System.currentTimeMillis() < deadline) {
                consumer.poll(Duration.ofMillis(200)).forEach(record -> values.add(record.value()));
                if (values.size() >= expected && consumer.position(new TopicPartition(topic, 0)) > 0) {
                    // One more poll: anything beyond the expected records would show up.
                    consumer.poll(Duration.ofMillis(300)).forEach(record -> values.add(record.value()));
                    break;
                }
            }
        }
        return values;
    }
}
