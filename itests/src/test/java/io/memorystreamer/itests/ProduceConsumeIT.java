package io.memorystreamer.itests;

import static org.assertj.core.api.Assertions.assertThat;

import io.memorystreamer.itests.support.BrokerProcess;
import io.memorystreamer.itests.support.Clients;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.internals.RecordHeader;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The official producer and consumer against the broker process: what goes in comes out. */
class ProduceConsumeIT {

    private static final int PARTITIONS = 3;
    private static final int RECORDS_PER_PRODUCER = 50_000;

    @TempDir
    static Path work;

    static BrokerProcess broker;

    @BeforeAll
    static void startBroker() {
        broker = BrokerProcess.start(work);
    }

    @AfterAll
    static void stopBroker() {
        broker.close();
    }

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
}
