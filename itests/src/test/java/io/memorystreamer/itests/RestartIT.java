package io.memorystreamer.itests;

import static org.assertj.core.api.Assertions.assertThat;

import io.memorystreamer.itests.support.BrokerProcess;
import io.memorystreamer.itests.support.Clients;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A graceful stop (SIGTERM) and start keeps every record, and offsets continue. */
class RestartIT {

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
    void recordsSurviveSigtermAndOffsetsContinue() throws Exception {
        // Given a broker with 1,000 records in a 2-partition topic
        broker = BrokerProcess.start(work);
        String topic = "restart";
        Clients.createTopic(broker.bootstrap(), topic, 2);
        produce(topic, 0, 1_000);

        // When it is stopped with SIGTERM and started again
        int exitCode = broker.stop();
        assertThat(exitCode).isZero();
        assertThat(broker.log()).contains("MemoryStreamer stopped");
        broker.restart();

        // Then everything is still there
        for (int p = 0; p < 2; p++) {
            TopicPartition tp = new TopicPartition(topic, p);
            assertThat(Clients.endOffset(broker.bootstrap(), tp)).isEqualTo(500);
            List<ConsumerRecord<byte[], byte[]>> read = Clients.readPartition(broker.bootstrap(), tp, 0, 500, Duration.ofSeconds(30));
            assertThat(read).hasSize(500);
            for (int i = 0; i < read.size(); i++) {
                assertThat(new String(read.get(i).value(), StandardCharsets.UTF_8)).isEqualTo("value-" + (2 * i + p));
            }
        }

        // And new records continue the offsets
        List<RecordMetadata> next = produce(topic, 1_000, 10);
        assertThat(next).filteredOn(m -> m.partition() == 0).first().extracting(RecordMetadata::offset).isEqualTo(500L);
        assertThat(next).filteredOn(m -> m.partition() == 1).first().extracting(RecordMetadata::offset).isEqualTo(500L);
    }

    private List<RecordMetadata> produce(String topic, int from, int count) throws Exception {
        try (KafkaProducer<byte[], byte[]> producer = Clients.producer(broker.bootstrap(), Map.of())) {
            List<java.util.concurrent.Future<RecordMetadata>> futures = new java.util.ArrayList<>();
            for (int i = from; i < from + count; i++) {
                futures.add(producer.send(new ProducerRecord<>(topic, i % 2, null, ("value-" + i).getBytes(StandardCharsets.UTF_8))));
            }
            List<RecordMetadata> acked = new java.util.ArrayList<>();
            for (var future : futures) {
                acked.add(future.get());
            }
            return acked;
        }
    }
}
