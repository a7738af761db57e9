package io.memorystreamer.itests;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.memorystreamer.itests.support.BrokerProcess;
import io.memorystreamer.itests.support.Clients;
import java.io.File;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.stream.Stream;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.record.internal.FileRecords;
import org.apache.kafka.common.record.internal.RecordBatch;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** kill -9 while a producer writes: every acknowledged record survives, and no torn batch remains. */
class CrashRecoveryIT {

    private static final String TOPIC = "crash";

    @TempDir
    Path work;

    BrokerProcess broker;

    @AfterEach
    void close() {
        if (broker != null) {
            broker.close();
        }
    }

    @Test
    void acknowledgedRecordsSurviveKill9() throws Exception {
        // Given a broker that fsyncs every batch, and a producer writing as fast as it can
        broker = BrokerProcess.start(work, Map.of("log.flush.interval.messages", "1"));
        Clients.createTopic(broker.bootstrap(), TOPIC, 2);
        ConcurrentMap<TopicPartition, ConcurrentMap<Long, String>> acked = new ConcurrentHashMap<>();
        AtomicBoolean stop = new AtomicBoolean();
        KafkaProducer<byte[], byte[]> producer = Clients.producer(broker.bootstrap(), Map.of(
                ProducerConfig.LINGER_MS_CONFIG, 1,
                ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, 120_000,
                // Once the broker is dead the buffer fills; a send must not then block for a minute.
                ProducerConfig.MAX_BLOCK_MS_CONFIG, 1_000));
        Thread writer = Thread.ofPlatform().name("crash-writer").start(() -> {
            for (int i = 0; !stop.get(); i++) {
                String value = "value-" + i;
                try {
                    producer.send(new ProducerRecord<>(TOPIC, i % 2, null, value.getBytes(StandardCharsets.UTF_8)),
                            (metadata, exception) -> {
                                if (exception == null) {
                                    acked.computeIfAbsent(new TopicPartition(TOPIC, metadata.partition()),
                                            p -> new ConcurrentHashMap<>()).put(metadata.offset(), value);
                                }
                            });
                } catch (KafkaException unavailable) {
                    // The broker is gone: records not acknowledged are not expected to survive.
                }
            }
        });
        await().atMost(Duration.ofSeconds(60)).until(() -> acked.values().stream().mapToInt(Map::size).sum() >= 5_000);

        // When the broker is killed with SIGKILL mid-stream
        broker.kill9();
        stop.set(true);
        writer.join();
        producer.close(Duration.ZERO);
        Map<TopicPartition, Map<Long, String>> ackedBeforeCrash = snapshot(acked);

        // Then no segment holds a torn or corrupt batch after recovery
        broker.restart();
        assertThat(broker.isAlive()).isTrue();

        // And every acknowledged record is readable at its acknowledged offset
        for (var entry : ackedBeforeCrash.entrySet()) {
            TopicPartition tp = entry.getKey();
            long maxAcked = entry.getValue().keySet().stream().mapToLong(Long::longValue).max().orElseThrow();
            long end = Clients.endOffset(broker.bootstrap(), tp);
            assertThat(end).isGreaterThan(maxAcked);
            List<ConsumerRecord<byte[], byte[]>> read = Clients.readPartition(broker.bootstrap(), tp, 0, end, Duration.ofSeconds(60));
            assertThat(read).hasSize((int) end);
            for (ConsumerRecord<byte[], byte[]> record : read) {
                String expected = entry.getValue().get(record.offset());
                if (expected != null) {
                    assertThat(new String(record.value(), StandardCharsets.UTF_8)).isEqualTo(expected);
                }
            }
        }

        // And producing continues after the recovered end
        try (KafkaProducer<byte[], byte[]> again = Clients.producer(broker.bootstrap(), Map.of())) {
            TopicPartition p0 = new TopicPartition(TOPIC, 0);
            long end = Clients.endOffset(broker.bootstrap(), p0);
            RecordMetadata metadata = again.send(new ProducerRecord<>(TOPIC, 0, null, "after".getBytes(StandardCharsets.UTF_8))).get();
            assertThat(metadata.offset()).isEqualTo(end);
        }

        // And the segment files on disk are whole, valid batches end to end
        broker.stop();
        assertSegmentsValid(broker.dataDir());
    }

    private static Map<TopicPartition, Map<Long, String>> snapshot(ConcurrentMap<TopicPartition, ConcurrentMap<Long, String>> acked) {
        Map<TopicPartition, Map<Long, String>> copy = new java.util.HashMap<>();
        acked.forEach((tp, offsets) -> copy.put(tp, Map.copyOf(offsets)));
        return copy;
    }

    private static void assertSegmentsValid(Path dataDir) throws Exception {
        List<Path> segments;
        try (Stream<Path> files = Files.walk(dataDir)) {
            segments = files.filter(f -> f.getFileName().toString().endsWith(".log")
                    && f.getParent().getFileName().toString().startsWith(TOPIC + "-")).toList();
        }
        assertThat(segments).isNotEmpty();
        for (Path segment : segments) {
            File file = segment.toFile();
            try (FileRecords records = FileRecords.open(file)) {
                int validBytes = 0;
                for (RecordBatch batch : records.batches()) {
                    batch.ensureValid();
                    assertThat(batch.magic()).isEqualTo(RecordBatch.MAGIC_VALUE_V2);
                    validBytes += batch.sizeInBytes();
                }
                assertThat(validBytes).as("whole batches in %s", segment).isEqualTo(records.sizeInBytes());
            }
        }
    }
}
