package io.memorystreamer.broker.internal.admin;

import static io.memorystreamer.broker.internal.support.Requests.createTopic;
import static org.assertj.core.api.Assertions.assertThat;

import io.memorystreamer.broker.internal.support.BrokerFixture;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.kafka.common.Uuid;
import org.apache.kafka.common.compress.Compression;
import org.apache.kafka.common.message.DeleteTopicsRequestData;
import org.apache.kafka.common.message.DeleteTopicsRequestData.DeleteTopicState;
import org.apache.kafka.common.message.DeleteTopicsResponseData.DeletableTopicResult;
import org.apache.kafka.common.protocol.Errors;
import org.apache.kafka.common.record.internal.MemoryRecords;
import org.apache.kafka.common.record.internal.SimpleRecord;
import org.apache.kafka.common.requests.CreateTopicsResponse;
import org.apache.kafka.common.requests.DeleteTopicsResponse;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DeleteTopicsApiTest {

    @TempDir
    Path dir;

    private BrokerFixture broker;

    @AfterEach
    void stop() {
        broker.close();
    }

    private Uuid create(String name) {
        CreateTopicsResponse response = broker.send(createTopic(name, 2));
        return response.data().topics().find(name).topicId();
    }

    @Test
    void aTopicDeletedByNameLeavesTheCatalogAndTheDisk() {
        // Given a topic
        broker = BrokerFixture.start(dir);
        Uuid id = create("doomed");
        List<String> deletedNotices = new ArrayList<>();
        broker.runtime().topics().addDeletionListener(deletedNotices::add);

        // When it is deleted by name (v5: names only)
        DeleteTopicsResponse response = broker.send(new DeleteTopicsRequestData().setTopicNames(List.of("doomed")),
                (short) 5);

        // Then it is gone everywhere and the data plane was told
        DeletableTopicResult result = response.data().responses().find("doomed");
        assertThat(result.errorCode()).isEqualTo(Errors.NONE.code());
        assertThat(broker.runtime().topics().topic("doomed")).isEmpty();
        assertThat(broker.runtime().topics().topic(id)).isEmpty();
        assertThat(broker.plugins().logs().existing()).noneMatch(p -> p.topic().equals("doomed"));
        assertThat(deletedNotices).containsExactly("doomed");
    }

    @Test
    void aTopicCanBeDeletedById() {
        broker = BrokerFixture.start(dir);
        Uuid id = create("by-id");

        DeleteTopicsResponse response = broker.send(new DeleteTopicsRequestData()
                .setTopics(List.of(new DeleteTopicState().setName(null).setTopicId(id))));

        assertThat(response.data().responses()).singleElement().satisfies(r -> {
            assertThat(r.errorCode()).isEqualTo(Errors.NONE.code());
            assertThat(r.name()).isEqualTo("by-id");
            assertThat(r.topicId()).isEqualTo(id);
        });
        assertThat(broker.runtime().topics().topic("by-id")).isEmpty();
    }

    @Test
    void unknownNamesAndIdsGetTheirErrors() {
        broker = BrokerFixture.start(dir);
        Uuid unknownId = Uuid.randomUuid();

        DeleteTopicsResponse response = broker.send(new DeleteTopicsRequestData().setTopics(List.of(
                new DeleteTopicState().setName("nope"),
                new DeleteTopicState().setName(null).setTopicId(unknownId))));

        assertThat(response.data().responses().find("nope").errorCode())
                .isEqualTo(Errors.UNKNOWN_TOPIC_OR_PARTITION.code());
        assertThat(response.data().responses()).anySatisfy(r -> {
            assertThat(r.topicId()).isEqualTo(unknownId);
            assertThat(r.errorCode()).isEqualTo(Errors.UNKNOWN_TOPIC_ID.code());
        });
    }

    @Test
    void deletionCanBeDisabled() {
        broker = BrokerFixture.start(dir, Map.of("delete.topic.enable", "false"));
        create("kept");

        DeleteTopicsResponse response = broker.send(new DeleteTopicsRequestData().setTopics(List.of(
                new DeleteTopicState().setName("kept"))));

        assertThat(response.data().responses().find("kept").errorCode())
                .isEqualTo(Errors.TOPIC_DELETION_DISABLED.code());
        assertThat(broker.runtime().topics().topic("kept")).isPresent();
    }

    @Test
    void aDeletedNameCanBeCreatedAgainEmptyWithANewId() {
        broker = BrokerFixture.start(dir);
        Uuid first = create("reborn");
        broker.runtime().topics().log("reborn", 0).orElseThrow().append(MemoryRecords.withRecords(Compression.NONE,
                new SimpleRecord("old".getBytes(StandardCharsets.UTF_8))).buffer());
        broker.send(new DeleteTopicsRequestData().setTopics(List.of(new DeleteTopicState().setName("reborn"))));

        Uuid second = create("reborn");

        assertThat(second).isNotEqualTo(first);
        assertThat(broker.runtime().topics().log("reborn", 0)).hasValueSatisfying(
                log -> assertThat(log.logEndOffset()).isZero());
    }
}
