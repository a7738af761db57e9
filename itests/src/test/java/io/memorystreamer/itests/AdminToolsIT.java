package io.memorystreamer.itests;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.memorystreamer.itests.support.Clients;
import io.memorystreamer.itests.support.SharedBroker;
import io.memorystreamer.itests.support.ToolRunner;
import io.memorystreamer.itests.support.ToolRunner.Result;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AlterConfigOp;
import org.apache.kafka.clients.admin.ConfigEntry;
import org.apache.kafka.clients.admin.LogDirDescription;
import org.apache.kafka.clients.admin.RecordsToDelete;
import org.apache.kafka.clients.admin.ReplicaInfo;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.config.ConfigResource;
import org.apache.kafka.common.errors.RecordTooLargeException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Kafka's admin CLI tools (kafka-tools main classes) and AdminClient against the broker process:
 * configs (topic and dynamic broker), topics, records deletion, log dirs and leader election.
 */
class AdminToolsIT {

    private static final String CONFIGS = "org.apache.kafka.tools.ConfigCommand";
    private static final String TOPICS = "org.apache.kafka.tools.TopicCommand";

    @RegisterExtension
    static final SharedBroker broker = new SharedBroker();

    private static Result tool(String mainClass, String... args) {
        String[] all = new String[args.length + 2];
        all[0] = "--bootstrap-server";
        all[1] = broker.bootstrap();
        System.arraycopy(args, 0, all, 2, args.length);
        return ToolRunner.run(broker.work(), null, mainClass, all);
    }

    private static Result ok(Result result) {
        assertThat(result.exitCode()).as(result.stdout() + result.stderr()).isZero();
        return result;
    }

    private static void produce(String topic, int records) throws Exception {
        try (KafkaProducer<byte[], byte[]> producer = Clients.producer(broker.bootstrap(), Map.of())) {
            for (int i = 0; i < records; i++) {
                producer.send(new ProducerRecord<>(topic, 0, null, ("r" + i).getBytes(StandardCharsets.UTF_8))).get();
            }
        }
    }

    @Test
    void kafkaConfigsAltersAndDescribesATopicConfig() {
        // Given a topic
        Clients.createTopic(broker.bootstrap(), "configs-topic", 1);

        // When kafka-configs sets a topic config
        Result alter = ok(tool(CONFIGS, "--entity-type", "topics", "--entity-name", "configs-topic",
                "--alter", "--add-config", "retention.ms=7200000"));

        // Then it reports success and describing the topic shows the override
        assertThat(alter.stdout()).contains("Completed updating config for topic configs-topic.");
        Result describe = ok(tool(CONFIGS, "--entity-type", "topics", "--entity-name", "configs-topic", "--describe"));
        assertThat(describe.stdout()).contains("retention.ms=7200000")
                .contains("DYNAMIC_TOPIC_CONFIG:retention.ms=7200000");
    }

    @Test
    void kafkaConfigsSetsADynamicBrokerDefaultThatTopicsPickUp() {
        // Given a topic without a retention override
        Clients.createTopic(broker.bootstrap(), "defaults-topic", 1);

        // When kafka-configs sets the cluster-wide default retention
        Result alter = ok(tool(CONFIGS, "--entity-type", "brokers", "--entity-default", "--alter",
                "--add-config", "log.retention.ms=5400000"));

        // Then the default is described with its source, and the topic's effective retention is it
        assertThat(alter.stdout()).contains("Completed updating default config for brokers in the cluster.");
        Result defaults = ok(tool(CONFIGS, "--entity-type", "brokers", "--entity-default", "--describe"));
        assertThat(defaults.stdout()).contains("Default configs for brokers in the cluster are:")
                .contains("log.retention.ms=5400000 sensitive=false "
                        + "synonyms={DYNAMIC_DEFAULT_BROKER_CONFIG:log.retention.ms=5400000}");
        Result topic = ok(tool(CONFIGS, "--entity-type", "topics", "--entity-name", "defaults-topic",
                "--describe", "--all"));
        assertThat(topic.stdout()).contains("retention.ms=5400000 sensitive=false "
                + "synonyms={DYNAMIC_DEFAULT_BROKER_CONFIG:log.retention.ms=5400000");
    }

    @Test
    void kafkaConfigsRefusesAKeyThatCannotChangeAtRuntime() {
        Result alter = tool(CONFIGS, "--entity-type", "brokers", "--entity-name", "1", "--alter",
                "--add-config", "num.partitions=3");

        assertThat(alter.exitCode()).isNotZero();
        assertThat(alter.stdout() + alter.stderr()).contains("Cannot update these configs dynamically: [num.partitions]");
    }

    @Test
    void kafkaConfigsDescribesUsersAndClients() {
        ok(tool(CONFIGS, "--entity-type", "users", "--describe"));
        ok(tool(CONFIGS, "--entity-type", "clients", "--describe"));
        Result user = ok(tool(CONFIGS, "--entity-type", "users", "--entity-name", "alice", "--describe"));
        assertThat(user.stdout()).doesNotContain("SCRAM credential configs for user-principal 'alice' are ");
    }

    @Test
    void kafkaTopicsAddsPartitionsAndDescribesThem() {
        // Given a 2-partition topic
        ok(tool(TOPICS, "--create", "--topic", "growing-topic", "--partitions", "2", "--replication-factor", "1"));

        // When kafka-topics grows it to 4
        ok(tool(TOPICS, "--alter", "--topic", "growing-topic", "--partitions", "4"));

        // Then the description shows 4 partitions, each led by this node
        Result describe = ok(tool(TOPICS, "--describe", "--topic", "growing-topic"));
        assertThat(describe.stdout()).contains("PartitionCount: 4");
        assertThat(describe.stdout().lines().filter(l -> l.contains("Partition: ") && l.contains("Leader: 1")))
                .hasSize(4);
    }

    @Test
    void kafkaDeleteRecordsMovesTheLowWatermark() throws Exception {
        // Given 10 records in a partition
        Clients.createTopic(broker.bootstrap(), "trimmed-topic", 1);
        produce("trimmed-topic", 10);
        Path json = broker.work().resolve("delete-records.json");
        Files.writeString(json, "{\"partitions\":[{\"topic\":\"trimmed-topic\",\"partition\":0,\"offset\":4}],"
                + "\"version\":1}");

        // When kafka-delete-records deletes before offset 4
        Result delete = ok(tool("org.apache.kafka.tools.DeleteRecordsCommand", "--offset-json-file", json.toString()));

        // Then the low watermark is 4 and a consumer starts there
        assertThat(delete.stdout()).contains("partition: trimmed-topic-0\tlow_watermark: 4");
        try (var consumer = Clients.consumer(broker.bootstrap(), Map.of())) {
            TopicPartition partition = new TopicPartition("trimmed-topic", 0);
            assertThat(consumer.beginningOffsets(List.of(partition))).containsEntry(partition, 4L);
        }
    }

    @Test
    void kafkaLogDirsListsTheLogDirectoryWithItsPartitions() throws Exception {
        Clients.createTopic(broker.bootstrap(), "dirs-topic", 1);
        produce("dirs-topic", 3);

        Result dirs = ok(tool("org.apache.kafka.tools.LogDirsCommand", "--describe", "--topic-list", "dirs-topic"));

        assertThat(dirs.stdout()).contains("\"broker\":1")
                .contains("\"logDir\":\"" + broker.process().dataDir().toAbsolutePath().normalize() + "\"")
                .contains("\"partition\":\"dirs-topic-0\"");
    }

    @Test
    void kafkaLeaderElectionFindsTheLeaderAlreadyElected() {
        Clients.createTopic(broker.bootstrap(), "elected-topic", 1);

        Result one = ok(tool("org.apache.kafka.tools.LeaderElectionCommand", "--election-type", "preferred",
                "--topic", "elected-topic", "--partition", "0"));
        Result all = ok(tool("org.apache.kafka.tools.LeaderElectionCommand", "--election-type", "preferred",
                "--all-topic-partitions"));

        assertThat(one.stdout()).contains("Valid replica already elected for partitions elected-topic-0");
        assertThat(all.stderr()).doesNotContain("could not be elected");
    }

    @Test
    void adminClientChangesApplyWithoutARestart() throws Exception {
        try (Admin admin = Clients.admin(broker.bootstrap())) {
            // Given a topic with records
            Clients.createTopic(broker.bootstrap(), "admin-topic", 2);
            produce("admin-topic", 5);

            // When this broker's message.max.bytes is lowered
            ConfigResource self = new ConfigResource(ConfigResource.Type.BROKER, "1");
            admin.incrementalAlterConfigs(Map.of(self, List.of(new AlterConfigOp(
                    new ConfigEntry("message.max.bytes", "2000"), AlterConfigOp.OpType.SET)))).all().get();

            // Then a larger record is refused at once, and the value is described as dynamic
            try (KafkaProducer<byte[], byte[]> producer = Clients.producer(broker.bootstrap(),
                    Map.of(ProducerConfig.RETRIES_CONFIG, 0))) {
                assertThatThrownBy(() -> producer.send(new ProducerRecord<>("admin-topic", 0, null, new byte[10_000]))
                        .get(30, TimeUnit.SECONDS))
                        .isInstanceOf(ExecutionException.class).hasCauseInstanceOf(RecordTooLargeException.class);
            }
            ConfigEntry maxBytes = admin.describeConfigs(List.of(self)).all().get().get(self).get("message.max.bytes");
            assertThat(maxBytes.value()).isEqualTo("2000");
            assertThat(maxBytes.source()).isEqualTo(ConfigEntry.ConfigSource.DYNAMIC_BROKER_CONFIG);

            // When records are deleted and the log dirs described
            TopicPartition partition = new TopicPartition("admin-topic", 0);
            long lowWatermark = admin.deleteRecords(Map.of(partition, RecordsToDelete.beforeOffset(3)))
                    .lowWatermarks().get(partition).get().lowWatermark();
            Map<String, LogDirDescription> dirs = admin.describeLogDirs(List.of(1)).allDescriptions().get().get(1);

            // Then the low watermark moved and the partition has a size in the one log dir
            assertThat(lowWatermark).isEqualTo(3);
            assertThat(dirs).hasSize(1);
            LogDirDescription dir = dirs.values().iterator().next();
            ReplicaInfo replica = dir.replicaInfos().get(partition);
            assertThat(replica.size()).isPositive();
            assertThat(dir.totalBytes()).isPresent();

            // And describeTopics sees both partitions led by this node
            TopicDescription description = admin.describeTopics(List.of("admin-topic")).allTopicNames().get()
                    .get("admin-topic");
            assertThat(description.partitions()).hasSize(2).allSatisfy(p -> assertThat(p.leader().id()).isEqualTo(1));
        } finally {
            try (Admin admin = Clients.admin(broker.bootstrap())) {
                ConfigResource self = new ConfigResource(ConfigResource.Type.BROKER, "1");
                admin.incrementalAlterConfigs(Map.of(self, List.of(new AlterConfigOp(
                        new ConfigEntry("message.max.bytes", ""), AlterConfigOp.OpType.DELETE)))).all().get();
            }
        }
    }
}
