package io.memorystreamer.itests;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.memorystreamer.itests.support.BrokerProcess;
import io.memorystreamer.itests.support.Clients;
import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import java.util.stream.LongStream;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.ConsumerGroupDescription;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.GroupType;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Consumer groups of the consumer group protocol (KIP-848, {@code group.protocol=consumer}) with
 * the official KafkaConsumer against the broker process: server-side assignments by each assignor,
 * eviction of a consumer that died without leaving, and committed offsets across a broker restart.
 */
class ConsumerProtocolGroupIT {

    private static final int PARTITIONS = 6;
    private static final int SESSION_TIMEOUT_MS = 6_000;
    private static final int HEARTBEAT_INTERVAL_MS = 500;
    /** Short heartbeats and sessions (the consumer protocol sets both on the broker), so the test runs fast. */
    private static final Map<String, String> BROKER_CONFIG = Map.of(
            "group.initial.rebalance.delay.ms", "0",
            "group.consumer.min.heartbeat.interval.ms", "100",
            "group.consumer.heartbeat.interval.ms", String.valueOf(HEARTBEAT_INTERVAL_MS),
            "group.consumer.min.session.timeout.ms", "1000",
            "group.consumer.session.timeout.ms", String.valueOf(SESSION_TIMEOUT_MS));

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
    @ValueSource(strings = {"uniform", "range"})
    void twoThenThreeConsumersGetDisjointAssignmentsCoveringEveryPartition(String assignor) throws Exception {
        // Given a 6-partition topic and two consumers of one group using the consumer protocol
        String topic = "kip848-assign-" + assignor;
        String group = "kip848-group-" + assignor;
        Clients.createTopic(broker.bootstrap(), topic, PARTITIONS);
        List<PollingConsumer> consumers = new ArrayList<>();
        try {
            consumers.add(PollingConsumer.start(broker.bootstrap(), group, topic, assignor));
            consumers.add(PollingConsumer.start(broker.bootstrap(), group, topic, assignor));

            // Then they split the partitions three and three
            awaitBalanced(consumers, topic, 3);

            // When a third consumer joins
            consumers.add(PollingConsumer.start(broker.bootstrap(), group, topic, assignor));

            // Then the three split them two, two and two, and the group says the same
            awaitBalanced(consumers, topic, 2);
            try (Admin admin = Clients.admin(broker.bootstrap())) {
                await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
                    ConsumerGroupDescription description =
                            admin.describeConsumerGroups(List.of(group)).all().get().get(group);
                    assertThat(description.type()).isEqualTo(GroupType.CONSUMER);
                    assertThat(description.partitionAssignor()).isEqualTo(assignor);
                    assertThat(description.members()).hasSize(3).allSatisfy(
                            member -> assertThat(member.assignment().topicPartitions()).hasSize(2));
                });
            }
        } finally {
            consumers.forEach(PollingConsumer::close);
        }
    }

    @Test
    void aConsumerKilledWithoutLeavingIsEvictedAfterTheSessionTimeoutAndItsPartitionsMove() throws Exception {
        // Given a consumer in another process and one here sharing a 6-partition topic
        String topic = "kip848-evict";
        String group = "kip848-evict-group";
        Clients.createTopic(broker.bootstrap(), topic, PARTITIONS);
        Path childOutput = work.resolve("kip848-child-consumer.out");
        Process child = startChildConsumer(childOutput, group, topic);
        try (PollingConsumer survivor = PollingConsumer.start(broker.bootstrap(), group, topic, "uniform")) {
            await().atMost(Duration.ofSeconds(60)).until(() -> survivor.assignment().size() == 3
                    && lastChildAssignment(childOutput).size() == 3);

            // When the other process is killed (SIGKILL: it cannot send its leaving heartbeat)
            long killedAt = System.nanoTime();
            child.destroyForcibly().waitFor(30, TimeUnit.SECONDS);

            // Then after the session timeout the survivor owns every partition
            await().atMost(Duration.ofSeconds(60)).until(() -> survivor.assignment().size() == PARTITIONS);
            long elapsedMs = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - killedAt);
            assertThat(elapsedMs).isGreaterThanOrEqualTo(SESSION_TIMEOUT_MS - HEARTBEAT_INTERVAL_MS - 500L);
            assertThat(survivor.assignment()).isEqualTo(allPartitions(topic));
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
            String topic = "kip848-resume";
            String group = "kip848-resume-group";
            Clients.createTopic(own.bootstrap(), topic, PARTITIONS);
            produce(own.bootstrap(), topic, 100);
            Map<TopicPartition, OffsetAndMetadata> committed = consumeSomeAndCommit(own.bootstrap(), group, topic, 250);

            // When the broker restarts
            assertThat(own.stop()).isZero();
            own.restart();

            // Then the group's offsets and metadata are still there, in a consumer group
            try (Admin admin = Clients.admin(own.bootstrap())) {
                assertThat(admin.listConsumerGroupOffsets(group).partitionsToOffsetAndMetadata().get())
                        .isEqualTo(committed);
                assertThat(admin.describeConsumerGroups(List.of(group)).all().get().get(group).type())
                        .isEqualTo(GroupType.CONSUMER);
            }

            // And a new consumer of the group reads exactly the records after them, each once
            Map<String, Object> resume = Map.of(
                    ConsumerConfig.GROUP_ID_CONFIG, group,
                    ConsumerConfig.GROUP_PROTOCOL_CONFIG, "consumer",
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

    // ---- helpers ----

    private static void awaitBalanced(List<PollingConsumer> consumers, String topic, int each) {
        await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(200)).untilAsserted(() -> {
            Set<TopicPartition> union = new HashSet<>();
            int total = 0;
            for (PollingConsumer consumer : consumers) {
                Set<TopicPartition> assignment = consumer.assignment();
                assertThat(assignment).hasSize(each);
                union.addAll(assignment);
                total += assignment.size();
            }
            assertThat(total).as("no partition is assigned twice").isEqualTo(union.size());
            assertThat(union).isEqualTo(allPartitions(topic));
        });
    }

    private static Set<TopicPartition> allPartitions(String topic) {
        return IntStream.range(0, PARTITIONS).mapToObj(p -> new TopicPartition(topic, p)).collect(Collectors.toSet());
    }

    private static void produce(String bootstrap, String topic, int perPartition) throws Exception {
        try (KafkaProducer<byte[], byte[]> producer = Clients.producer(bootstrap, Map.of())) {
            for (int i = 0; i < perPartition; i++) {
                for (int p = 0; p < PARTITIONS; p++) {
                    producer.send(new ProducerRecord<>(topic, p, null, ("v-" + p + "-" + i).getBytes(StandardCharsets.UTF_8)));
                }
            }
            producer.flush();
        }
    }

    /** Reads at least {@code atLeast} records, then commits its position in every partition, with metadata. */
    private static Map<TopicPartition, OffsetAndMetadata> consumeSomeAndCommit(String bootstrap, String group,
            String topic, int atLeast) {
        Map<String, Object> config = Map.of(
                ConsumerConfig.GROUP_ID_CONFIG, group,
                ConsumerConfig.GROUP_PROTOCOL_CONFIG, "consumer",
                ConsumerConfig.MAX_POLL_RECORDS_CONFIG, 50);
        try (KafkaConsumer<byte[], byte[]> consumer = Clients.consumer(bootstrap, config)) {
            consumer.subscribe(List.of(topic));
            int read = 0;
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
            while (read < atLeast && System.nanoTime() < deadline) {
                read += consumer.poll(Duration.ofMillis(200)).count();
            }
            assertThat(read).isGreaterThanOrEqualTo(atLeast);
            assertThat(consumer.assignment()).isEqualTo(allPartitions(topic));
            Map<TopicPartition, OffsetAndMetadata> commit = new HashMap<>();
            for (TopicPartition partition : consumer.assignment()) {
                long position = consumer.position(partition);
                commit.put(partition, new OffsetAndMetadata(position, "resume-at-" + position));
            }
            consumer.commitSync(commit);
            return commit;
        }
    }

    private static Process startChildConsumer(Path output, String group, String topic) throws IOException {
        List<String> command = List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx128m",
                "-cp", System.getProperty("java.class.path"),
                ChildConsumer.class.getName(),
                broker.bootstrap(), group, topic);
        return new ProcessBuilder(command)
                .redirectErrorStream(true)
                .redirectOutput(output.toFile())
                .start();
    }

    /** The partitions the child consumer reported last (its output has one "ASSIGNMENT p,p,p" line per change). */
    private static Set<Integer> lastChildAssignment(Path output) {
        try {
            if (!Files.exists(output)) {
                return Set.of();
            }
            Set<Integer> last = Set.of();
            for (String line : Files.readAllLines(output, StandardCharsets.UTF_8)) {
                if (line.startsWith(ChildConsumer.PREFIX)) {
                    String list = line.substring(ChildConsumer.PREFIX.length()).trim();
                    last = list.isEmpty() ? Set.of()
                            : Arrays.stream(list.split(",")).map(Integer::valueOf).collect(Collectors.toSet());
                }
            }
            return last;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The consumer protocol: the broker sets heartbeats and sessions, the client names a server assignor. */
    private static Map<String, Object> groupConsumerConfig(String group, String assignor) {
        return Map.of(
                ConsumerConfig.GROUP_ID_CONFIG, group,
                ConsumerConfig.GROUP_PROTOCOL_CONFIG, "consumer",
                ConsumerConfig.GROUP_REMOTE_ASSIGNOR_CONFIG, assignor);
    }

    /** A group consumer polling on its own thread (KafkaConsumer is single-threaded), exposing its assignment. */
    static final class PollingConsumer implements AutoCloseable {

        private final Thread thread;
        private final AtomicBoolean running = new AtomicBoolean(true);
        private volatile Set<TopicPartition> assignment = Set.of();
        private volatile Throwable failure;

        private PollingConsumer(KafkaConsumer<byte[], byte[]> consumer, String topic) {
            this.thread = new Thread(() -> {
                try (consumer) {
                    consumer.subscribe(List.of(topic));
                    while (running.get()) {
                        consumer.poll(Duration.ofMillis(100));
                        assignment = Set.copyOf(consumer.assignment());
                    }
                } catch (Throwable t) {
                    failure = t;
                }
            }, "kip848-polling-consumer");
        }

        static PollingConsumer start(String bootstrap, String group, String topic, String assignor) {
            PollingConsumer polling = new PollingConsumer(
                    Clients.consumer(bootstrap, groupConsumerConfig(group, assignor)), topic);
            polling.thread.start();
            return polling;
        }

        Set<TopicPartition> assignment() {
            if (failure != null) {
                throw new AssertionError("consumer failed", failure);
            }
            return assignment;
        }

        /** Stops polling and closes the consumer, which leaves the group. */
        @Override
        public void close() {
            running.set(false);
            try {
                thread.join(TimeUnit.SECONDS.toMillis(60));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    /**
     * A consumer protocol consumer in its own JVM, so the test can kill it without it leaving the
     * group. Prints its assignment whenever it changes. Arguments: bootstrap, group, topic.
     */
    public static final class ChildConsumer {

        static final String PREFIX = "ASSIGNMENT ";

        private ChildConsumer() {
        }

        public static void main(String[] args) {
            PrintStream out = System.out;
            try (KafkaConsumer<byte[], byte[]> consumer = Clients.consumer(args[0],
                    groupConsumerConfig(args[1], "uniform"))) {
                consumer.subscribe(List.of(args[2]));
                Set<Integer> reported = null;
                while (true) {
                    consumer.poll(Duration.ofMillis(100));
                    Set<Integer> current = new TreeSet<>();
                    consumer.assignment().forEach(partition -> current.add(partition.partition()));
                    if (!current.equals(reported)) {
                        out.println(PREFIX + current.stream().map(String::valueOf).collect(Collectors.joining(",")));
                        out.flush();
                        reported = current;
                    }
                }
            }
        }
    }
}
