package io.memorystreamer.itests;

import static org.assertj.core.api.Assertions.assertThat;

import io.memorystreamer.itests.support.Clients;
import io.memorystreamer.itests.support.SharedBroker;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndTimestamp;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.internals.RecordHeader;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The official producer and consumer against the broker process: what goes in comes out. */
class ProduceConsumeIT {

    private static final int PARTITIONS = 3;
    private static final int RECORDS_PER_PRODUCER = 50_000;

    @RegisterExtension
    static final SharedBroker broker = new SharedBroker();

    /** What was sent, keyed by partition and offset as acknowledged. */
    record Sent(byte[] key, byte[] value, Header[] headers) {
    }

    @Test
    void hundredThousandRecordsWithMixedCompressionComeBackByteEqualAndInOrder() throws Exception {
        // Given a 3-partition topic
        String topic = "mixed-compression";
        Clients.createTopic(broker.bootstrap(), topic, PARTITIONS);
        ConcurrentMap<TopicPartition, ConcurrentMap<Long, Sent>> sent = new ConcurrentHashMap<>();
        Map<Integer, List<byte[]>> sendOrder = new HashMap<>();

        // When two default producers (idempotent, acks=all) send 50,000 records each, lz4 then zstd,
        // with headers and some null keys
        for (String compression : List.of("lz4", "zstd")) {
            Map<String, Object> config = Map.of(
                    ProducerConfig.ACKS_CONFIG, "all",
                    ProducerConfig.COMPRESSION_TYPE_CONFIG, compression,
                    ProducerConfig.LINGER_MS_CONFIG, 5);
            try (KafkaProducer<byte[], byte[]> producer = Clients.producer(broker.bootstrap(), config)) {
                List<Exception> failures = new ArrayList<>();
                for (int i = 0; i < RECORDS_PER_PRODUCER; i++) {
                    byte[] key = i % 7 == 0 ? null : (compression + "-key-" + i).getBytes(StandardCharsets.UTF_8);
                    byte[] value = (compression + "-value-" + i + "-" + "x".repeat(i % 100)).getBytes(StandardCharsets.UTF_8);
                    Header[] headers = i % 3 == 0
                            ? new Header[] {new RecordHeader("h1", ("v" + i).getBytes(StandardCharsets.UTF_8)),
                                new RecordHeader("h2", null)}
                            : new Header[0];
                    sendOrder.computeIfAbsent(i % PARTITIONS, p -> new ArrayList<>()).add(value);
                    ProducerRecord<byte[], byte[]> record =
                            new ProducerRecord<>(topic, i % PARTITIONS, key, value, Arrays.asList(headers));
                    producer.send(record, (metadata, exception) -> {
                        if (exception != null) {
                            synchronized (failures) {
                                failures.add(exception);
                            }
                            return;
                        }
                        sent.computeIfAbsent(new TopicPartition(topic, metadata.partition()), p -> new ConcurrentHashMap<>())
                                .put(metadata.offset(), new Sent(key, value, headers));
                    });
                }
                producer.flush();
                assertThat(failures).isEmpty();
            }
        }

        // Then every partition reads back, with assign(), exactly what was acknowledged, in offset order
        int total = 0;
        for (int p = 0; p < PARTITIONS; p++) {
            TopicPartition tp = new TopicPartition(topic, p);
            Map<Long, Sent> expected = new HashMap<>(sent.get(tp));
            long end = Clients.endOffset(broker.bootstrap(), tp);
            assertThat(end).isEqualTo(expected.size());

            List<ConsumerRecord<byte[], byte[]>> read = Clients.readPartition(broker.bootstrap(), tp, 0, end, Duration.ofSeconds(60));
            assertThat(read).hasSize(expected.size());
            for (int i = 0; i < read.size(); i++) {
                ConsumerRecord<byte[], byte[]> record = read.get(i);
                assertThat(record.offset()).isEqualTo(i);
                Sent s = expected.get(record.offset());
                assertThat(record.key()).isEqualTo(s.key());
                assertThat(record.value()).isEqualTo(s.value());
                assertThat(record.headers().toArray()).containsExactly(s.headers());
            }
            assertThat(read).extracting(ConsumerRecord::value).containsExactlyElementsOf(sendOrder.get(p));
            total += read.size();
        }
        assertThat(total).isEqualTo(2 * RECORDS_PER_PRODUCER);
    }

    @ParameterizedTest
    @ValueSource(strings = {"0", "1"})
    void producersWithAcksZeroAndOneAreServed(String acks) throws Exception {
        // Given a non-idempotent producer with acks=0 or acks=1 (idempotence requires acks=all)
        String topic = "acks-" + acks;
        Clients.createTopic(broker.bootstrap(), topic, 1);
        try (KafkaProducer<byte[], byte[]> producer = Clients.producer(broker.bootstrap(), Map.of(
                ProducerConfig.ACKS_CONFIG, acks, ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, false))) {
            // When it sends 1,000 records
            for (int i = 0; i < 1_000; i++) {
                producer.send(new ProducerRecord<>(topic, ("r" + i).getBytes(StandardCharsets.UTF_8)));
            }
            producer.flush();
        }

        // Then all of them are stored in order
        TopicPartition tp = new TopicPartition(topic, 0);
        org.awaitility.Awaitility.await().atMost(Duration.ofSeconds(30))
                .until(() -> Clients.endOffset(broker.bootstrap(), tp) == 1_000);
        List<ConsumerRecord<byte[], byte[]>> read = Clients.readPartition(broker.bootstrap(), tp, 0, 1_000, Duration.ofSeconds(30));
        assertThat(read).extracting(r -> new String(r.value(), StandardCharsets.UTF_8))
                .containsExactlyElementsOf(java.util.stream.IntStream.range(0, 1_000).mapToObj(i -> "r" + i).toList());
    }

    @Test
    void offsetsForTimesFindsTheFirstRecordAtOrAfterATimestamp() throws Exception {
        // Given records with explicit timestamps 1000, 2000, ..., 10000 in compressed batches
        String topic = "by-time";
        Clients.createTopic(broker.bootstrap(), topic, 1);
        try (KafkaProducer<byte[], byte[]> producer = Clients.producer(broker.bootstrap(),
                Map.of(ProducerConfig.COMPRESSION_TYPE_CONFIG, "zstd", ProducerConfig.LINGER_MS_CONFIG, 50))) {
            for (int i = 1; i <= 10; i++) {
                producer.send(new ProducerRecord<>(topic, 0, i * 1000L, null, ("t" + i).getBytes(StandardCharsets.UTF_8)));
            }
            producer.flush();
        }
        TopicPartition tp = new TopicPartition(topic, 0);
        try (KafkaConsumer<byte[], byte[]> consumer = Clients.consumer(broker.bootstrap(), Map.of())) {
            // When the consumer looks up offsets by time
            Map<TopicPartition, OffsetAndTimestamp> at4500 = consumer.offsetsForTimes(Map.of(tp, 4500L));
            Map<TopicPartition, OffsetAndTimestamp> after = consumer.offsetsForTimes(Map.of(tp, 99_999L));
            Map<TopicPartition, Long> beginning = consumer.beginningOffsets(List.of(tp));
            Map<TopicPartition, Long> end = consumer.endOffsets(List.of(tp));

            // Then it gets the first record at or after the timestamp, none past the end, and the range
            assertThat(at4500.get(tp).offset()).isEqualTo(4);
            assertThat(at4500.get(tp).timestamp()).isEqualTo(5000L);
            assertThat(after.get(tp)).isNull();
            assertThat(beginning.get(tp)).isZero();
            assertThat(end.get(tp)).isEqualTo(10);
        }
    }

    @Test
    void aWaitingConsumerIsWokenByAnAppend() throws Exception {
        // Given a consumer long-polling an empty partition (fetch.max.wait.ms well above the test's patience)
        String topic = "long-poll";
        Clients.createTopic(broker.bootstrap(), topic, 1);
        TopicPartition tp = new TopicPartition(topic, 0);
        try (KafkaConsumer<byte[], byte[]> consumer = Clients.consumer(broker.bootstrap(),
                Map.of(org.apache.kafka.clients.consumer.ConsumerConfig.FETCH_MAX_WAIT_MS_CONFIG, 10_000));
                KafkaProducer<byte[], byte[]> producer = Clients.producer(broker.bootstrap(), Map.of())) {
            consumer.assign(List.of(tp));
            consumer.seekToBeginning(List.of(tp));
            assertThat(consumer.poll(Duration.ofMillis(200))).isEmpty();

            // When a record is produced
            producer.send(new ProducerRecord<>(topic, "wake".getBytes(StandardCharsets.UTF_8))).get();

            // Then the parked fetch returns it well before fetch.max.wait.ms
            List<ConsumerRecord<byte[], byte[]>> got = new ArrayList<>();
            org.awaitility.Awaitility.await().atMost(Duration.ofSeconds(5))
                    .until(() -> { consumer.poll(Duration.ofMillis(100)).forEach(got::add); return !got.isEmpty(); });
            assertThat(new String(got.get(0).value(), StandardCharsets.UTF_8)).isEqualTo("wake");
        }
    }
}
