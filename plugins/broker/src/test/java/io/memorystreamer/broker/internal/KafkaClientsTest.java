package io.memorystreamer.broker.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.memorystreamer.broker.internal.support.BlockingSocketServer;
import io.memorystreamer.broker.internal.support.BrokerFixture;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.Config;
import org.apache.kafka.clients.admin.ConfigEntry;
import org.apache.kafka.clients.admin.DescribeClusterResult;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.config.ConfigResource;
import org.apache.kafka.common.errors.InvalidReplicationFactorException;
import org.apache.kafka.common.errors.TopicExistsException;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The official Kafka 4.4 clients against the protocol plugin (over a minimal test socket
 * transport, real storage and real state): what the admin tools and applications do first.
 */
class KafkaClientsTest {

    @TempDir
    static Path dir;

    static BrokerFixture broker;
    static BlockingSocketServer server;
    static Admin admin;

    @BeforeAll
    static void start() {
        broker = BrokerFixture.start(dir);
        server = new BlockingSocketServer(broker.frameHandler());
        admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, server.bootstrap(),
                AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, 20_000,
                AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, 10_000));
    }

    @AfterAll
    static void stop() {
        admin.close(Duration.ofSeconds(5));
        server.close();
        broker.close();
    }

    @Test
    void adminCreatesListsDescribesAndDeletesATopic() throws Exception {
        // When the admin client creates a topic with an override
        admin.createTopics(List.of(new NewTopic("admin-topic", 3, (short) 1)
                .configs(Map.of("retention.ms", "3600000")))).all().get();

        // Then it is listed and described with this node leading all its partitions
        assertThat(admin.listTopics().names().get()).contains("admin-topic");
        TopicDescription description = admin.describeTopics(List.of("admin-topic")).allTopicNames().get()
                .get("admin-topic");
        assertThat(description.partitions()).hasSize(3).allSatisfy(p -> {
            assertThat(p.leader().id()).isEqualTo(BrokerFixture.NODE_ID);
            assertThat(p.replicas()).hasSize(1);
        });
        assertThat(description.topicId()).isEqualTo(broker.runtime().topics().topic("admin-topic").orElseThrow().id());

        // And its configs show the override as a topic config
        ConfigResource resource = new ConfigResource(ConfigResource.Type.TOPIC, "admin-topic");
        Config config = admin.describeConfigs(List.of(resource)).all().get().get(resource);
        assertThat(config.get("retention.ms").value()).isEqualTo("3600000");
        assertThat(config.get("retention.ms").source()).isEqualTo(ConfigEntry.ConfigSource.DYNAMIC_TOPIC_CONFIG);
        assertThat(config.get("segment.bytes").source()).isEqualTo(ConfigEntry.ConfigSource.DEFAULT_CONFIG);

        // And creating it again fails as Kafka does
        assertThatThrownBy(() -> admin.createTopics(List.of(new NewTopic("admin-topic", 1, (short) 1))).all().get())
                .isInstanceOf(ExecutionException.class).hasCauseInstanceOf(TopicExistsException.class);

        // And it can be deleted
        admin.deleteTopics(List.of("admin-topic")).all().get();
        assertThat(admin.listTopics().names().get()).doesNotContain("admin-topic");
    }

    @Test
    void adminDescribesTheClusterAsThisNode() throws Exception {
        DescribeClusterResult cluster = admin.describeCluster();

        assertThat(cluster.clusterId().get()).isEqualTo(broker.runtime().topics().clusterId());
        assertThat(cluster.controller().get().id()).isEqualTo(BrokerFixture.NODE_ID);
        assertThat(cluster.nodes().get()).singleElement().satisfies(node -> {
            assertThat(node.id()).isEqualTo(BrokerFixture.NODE_ID);
            assertThat(node.port()).isEqualTo(Integer.parseInt(server.bootstrap().split(":")[1]));
        });
    }

    @Test
    void aReplicationFactorAboveOneIsRefused() {
        assertThatThrownBy(() -> admin.createTopics(List.of(new NewTopic("replicated", 1, (short) 3))).all().get())
                .hasCauseInstanceOf(InvalidReplicationFactorException.class);
    }

    @Test
    void producerAndConsumerRoundTripThroughAnAutoCreatedTopic() {
        // Given a default (idempotent, acks=all) producer with lz4 sending to a topic nobody created
        List<String> sent = new ArrayList<>();
        try (KafkaProducer<String, String> producer = new KafkaProducer<>(Map.of(
                ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, server.bootstrap(),
                ProducerConfig.COMPRESSION_TYPE_CONFIG, "lz4"), new StringSerializer(), new StringSerializer())) {
            for (int i = 0; i < 200; i++) {
                String value = "value-" + i;
                producer.send(new ProducerRecord<>("auto-topic", 0, "key-" + i, value));
                sent.add(value);
            }
            producer.flush();
        }

        // When a consumer reads the partition from the start
        List<String> received = new ArrayList<>();
        try (KafkaConsumer<String, String> consumer = new KafkaConsumer<>(Map.of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, server.bootstrap(),
                ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest"), new StringDeserializer(), new StringDeserializer())) {
            TopicPartition partition = new TopicPartition("auto-topic", 0);
            consumer.assign(Set.of(partition));
            consumer.seekToBeginning(Set.of(partition));
            long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
            while (received.size() < sent.size() && System.nanoTime() < deadline) {
                for (ConsumerRecord<String, String> record : consumer.poll(Duration.ofMillis(200))) {
                    received.add(record.value());
                }
            }
        }

        // Then it gets exactly what was sent, in order
        assertThat(received).containsExactlyElementsOf(sent);
    }

    @Test
    void aGroupConsumerSubscribesReadsAndCommits() throws Exception {
        // Given records in a 2-partition topic
        admin.createTopics(List.of(new NewTopic("group-topic", 2, (short) 1))).all().get();
        try (KafkaProducer<String, String> producer = new KafkaProducer<>(Map.of(
                ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, server.bootstrap()), new StringSerializer(),
                new StringSerializer())) {
            for (int i = 0; i < 20; i++) {
                producer.send(new ProducerRecord<>("group-topic", i % 2, null, "v" + i));
            }
            producer.flush();
        }

        // When a consumer in a group subscribes, reads everything and commits
        int read = 0;
        try (KafkaConsumer<String, String> consumer = new KafkaConsumer<>(Map.of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, server.bootstrap(),
                ConsumerConfig.GROUP_ID_CONFIG, "readers",
                ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest",
                ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false"), new StringDeserializer(), new StringDeserializer())) {
            consumer.subscribe(List.of("group-topic"));
            long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
            while (read < 20 && System.nanoTime() < deadline) {
                read += consumer.poll(Duration.ofMillis(200)).count();
            }
            consumer.commitSync();
        }

        // Then the group's committed offsets cover every record
        assertThat(read).isEqualTo(20);
        Map<TopicPartition, org.apache.kafka.clients.consumer.OffsetAndMetadata> committed =
                admin.listConsumerGroupOffsets("readers").partitionsToOffsetAndMetadata().get();
        assertThat(committed.get(new TopicPartition("group-topic", 0)).offset()).isEqualTo(10);
        assertThat(committed.get(new TopicPartition("group-topic", 1)).offset()).isEqualTo(10);
    }
}
