package io.memorystreamer.broker.internal.admin;

import static io.memorystreamer.broker.internal.support.Requests.createTopic;
import static io.memorystreamer.broker.internal.support.Requests.createTopics;
import static io.memorystreamer.broker.internal.support.Requests.topic;
import static org.assertj.core.api.Assertions.assertThat;

import io.memorystreamer.broker.internal.support.BrokerFixture;
import io.memorystreamer.spi.storage.PartitionId;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.apache.kafka.common.Uuid;
import org.apache.kafka.common.message.CreateTopicsRequestData.CreatableReplicaAssignment;
import org.apache.kafka.common.message.CreateTopicsRequestData.CreatableReplicaAssignmentCollection;
import org.apache.kafka.common.message.CreateTopicsRequestData.CreatableTopic;
import org.apache.kafka.common.message.CreateTopicsResponseData.CreatableTopicConfigs;
import org.apache.kafka.common.message.CreateTopicsResponseData.CreatableTopicResult;
import org.apache.kafka.common.protocol.Errors;
import org.apache.kafka.common.requests.CreateTopicsResponse;
import org.apache.kafka.common.requests.DescribeConfigsResponse.ConfigSource;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CreateTopicsApiTest {

    @TempDir
    Path dir;

    private BrokerFixture broker;

    @BeforeEach
    void start() {
        broker = BrokerFixture.start(dir, Map.of("num.partitions", "2"));
    }

    @AfterEach
    void stop() {
        broker.close();
    }

    private CreatableTopicResult create(CreatableTopic topic) {
        CreateTopicsResponse response = broker.send(createTopics(topic));
        return response.data().topics().find(topic.name());
    }

    @Test
    void aTopicIsCreatedWithItsPartitionLogsIdAndConfigs() {
        // When a 3-partition topic with a retention override is created
        CreatableTopicResult result = create(topic("orders", 3, 1, Map.of("retention.ms", "3600000")));

        // Then it succeeds with an id, its partition count and its effective configs
        assertThat(result.errorCode()).isEqualTo(Errors.NONE.code());
        assertThat(result.topicId()).isNotEqualTo(Uuid.ZERO_UUID);
        assertThat(result.numPartitions()).isEqualTo(3);
        assertThat(result.replicationFactor()).isEqualTo((short) 1);
        assertThat(result.configs()).filteredOn(c -> c.name().equals("retention.ms")).singleElement()
                .extracting(CreatableTopicConfigs::value, CreatableTopicConfigs::configSource)
                .containsExactly("3600000", ConfigSource.TOPIC_CONFIG.id());

        // And the catalog and the storage have it
        assertThat(broker.runtime().topics().topic("orders")).hasValueSatisfying(t -> {
            assertThat(t.id()).isEqualTo(result.topicId());
            assertThat(t.configs()).containsEntry("retention.ms", "3600000");
        });
        assertThat(broker.plugins().logs().existing()).contains(new PartitionId("orders", 0),
                new PartitionId("orders", 1), new PartitionId("orders", 2));
    }

    @Test
    void minusOneTakesTheBrokerDefaults() {
        CreatableTopicResult result = create(topic("defaults", -1, -1, Map.of()));

        assertThat(result.errorCode()).isEqualTo(Errors.NONE.code());
        assertThat(result.numPartitions()).isEqualTo(2);
    }

    @Test
    void aReplicationFactorAboveOneIsRefusedWithKafkasMessage() {
        CreatableTopicResult result = create(topic("replicated", 1, 3, Map.of()));

        assertThat(result.errorCode()).isEqualTo(Errors.INVALID_REPLICATION_FACTOR.code());
        assertThat(result.errorMessage()).isEqualTo("Unable to replicate the partition 3 time(s): The target "
                + "replication factor of 3 cannot be reached because only 1 broker(s) are registered.");
        assertThat(broker.runtime().topics().topic("replicated")).isEmpty();
    }

    @Test
    void anExistingTopicIsTopicAlreadyExists() {
        broker.send(createTopic("twice", 1));

        CreatableTopicResult result = create(topic("twice", 1, 1, Map.of()));

        assertThat(result.errorCode()).isEqualTo(Errors.TOPIC_ALREADY_EXISTS.code());
        assertThat(result.errorMessage()).isEqualTo("Topic 'twice' already exists.");
    }

    @Test
    void anIllegalNameIsInvalidTopic() {
        assertThat(create(topic("bad/name", 1, 1, Map.of())).errorCode())
                .isEqualTo(Errors.INVALID_TOPIC_EXCEPTION.code());
    }

    @Test
    void nonPositivePartitionCountsAreInvalidPartitions() {
        assertThat(create(topic("zero", 0, 1, Map.of())).errorCode()).isEqualTo(Errors.INVALID_PARTITIONS.code());
    }

    @Test
    void anUnknownConfigIsInvalidConfigNamingTheKey() {
        CreatableTopicResult result = create(topic("configured", 1, 1, Map.of("retention.forever", "true")));

        assertThat(result.errorCode()).isEqualTo(Errors.INVALID_CONFIG.code());
        assertThat(result.errorMessage()).contains("retention.forever");
        assertThat(broker.runtime().topics().topic("configured")).isEmpty();
    }

    @Test
    void validateOnlyChecksWithoutCreating() {
        CreateTopicsResponse response = broker.send(createTopic("dry-run", 4).setValidateOnly(true));

        assertThat(response.data().topics().find("dry-run").errorCode()).isEqualTo(Errors.NONE.code());
        assertThat(response.data().topics().find("dry-run").numPartitions()).isEqualTo(4);
        assertThat(broker.runtime().topics().topic("dry-run")).isEmpty();
        assertThat(broker.plugins().logs().existing()).noneMatch(p -> p.topic().equals("dry-run"));
    }

    @Test
    void anAssignmentOfEveryPartitionToThisNodeIsAccepted() {
        CreatableReplicaAssignmentCollection assignments = new CreatableReplicaAssignmentCollection();
        assignments.add(new CreatableReplicaAssignment().setPartitionIndex(0).setBrokerIds(List.of(BrokerFixture.NODE_ID)));
        assignments.add(new CreatableReplicaAssignment().setPartitionIndex(1).setBrokerIds(List.of(BrokerFixture.NODE_ID)));

        CreatableTopicResult result = create(topic("assigned", -1, -1, Map.of()).setAssignments(assignments));

        assertThat(result.errorCode()).isEqualTo(Errors.NONE.code());
        assertThat(result.numPartitions()).isEqualTo(2);
    }

    @Test
    void anAssignmentToAnotherBrokerIsRefused() {
        CreatableReplicaAssignmentCollection assignments = new CreatableReplicaAssignmentCollection();
        assignments.add(new CreatableReplicaAssignment().setPartitionIndex(0).setBrokerIds(List.of(7)));

        CreatableTopicResult result = create(topic("elsewhere", -1, -1, Map.of()).setAssignments(assignments));

        assertThat(result.errorCode()).isEqualTo(Errors.INVALID_REPLICA_ASSIGNMENT.code());
        assertThat(result.errorMessage()).contains("broker 7");
    }

    @Test
    void anAssignmentTogetherWithACountIsAnInvalidRequest() {
        CreatableReplicaAssignmentCollection assignments = new CreatableReplicaAssignmentCollection();
        assignments.add(new CreatableReplicaAssignment().setPartitionIndex(0).setBrokerIds(List.of(BrokerFixture.NODE_ID)));

        CreatableTopicResult result = create(topic("both", 1, -1, Map.of()).setAssignments(assignments));

        assertThat(result.errorCode()).isEqualTo(Errors.INVALID_REQUEST.code());
    }

    @Test
    void oldRequestVersionsGetTheirOwnResponseShape() {
        // Given the oldest CreateTopics version kafka-clients 4.4 still speaks
        CreateTopicsResponse response = broker.send(createTopic("old-client", 1), (short) 2);

        // Then the topic is created and the v2 response decodes
        assertThat(response.data().topics().find("old-client").errorCode()).isEqualTo(Errors.NONE.code());
    }
}
