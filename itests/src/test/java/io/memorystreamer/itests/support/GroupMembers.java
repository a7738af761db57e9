package io.memorystreamer.itests.support;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
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
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;

/**
 * Consumer-group members for the group itests, for either group protocol: consumers polling on
 * their own threads, a consumer in a child JVM that can be killed without leaving, and the checks
 * the tests share.
 */
public final class GroupMembers {

    /** Client-side session settings of classic members; consumer-protocol sessions are the broker's. */
    public static final int CLASSIC_SESSION_TIMEOUT_MS = 4_000;
    public static final int CLASSIC_HEARTBEAT_INTERVAL_MS = 500;

    /** The group protocol a member speaks ({@code group.protocol}). */
    public enum Protocol {
        CLASSIC("classic", "range"),
        CONSUMER("consumer", "uniform");

        private final String name;
        private final String defaultAssignor;

        Protocol(String name, String defaultAssignor) {
            this.name = name;
            this.defaultAssignor = defaultAssignor;
        }

        /** Consumer settings for a member of {@code group} using {@code assignor}. */
        public Map<String, Object> config(String group, String assignor) {
            if (this == CONSUMER) {
                // The broker sets heartbeats and sessions; the client names a server-side assignor.
                return Map.of(
                        ConsumerConfig.GROUP_ID_CONFIG, group,
                        ConsumerConfig.GROUP_PROTOCOL_CONFIG, name,
                        ConsumerConfig.GROUP_REMOTE_ASSIGNOR_CONFIG, assignor);
            }
            return Map.of(
                    ConsumerConfig.GROUP_ID_CONFIG, group,
                    ConsumerConfig.GROUP_PROTOCOL_CONFIG, name,
                    ConsumerConfig.PARTITION_ASSIGNMENT_STRATEGY_CONFIG, classicAssignorClass(assignor),
                    ConsumerConfig.SESSION_TIMEOUT_MS_CONFIG, CLASSIC_SESSION_TIMEOUT_MS,
                    ConsumerConfig.HEARTBEAT_INTERVAL_MS_CONFIG, CLASSIC_HEARTBEAT_INTERVAL_MS);
        }

        private static String classicAssignorClass(String assignor) {
            return switch (assignor) {
                case "range" -> "org.apache.kafka.clients.consumer.RangeAssignor";
                case "roundrobin" -> "org.apache.kafka.clients.consumer.RoundRobinAssignor";
                case "sticky" -> "org.apache.kafka.clients.consumer.StickyAssignor";
                case "cooperative-sticky" -> "org.apache.kafka.clients.consumer.CooperativeStickyAssignor";
                default -> throw new IllegalArgumentException(assignor);
            };
        }
    }

    private final Protocol protocol;
    private final int partitions;

    public GroupMembers(Protocol protocol, int partitions) {
        this.protocol = protocol;
        this.partitions = partitions;
    }

    /** Starts a member polling on its own thread. */
    public PollingConsumer start(String bootstrap, String group, String topic, String assignor) {
        PollingConsumer polling = new PollingConsumer(Clients.consumer(bootstrap, protocol.config(group, assignor)), topic);
        polling.thread.start();
        return polling;
    }

    /** Waits until every consumer holds {@code each} partitions, disjoint and covering the topic. */
    public void awaitBalanced(List<PollingConsumer> consumers, String topic, int each) {
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

    public Set<TopicPartition> allPartitions(String topic) {
        return IntStream.range(0, partitions).mapToObj(p -> new TopicPartition(topic, p)).collect(Collectors.toSet());
    }

    /** Writes {@code perPartition} records to every partition. */
    public void produce(String bootstrap, String topic, int perPartition) throws Exception {
        try (KafkaProducer<byte[], byte[]> producer = Clients.producer(bootstrap, Map.of())) {
            for (int i = 0; i < perPartition; i++) {
                for (int p = 0; p < partitions; p++) {
                    producer.send(new ProducerRecord<>(topic, p, null, ("v-" + p + "-" + i).getBytes(StandardCharsets.UTF_8)));
                }
            }
            producer.flush();
        }
    }

    /** Reads at least {@code atLeast} records, then commits its position in every partition, with metadata. */
    public Map<TopicPartition, OffsetAndMetadata> consumeSomeAndCommit(String bootstrap, String group, String topic,
            int atLeast) {
        Map<String, Object> config = new HashMap<>(protocol.config(group, protocol.defaultAssignor));
        config.put(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, 50);
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

    /** Starts a member in its own JVM, printing its assignment changes to {@code output}. */
    public Process startChild(String bootstrap, Path output, String group, String topic) throws IOException {
        List<String> command = List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx128m",
                "-cp", System.getProperty("java.class.path"),
                ChildConsumer.class.getName(),
                protocol.name(), bootstrap, group, topic);
        return new ProcessBuilder(command)
                .redirectErrorStream(true)
                .redirectOutput(output.toFile())
                .start();
    }

    /** The partitions the child consumer reported last (its output has one "ASSIGNMENT p,p,p" line per change). */
    public static Set<Integer> lastChildAssignment(Path output) {
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

    /** A group consumer polling on its own thread (KafkaConsumer is single-threaded), exposing its assignment. */
    public static final class PollingConsumer implements AutoCloseable {

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
            }, "polling-consumer");
        }

        public Set<TopicPartition> assignment() {
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
     * A member in its own JVM, so a test can kill it without it leaving the group. Prints its
     * assignment whenever it changes. Arguments: protocol, bootstrap, group, topic.
     */
    public static final class ChildConsumer {

        static final String PREFIX = "ASSIGNMENT ";

        private ChildConsumer() {
        }

        public static void main(String[] args) {
            Protocol protocol = Protocol.valueOf(args[0]);
            PrintStream out = System.out;
            try (KafkaConsumer<byte[], byte[]> consumer =
                    Clients.consumer(args[1], protocol.config(args[2], protocol.defaultAssignor))) {
                consumer.subscribe(List.of(args[3]));
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
