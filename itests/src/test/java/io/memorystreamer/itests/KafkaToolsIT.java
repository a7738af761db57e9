package io.memorystreamer.itests;

import static org.assertj.core.api.Assertions.assertThat;

import io.memorystreamer.itests.support.SharedBroker;
import io.memorystreamer.itests.support.ToolRunner;
import io.memorystreamer.itests.support.ToolRunner.Result;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** Kafka's own CLI tools (kafka-tools main classes) against the broker process. */
class KafkaToolsIT {

    @RegisterExtension
    static final SharedBroker broker = new SharedBroker();

    @Test
    void kafkaTopicsCreatesListsAndDescribes() {
        // When kafka-topics creates a topic
        Result create = ToolRunner.run(broker.work(), null, "org.apache.kafka.tools.TopicCommand",
                "--bootstrap-server", broker.bootstrap(), "--create", "--topic", "tools-topic",
                "--partitions", "4", "--replication-factor", "1", "--config", "retention.ms=3600000");
        assertThat(create.exitCode()).as(create.stderr()).isZero();
        assertThat(create.stdout()).contains("Created topic tools-topic.");

        // Then it is listed and described with its partitions and config
        Result list = ToolRunner.run(broker.work(), null, "org.apache.kafka.tools.TopicCommand",
                "--bootstrap-server", broker.bootstrap(), "--list");
        assertThat(list.exitCode()).as(list.stderr()).isZero();
        assertThat(list.stdout().lines()).contains("tools-topic");

        Result describe = ToolRunner.run(broker.work(), null, "org.apache.kafka.tools.TopicCommand",
                "--bootstrap-server", broker.bootstrap(), "--describe", "--topic", "tools-topic");
        assertThat(describe.exitCode()).as(describe.stderr()).isZero();
        assertThat(describe.stdout()).contains("PartitionCount: 4").contains("retention.ms=3600000");
        assertThat(describe.stdout().lines().filter(l -> l.contains("Partition: ")).count()).isEqualTo(4);
    }

    @Test
    void consoleProducerAndConsumerRoundTrip() {
        // Given lines written with the console producer
        Result produce = ToolRunner.run(broker.work(), "alpha\nbeta\ngamma\n", "org.apache.kafka.tools.ConsoleProducer",
                "--bootstrap-server", broker.bootstrap(), "--topic", "console-topic");
        assertThat(produce.exitCode()).as(produce.stderr()).isZero();

        // When the console consumer reads from the beginning
        Result consume = ToolRunner.run(broker.work(), null, "org.apache.kafka.tools.consumer.ConsoleConsumer",
                "--bootstrap-server", broker.bootstrap(), "--topic", "console-topic", "--partition", "0",
                "--offset", "earliest", "--max-messages", "3", "--timeout-ms", "30000");

        // Then it prints exactly those lines
        assertThat(consume.exitCode()).as(consume.stderr()).isZero();
        assertThat(consume.stdout().lines()).containsExactly("alpha", "beta", "gamma");
    }
}
