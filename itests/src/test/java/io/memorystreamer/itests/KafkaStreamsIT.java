package io.memorystreamer.itests;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

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
import java.util.Properties;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.StreamsBuilder;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.kstream.Consumed;
import org.apache.kafka.streams.kstream.Grouped;
import org.apache.kafka.streams.kstream.Materialized;
import org.apache.kafka.streams.state.KeyValueStore;
import org.apache.kafka.common.utils.Bytes;
import org.apache.kafka.streams.kstream.Produced;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A Kafka Streams application with exactly_once_v2, a state store (and its changelog) and a
 * repartition topic, running unchanged against the broker process.
 */
class KafkaStreamsIT {

    private static final String INPUT = "sentences";
    private static final String OUTPUT = "word-counts";
    private static final List<String> WORDS = List.of("kafka", "streams", "broker", "log", "offset", "group", "txn");

    @TempDir
    Path work;

    BrokerProcess broker;
    KafkaStreams streams;

    @AfterEach
    void close() {
        if (streams != null) {
            streams.close(Duration.ofSeconds(30));
        }
        if (broker != null) {
            broker.close();
        }
    }

    @Test
    void wordCountWithExactlyOnceV2ProducesExactlyTheExpectedCounts() throws Exception {
        // Given sentences whose word counts are known, keyed by sentence number over 3 partitions
        broker = BrokerProcess.start(work, Map.of("group.initial.rebalance.delay.ms", "0"));
        Clients.createTopic(broker.bootstrap(), INPUT, 3);
        Clients.createTopic(broker.bootstrap(), OUTPUT, 3);
        Map<String, Long> expected = new HashMap<>();
        try (KafkaProducer<byte[], byte[]> producer = Clients.producer(broker.bootstrap(), Map.of())) {
            for (int i = 0; i < 2_000; i++) {
                List<String> sentence = new ArrayList<>();
                for (int w = 0; w <= i % 5; w++) {
                    sentence.add(WORDS.get((i + w * 3) % WORDS.size()));
                }
                sentence.forEach(word -> expected.merge(word, 1L, Long::sum));
                producer.send(new ProducerRecord<>(INPUT, ("s" + i).getBytes(StandardCharsets.UTF_8),
                        String.join(" ", sentence).getBytes(StandardCharsets.UTF_8)));
            }
            producer.flush();
        }

        // When a word-count topology (group by word: a repartition topic; count: a state store with a
        // changelog) runs with processing.guarantee=exactly_once_v2
        StreamsBuilder builder = new StreamsBuilder();
        builder.stream(INPUT, Consumed.with(Serdes.String(), Serdes.String()))
                .flatMapValues(sentence -> Arrays.asList(sentence.split(" ")))
                .groupBy((key, word) -> word, Grouped.with(Serdes.String(), Serdes.String()))
                .count(Materialized.<String, Long, KeyValueStore<Bytes, byte[]>>as("counts")
                        .withKeySerde(Serdes.String()).withValueSerde(Serdes.Long()))
                .toStream()
                .to(OUTPUT, Produced.with(Serdes.String(), Serdes.Long()));
        Properties config = new Properties();
        config.put(StreamsConfig.APPLICATION_ID_CONFIG, "word-count");
        config.put(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrap());
        config.put(StreamsConfig.PROCESSING_GUARANTEE_CONFIG, StreamsConfig.EXACTLY_ONCE_V2);
        config.put(StreamsConfig.STATE_DIR_CONFIG, work.resolve("streams-state").toString());
        config.put(StreamsConfig.COMMIT_INTERVAL_MS_CONFIG, 200);
        config.put(StreamsConfig.consumerPrefix(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG), "earliest");
        streams = new KafkaStreams(builder.build(), config);
        streams.start();

        // Then a read_committed consumer of the output sees, per word, counts that only grow and end
        // exactly at the expected total
        Map<String, List<Long>> seen = new HashMap<>();
        try (KafkaConsumer<String, Long> consumer = new KafkaConsumer<>(Map.of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrap(),
                ConsumerConfig.GROUP_ID_CONFIG, "word-count-verifier",
                ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest",
                ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed"),
                Serdes.String().deserializer(), Serdes.Long().deserializer())) {
            consumer.subscribe(List.of(OUTPUT));
            await().atMost(Duration.ofSeconds(120)).until(() -> {
                for (ConsumerRecord<String, Long> record : consumer.poll(Duration.ofMillis(200))) {
                    seen.computeIfAbsent(record.key(), k -> new ArrayList<>()).add(record.value());
                }
                return seen.keySet().equals(expected.keySet())
                        && expected.entrySet().stream().allMatch(e -> last(seen.get(e.getKey())) == e.getValue());
            });
        }
        assertThat(streams.state()).isEqualTo(KafkaStreams.State.RUNNING);
        for (Map.Entry<String, List<Long>> entry : seen.entrySet()) {
            assertThat(entry.getValue()).as("counts of %s", entry.getKey()).isSorted();
            assertThat(last(entry.getValue())).isEqualTo(expected.get(entry.getKey()));
        }
    }

    private static long last(List<Long> values) {
        return values.get(values.size() - 1);
    }
}
