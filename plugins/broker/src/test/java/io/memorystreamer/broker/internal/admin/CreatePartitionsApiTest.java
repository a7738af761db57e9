package io.memorystreamer.broker.internal.admin;

import static io.memorystreamer.broker.internal.support.Requests.createTopic;
import static org.assertj.core.api.Assertions.assertThat;

import io.memorystreamer.broker.internal.support.BrokerFixture;
import io.memorystreamer.spi.storage.PartitionId;
import java.nio.file.Path;
import java.util.List;
import org.apache.kafka.common.message.CreatePartitionsRequestData;
import org.apache.kafka.common.message.CreatePartitionsRequestData.CreatePartitionsAssignment;
import org.apache.kafka.common.message.CreatePartitionsRequestData.CreatePartitionsTopic;
import org.apache.kafka.common.message.CreatePartitionsRequestData.CreatePartitionsTopicCollection;
import org.apache.kafka.common.message.CreatePartitionsResponseData.CreatePartitionsTopicResult;
import org.apache.kafka.common.protocol.Errors;
import org.apache.kafka.common.requests.CreatePartitionsResponse;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CreatePartitionsApiTest {

    @TempDir
    Path dir;

    private BrokerFixture broker;

    @BeforeEach
    void start() {
        broker = BrokerFixture.start(dir);
        broker.send(createTopic("growing", 2));
    }

    @AfterEach
    void stop() {
        broker.close();
    }

    private CreatePartitionsTopicResult grow(CreatePartitionsTopic topic) {
        CreatePartitionsTopicCollection topics = new CreatePartitionsTopicCollection();
        topics.add(topic);
        CreatePartitionsResponse response = broker.send(new CreatePartitionsRequestData().setTopics(topics)
                .setTimeoutMs(30_000));
        return response.data().results().getFirst();
    }

    @Test
    void aTopicGrowsAndKeepsItsNewPartitionsAcrossARestart() {
        // When a 2-partition topic is grown to 4
        CreatePartitionsTopicResult result = grow(new CreatePartitionsTopic().setName("growing").setCount(4)
                .setAssignments(null));

        // Then it has 4 partitions with logs, also after a restart
        assertThat(result.errorCode()).isEqualTo(Errors.NONE.code());
        assertThat(broker.runtime().topics().topic("growing").orElseThrow().partitionCount()).isEqualTo(4);
        assertThat(broker.plugins().logs().existing()).contains(new PartitionId("growing", 3));
        broker.restart();
        assertThat(broker.runtime().topics().log("growing", 3)).isPresent();
    }

    @Test
    void shrinkingOrKeepingTheCountIsInvalidPartitions() {
        CreatePartitionsTopicResult shrink = grow(new CreatePartitionsTopic().setName("growing").setCount(1)
                .setAssignments(null));
        CreatePartitionsTopicResult same = grow(new CreatePartitionsTopic().setName("growing").setCount(2)
                .setAssignments(null));

        assertThat(shrink.errorCode()).isEqualTo(Errors.INVALID_PARTITIONS.code());
        assertThat(shrink.errorMessage()).isEqualTo("Topic currently has 2 partitions, which is higher than the "
                + "requested 1.");
        assertThat(same.errorCode()).isEqualTo(Errors.INVALID_PARTITIONS.code());
    }

    @Test
    void anUnknownTopicIsUnknownTopicOrPartition() {
        assertThat(grow(new CreatePartitionsTopic().setName("nope").setCount(3).setAssignments(null)).errorCode())
                .isEqualTo(Errors.UNKNOWN_TOPIC_OR_PARTITION.code());
    }

    @Test
    void anAssignmentToAnotherBrokerIsRefused() {
        CreatePartitionsTopicResult result = grow(new CreatePartitionsTopic().setName("growing").setCount(3)
                .setAssignments(List.of(new CreatePartitionsAssignment().setBrokerIds(List.of(5)))));

        assertThat(result.errorCode()).isEqualTo(Errors.INVALID_REPLICA_ASSIGNMENT.code());
        assertThat(broker.runtime().topics().topic("growing").orElseThrow().partitionCount()).isEqualTo(2);
    }
}
