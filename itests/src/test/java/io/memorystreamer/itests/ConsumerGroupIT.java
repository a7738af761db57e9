package io.memorystreamer.itests;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.memorystreamer.itests.support.BrokerProcess;
import io.memorystreamer.itests.support.Clients;
import io.memorystreamer.itests.support.GroupMembers;
import io.memorystreamer.itests.support.GroupMembers.PollingConsumer;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.LongStream;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Consumer groups (classic protocol) with the official KafkaConsumer against the broker process:
 * assignments by every built-in assignor, eviction of a consumer that died without leaving, and
 * committed offsets across a broker restart.
 */
class ConsumerGroupIT {

    private static final int PARTITIONS = 6;
    private static final GroupMembers MEMBERS = new GroupMembers(GroupMembers.Protocol.CLASSIC, PARTITIONS);
    private static final int SESSION_TIMEOUT_MS = GroupMembers.CLASSIC_SESSION_TIMEOUT_MS;
    private static final int HEARTBEAT_INTERVAL_MS = GroupMembers.CLASSIC_HEARTBEAT_INTERVAL_MS;
    /** Groups start at once and short sessions are allowed, so the test runs fast. */
    private static final Map<String, String> BROKER_CONFIG = Map.of(
            "group.initial.rebalance.delay.ms", "0",
            "group.min.session.timeout.ms", "1000");

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

    @ParameterizedTest
    @ValueSource(strings = {"range", "roundrobin", "sticky", "cooperative-sticky"})
    void twoThenThreeConsumersGetDisjointAssignmentsCoveringEveryPartition(String assignor) {
        // Given a 6-partition topic and two consumers of one group
        String topic = "assign-" + assignor;
        String group = "group-" + assignor;
        Clients.createTopic(broker.bootstrap(), topic, PARTITIONS);
        List<PollingConsumer> consumers = new ArrayList<>();
        try {
            consumers.add(MEMBERS.start(broker.bootstrap(), group, topic, assignor));
            consumers.add(MEMBERS.start(broker.bootstrap(), group, topic, assignor));

            // Then they split the partitions three and three
            MEMBERS.awaitBalanced(consumers, topic, 3);

            // When a third consumer joins
            consumers.add(MEMBERS.start(broker.bootstrap(), group, topic, assignor));

            // Then the three split them two, two and two, and the group says the same
            MEMBERS.awaitBalanced(consumers, topic, 2);
            try (Admin admin = Clients.admin(broker.bootstrap())) {
                var description = admin.describeConsumerGroups(List.of(group)).all().get().get(group);
                assertThat(description.members()).hasSize(3);
                assertThat(description.members()).allSatisfy(
                        member -> assertThat(member.assignment().topicPartitions()).hasSize(2));
            } catch (Exception e) {
                throw new AssertionError("describing group " + group, e);
            }
        } finally {
            consumers.forEach(PollingConsumer::close);
        }
    }

    @Test
    void aConsumerKilledWithoutLeavingIsEvictedAfterItsSessionTimeoutAndItsPartitionsMove() throws Exception {
        // Given a consumer in another process and one here sharing a 6-partition topic
        String topic = "evict";
        String group = "evict-group";
        Clients.createTopic(broker.bootstrap(), topic, PARTITIONS);
        Path childOutput = work.resolve("child-consumer.out");
        Process child = MEMBERS.startChild(broker.bootstrap(), childOutput, group, topic);
        try (PollingConsumer survivor = MEMBERS.start(broker.bootstrap(), group, topic, "range")) {
            await().atMost(Duration.ofSeconds(60)).until(() -> survivor.assignment().size() == 3
                    && GroupMembers.lastChildAssignment(childOutput).size() == 3);

            // When the other process is killed (SIGKILL: it cannot send LeaveGroup)
            long killedAt = System.nanoTime();
            child.destroyForcibly().waitFor(30, TimeUnit.SECONDS);

            // Then after its session timeout the survivor owns every partition
            await().atMost(Duration.ofSeconds(60)).until(() -> survivor.assignment().size() == PARTITIONS);
            long elapsedMs = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - killedAt);
            assertThat(elapsedMs).isGreaterThanOrEqualTo(SESSION_TIMEOUT_MS - HEARTBEAT_INTERVAL_MS - 500L);
            assertThat(survivor.assignment()).isEqualTo(MEMBERS.allPartitions(topic));
        } finally {
            child.destroyForcibly();
        }
    }

    @Test
    void committedOffsetsSurviveABrokerRestartAndANewConsumerResumesRightAfterThem(@TempDir Path restartWork)
            throws Exception {
        // Given 100 records in each of 6 partitions, and a consumer that read some and committed them
        BrokerProcess own = BrokerProcess.start(restartWork, BROKER_CONFIG);
        try {
            String topic = "resume";
            String group = "resume-group";
            Clients.createTopic(own.bootstrap(), topic, PARTITIONS);
            MEMBERS.produce(own.bootstrap(), topic, 100);
            Map<TopicPartition, OffsetAndMetadata> committed = MEMBERS.consumeSomeAndCommit(own.bootstrap(), group, topic, 250);

            // When the broker restarts
            assertThat(own.stop()).isZero();
            own.restart();

            // Then the group's offsets and metadata are still there
            try (Admin admin = Clients.admin(own.bootstrap())) {
                assertThat(admin.listConsumerGroupOffsets(group).partitionsToOffsetAndMetadata().get())
                        .isEqualTo(committed);
            }

            // And a new consumer of the group reads exactly the records after them, each once
            Map<String, Object> resume = Map.of(
                    ConsumerConfig.GROUP_ID_CONFIG, group,
                    ConsumerConfig.GROUP_PROTOCOL_CONFIG, "classic",
                    ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "none");
            Map<TopicPartition, List<Long>> read = new HashMap<>();
            try (KafkaConsumer<byte[], byte[]> consumer = Clients.consumer(own.bootstrap(), resume)) {
                consumer.subscribe(List.of(topic));
                long expected = 6 * 100 - committed.values().stream().mapToLong(OffsetAndMetadata::offset).sum();
                long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
                while (read.values().stream().mapToInt(List::size).sum() < expected && System.nanoTime() < deadline) {
                    for (ConsumerRecord<byte[], byte[]> record : consumer.poll(Duration.ofMillis(200))) {
                        read.computeIfAbsent(new TopicPartition(record.topic(), record.partition()), p -> new ArrayList<>())
                                .add(record.offset());
                    }
                }
            }
            for (int p = 0; p < PARTITIONS; p++) {
                TopicPartition partition = new TopicPartition(topic, p);
                long from = committed.get(partition).offset();
                assertThat(read.getOrDefault(partition, List.of())).as("offsets read from %s", partition)
                        .containsExactlyElementsOf(LongStream.range(from, 100).boxed().toList());
            }
        } finally {
            own.close();
        }
    }
}
