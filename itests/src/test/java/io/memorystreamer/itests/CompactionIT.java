package io.memorystreamer.itests;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.memorystreamer.itests.support.BrokerProcess;
import io.memorystreamer.itests.support.Clients;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.Stream;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A compacted topic ({@code cleanup.policy=compact}) keeps one record per key in its closed
 * segments: 100,000 updates over 1,000 keys shrink to the latest value of each key plus the
 * records of the active segment, and a consumer reading from the beginning sees every key's
 * latest value.
 */
class CompactionIT {

    private static final String TOPIC = "compacted";
    private static final int UPDATES = 100_000;
    private static final int KEYS = 1_000;

    @TempDir
    Path work;

    BrokerProcess broker;

    @AfterEach
    void close() {
        if (broker != null) {
            broker.close();
        }
    }

    private static String key(int i) {
        return String.format("key-%04d", i % KEYS);
    }

    @Test
    void hundredThousandUpdatesOfAThousandKeysCompactToTheLatestValueOfEachKey() throws Exception {
        // Given a broker whose cleaner looks for work every 100 ms, and a compacted topic with 64 KB segments
        broker = BrokerProcess.start(work, Map.of("log.cleaner.backoff.ms", "100", "log.segment.delete.delay.ms", "1000"));
        try (Admin admin = Clients.admin(broker.bootstrap())) {
            admin.createTopics(List.of(new NewTopic(TOPIC, 1, (short) 1).configs(Map.of(
                    "cleanup.policy", "compact",
                    "segment.bytes", "65536",
                    "min.cleanable.dirty.ratio", "0.01",
                    "delete.retention.ms", "60000")))).all().get();
        }
        TopicPartition partition = new TopicPartition(TOPIC, 0);

        // When 100,000 updates over 1,000 keys are produced
        Map<String, String> latest = new HashMap<>();
        try (KafkaProducer<byte[], byte[]> producer = Clients.producer(broker.bootstrap(), Map.of("linger.ms", "5"))) {
            List<Future<RecordMetadata>> acks = new ArrayList<>();
            for (int i = 0; i < UPDATES; i++) {
                String value = "value-" + i;
                latest.put(key(i), value);
                acks.add(producer.send(new ProducerRecord<>(TOPIC, 0, key(i).getBytes(UTF_8), value.getBytes(UTF_8))));
            }
            for (Future<RecordMetadata> ack : acks) {
                ack.get();
            }
        }
        long endOffset = Clients.endOffset(broker.bootstrap(), partition);
        assertThat(endOffset).isEqualTo(UPDATES);

        // Then the cleaner soon leaves one record per key below the active segment
        Path partitionDir = broker.dataDir().resolve(TOPIC + "-0");
        AtomicReference<List<ConsumerRecord<byte[], byte[]>>> read = new AtomicReference<>();
        await().atMost(Duration.ofSeconds(120)).pollInterval(Duration.ofSeconds(1)).untilAsserted(() -> {
            long activeBase = activeSegmentBaseOffset(partitionDir);
            read.set(Clients.readPartition(broker.bootstrap(), partition, 0, endOffset, Duration.ofSeconds(30)));
            assertThat((long) read.get().size()).isLessThanOrEqualTo(KEYS + (endOffset - activeBase));
            assertThat(read.get()).filteredOn(r -> r.offset() < activeBase)
                    .extracting(r -> new String(r.key(), UTF_8)).doesNotHaveDuplicates();
        });
        assertThat(broker.logLines("Compacted partition log")).isNotEmpty();

        // And a consumer reading from the beginning sees exactly the latest value of every key, at its offset
        List<ConsumerRecord<byte[], byte[]>> fromStart = read.get();
        Map<String, String> seen = new HashMap<>();
        Set<Long> offsets = new HashSet<>();
        for (ConsumerRecord<byte[], byte[]> record : fromStart) {
            String value = new String(record.value(), UTF_8);
            assertThat(value).isEqualTo("value-" + record.offset());
            assertThat(offsets.add(record.offset())).isTrue();
            seen.put(new String(record.key(), UTF_8), value);
        }
        assertThat(seen).hasSize(KEYS).containsExactlyInAnyOrderEntriesOf(latest);
        assertThat(fromStart.size()).isLessThan(UPDATES / 10);
    }

    @Test
    void compressedUpdatesAreCompactedWithEveryCodec() throws Exception {
        // Given a compacted topic per codec, each fed 20,000 updates of 200 keys by a compressing producer
        broker = BrokerProcess.start(work, Map.of("log.cleaner.backoff.ms", "100"));
        List<String> codecs = List.of("gzip", "snappy", "lz4", "zstd");
        try (Admin admin = Clients.admin(broker.bootstrap())) {
            admin.createTopics(codecs.stream().map(codec -> new NewTopic(codec, 1, (short) 1).configs(Map.of(
                    "cleanup.policy", "compact", "segment.bytes", "16384", "min.cleanable.dirty.ratio", "0.01")))
                    .toList()).all().get();
        }
        Map<String, String> latest = new HashMap<>();
        for (String codec : codecs) {
            try (KafkaProducer<byte[], byte[]> producer = Clients.producer(broker.bootstrap(),
                    Map.of("compression.type", codec, "linger.ms", "5"))) {
                for (int i = 0; i < 20_000; i++) {
                    String key = "key-" + (i % 200);
                    latest.put(key, "value-" + i);
                    producer.send(new ProducerRecord<>(codec, 0, key.getBytes(UTF_8), ("value-" + i).getBytes(UTF_8)));
                }
                producer.flush();
            }
        }

        // When the cleaner has passed, Then each topic reads back as the latest value of each key
        for (String codec : codecs) {
            TopicPartition partition = new TopicPartition(codec, 0);
            Path partitionDir = broker.dataDir().resolve(codec + "-0");
            await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofSeconds(1)).untilAsserted(() -> {
                long activeBase = activeSegmentBaseOffset(partitionDir);
                List<ConsumerRecord<byte[], byte[]>> records = Clients.readPartition(broker.bootstrap(), partition, 0,
                        20_000, Duration.ofSeconds(30));
                assertThat((long) records.size()).as(codec).isLessThanOrEqualTo(200 + (20_000 - activeBase));
                Map<String, String> seen = new HashMap<>();
                records.forEach(r -> seen.put(new String(r.key(), UTF_8), new String(r.value(), UTF_8)));
                assertThat(seen).as(codec).containsExactlyInAnyOrderEntriesOf(latest);
            });
        }
        assertThat(broker.logLines("Compaction of a partition log failed")).isEmpty();
    }

    /** The base offset of the partition's newest segment file: its active segment. */
    private static long activeSegmentBaseOffset(Path partitionDir) {
        try (Stream<Path> files = Files.list(partitionDir)) {
            return files.map(file -> file.getFileName().toString())
                    .filter(name -> name.matches("\\d{20}\\.log"))
                    .mapToLong(name -> Long.parseLong(name.substring(0, 20)))
                    .max()
                    .orElseThrow();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
