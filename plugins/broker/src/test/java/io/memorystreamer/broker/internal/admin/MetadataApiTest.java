package io.memorystreamer.broker.internal.admin;

import static io.memorystreamer.broker.internal.support.Requests.createTopic;
import static io.memorystreamer.broker.internal.support.Requests.metadata;
import static org.assertj.core.api.Assertions.assertThat;

import io.memorystreamer.broker.internal.support.BrokerFixture;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.apache.kafka.common.Uuid;
import org.apache.kafka.common.message.MetadataRequestData;
import org.apache.kafka.common.message.MetadataRequestData.MetadataRequestTopic;
import org.apache.kafka.common.message.MetadataResponseData.MetadataResponseBroker;
import org.apache.kafka.common.message.MetadataResponseData.MetadataResponsePartition;
import org.apache.kafka.common.message.MetadataResponseData.MetadataResponseTopic;
import org.apache.kafka.common.protocol.Errors;
import org.apache.kafka.common.requests.CreateTopicsResponse;
import org.apache.kafka.common.requests.MetadataResponse;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class MetadataApiTest {

    @TempDir
    Path dir;

    private BrokerFixture broker;

    @AfterEach
    void stop() {
        broker.close();
    }

    @Test
    void thisNodeIsTheOnlyBrokerTheControllerAndTheLeaderOfEveryPartition() {
        // Given a broker with a 3-partition topic
        broker = BrokerFixture.start(dir);
        CreateTopicsResponse created = broker.send(createTopic("orders", 3));
        Uuid id = created.data().topics().find("orders").topicId();

        // When a client asks for its metadata
        MetadataResponse response = broker.send(metadata(false, "orders"));

        // Then this node, at the address the client reached, leads every partition
        assertThat(response.data().brokers()).singleElement()
                .extracting(MetadataResponseBroker::nodeId, MetadataResponseBroker::host, MetadataResponseBroker::port)
                .containsExactly(BrokerFixture.NODE_ID, "127.0.0.1", 9092);
        assertThat(response.data().controllerId()).isEqualTo(BrokerFixture.NODE_ID);
        assertThat(response.data().clusterId()).isEqualTo(broker.runtime().topics().clusterId()).isNotBlank();
        MetadataResponseTopic topic = response.data().topics().find("orders");
        assertThat(topic.errorCode()).isEqualTo(Errors.NONE.code());
        assertThat(topic.topicId()).isEqualTo(id);
        assertThat(topic.partitions()).hasSize(3).allSatisfy(p -> {
            assertThat(p.leaderId()).isEqualTo(BrokerFixture.NODE_ID);
            assertThat(p.leaderEpoch()).isZero();
            assertThat(p.replicaNodes()).containsExactly(BrokerFixture.NODE_ID);
            assertThat(p.isrNodes()).containsExactly(BrokerFixture.NODE_ID);
        });
        assertThat(topic.partitions()).extracting(MetadataResponsePartition::partitionIndex).containsExactly(0, 1, 2);
    }

    @Test
    void advertisedListenersOverrideTheConnectionAddress() {
        broker = BrokerFixture.start(dir, Map.of("advertised.listeners", "PLAINTEXT://broker.example:19092"));

        MetadataResponse response = broker.send(metadata(false));

        assertThat(response.data().brokers()).singleElement()
                .extracting(MetadataResponseBroker::host, MetadataResponseBroker::port)
                .containsExactly("broker.example", 19092);
    }

    @Test
    void anUnknownTopicIsAutoCreatedWhenBothRequestAndBrokerAllowIt() {
        broker = BrokerFixture.start(dir, Map.of("num.partitions", "4"));

        MetadataResponse response = broker.send(metadata(true, "auto-created"));

        MetadataResponseTopic topic = response.data().topics().find("auto-created");
        assertThat(topic.errorCode()).isEqualTo(Errors.NONE.code());
        assertThat(topic.partitions()).hasSize(4);
        assertThat(broker.runtime().topics().topic("auto-created")).isPresent();
    }

    @Test
    void anUnknownTopicIsNotCreatedWhenTheRequestDoesNotAllowIt() {
        broker = BrokerFixture.start(dir);

        MetadataResponse response = broker.send(metadata(false, "missing"));

        assertThat(response.data().topics().find("missing").errorCode())
                .isEqualTo(Errors.UNKNOWN_TOPIC_OR_PARTITION.code());
        assertThat(broker.runtime().topics().topic("missing")).isEmpty();
    }

    @Test
    void anUnknownTopicIsNotCreatedWhenTheBrokerDisablesAutoCreation() {
        broker = BrokerFixture.start(dir, Map.of("auto.create.topics.enable", "false"));

        MetadataResponse response = broker.send(metadata(true, "missing"));

        assertThat(response.data().topics().find("missing").errorCode())
                .isEqualTo(Errors.UNKNOWN_TOPIC_OR_PARTITION.code());
    }

    @Test
    void anIllegalNameIsInvalidTopicAndNeverCreated() {
        broker = BrokerFixture.start(dir);

        MetadataResponse response = broker.send(metadata(true, "bad name"));

        assertThat(response.data().topics().find("bad name").errorCode())
                .isEqualTo(Errors.INVALID_TOPIC_EXCEPTION.code());
    }

    @Test
    void nullTopicsListsEveryTopic() {
        broker = BrokerFixture.start(dir);
        broker.send(createTopic("b-topic", 1));
        broker.send(createTopic("a-topic", 2));

        MetadataResponse response = broker.send(new MetadataRequestData().setTopics(null));

        assertThat(response.data().topics()).extracting(MetadataResponseTopic::name)
                .containsExactly("a-topic", "b-topic");
    }

    @Test
    void topicsCanBeAskedForById() {
        broker = BrokerFixture.start(dir);
        Uuid id = ((CreateTopicsResponse) broker.send(createTopic("by-id", 1))).data().topics().find("by-id").topicId();
        Uuid unknown = Uuid.randomUuid();

        MetadataResponse response = broker.send(new MetadataRequestData().setTopics(List.of(
                new MetadataRequestTopic().setName(null).setTopicId(id),
                new MetadataRequestTopic().setName("").setTopicId(unknown))));

        assertThat(response.data().topics()).anySatisfy(t -> {
            assertThat(t.topicId()).isEqualTo(id);
            assertThat(t.name()).isEqualTo("by-id");
        });
        assertThat(response.data().topics()).anySatisfy(t -> {
            assertThat(t.topicId()).isEqualTo(unknown);
            assertThat(t.errorCode()).isEqualTo(Errors.UNKNOWN_TOPIC_ID.code());
        });
    }

    @Test
    void everyMetadataVersionEncodes() {
        broker = BrokerFixture.start(dir);
        broker.send(createTopic("versions", 1));

        for (short v = org.apache.kafka.common.protocol.ApiKeys.METADATA.oldestVersion();
                v <= org.apache.kafka.common.protocol.ApiKeys.METADATA.latestVersion(false); v++) {
            MetadataRequestData request = v == 0
                    ? new MetadataRequestData().setTopics(List.of(new MetadataRequestTopic().setName("versions")))
                    : metadata(v < 4, "versions");
            MetadataResponse response = broker.send(request, v);
            assertThat(response.data().topics().find("versions").partitions()).as("v%d", v).hasSize(1);
        }
    }
}
