package io.memorystreamer.broker.internal.topic;

import static io.memorystreamer.broker.internal.support.Requests.createTopics;
import static io.memorystreamer.broker.internal.support.Requests.topic;
import static org.assertj.core.api.Assertions.assertThat;

import io.memorystreamer.broker.internal.support.BrokerFixture;
import io.memorystreamer.broker.internal.support.CallCountingLogs;
import io.memorystreamer.spi.state.WriteBatch;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;
import org.apache.kafka.common.compress.Compression;
import org.apache.kafka.common.record.internal.MemoryRecords;
import org.apache.kafka.common.record.internal.SimpleRecord;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TopicManagerTest {

    @TempDir
    Path dir;

    private BrokerFixture broker;

    @AfterEach
    void stop() {
        broker.close();
    }

    private static MemoryRecords records(String... values) {
        SimpleRecord[] records = new SimpleRecord[values.length];
        for (int i = 0; i < values.length; i++) {
            records[i] = new SimpleRecord(values[i].getBytes(StandardCharsets.UTF_8));
        }
        return MemoryRecords.withRecords(Compression.NONE, records);
    }

    @Test
    void topicsTheirIdsConfigsDataAndTheClusterIdSurviveARestart() {
        // Given a topic with an override and data, and the cluster id
        broker = BrokerFixture.start(dir);
        broker.send(createTopics(topic("durable", 2, 1, Map.of("retention.ms", "60000"))));
        TopicInfo before = broker.runtime().topics().topic("durable").orElseThrow();
        broker.runtime().topics().log("durable", 1).orElseThrow().append(records("a", "b").buffer());
        String clusterId = broker.runtime().topics().clusterId();

        // When the broker restarts
        broker.restart();

        // Then everything is as it was
        TopicManager topics = broker.runtime().topics();
        assertThat(topics.clusterId()).isEqualTo(clusterId);
        assertThat(topics.topic("durable")).contains(before);
        assertThat(topics.topic(before.id())).contains(before);
        assertThat(topics.log("durable", 1).orElseThrow().logEndOffset()).isEqualTo(2);
        assertThat(topics.log("durable", 2)).isEmpty();
    }

    @Test
    void deletingATopicHandsItsLogsToTheStorageWithoutFlushingThem() {
        // Given a topic with data, seen through a view that counts the calls on its logs
        AtomicReference<CallCountingLogs> view = new AtomicReference<>();
        broker = BrokerFixture.start(dir, Map.of(), logs -> {
            view.set(new CallCountingLogs(logs));
            return view.get();
        });
        broker.send(createTopics(topic("scratch", 3, 1, Map.of())));
        for (int p = 0; p < 3; p++) {
            broker.runtime().topics().log("scratch", p).orElseThrow().append(records("a", "b").buffer());
        }

        // When it is deleted
        broker.runtime().topics().delete("scratch");

        // Then its data was never forced to disk, and the storage no longer has its partitions
        assertThat(view.get().logCalls("flush")).isZero();
        assertThat(view.get().logCalls("close")).isZero();
        assertThat(broker.plugins().logs().existing()).noneMatch(p -> p.topic().equals("scratch"));
    }

    @Test
    void aDeletionInterruptedByACrashIsFinishedOnTheNextStart() {
        // Given a topic whose deletion got as far as the state store when the broker stopped
        broker = BrokerFixture.start(dir);
        broker.send(createTopics(topic("half-deleted", 2, 1, Map.of())));
        TopicInfo topic = broker.runtime().topics().topic("half-deleted").orElseThrow();
        byte[] key = TopicRecordCodec.key("half-deleted");
        broker.plugins().state().write(new WriteBatch()
                .delete(TopicManager.TOPICS, key)
                .put(TopicManager.DELETIONS, key, TopicRecordCodec.encode(topic)));

        // When the broker starts again
        broker.restart();

        // Then the topic is gone, its logs are deleted and the marker is dropped
        assertThat(broker.runtime().topics().topic("half-deleted")).isEmpty();
        assertThat(broker.plugins().logs().existing()).noneMatch(p -> p.topic().equals("half-deleted"));
        assertThat(broker.plugins().state().namespace(TopicManager.DELETIONS).get(key)).isEmpty();
    }

    @Test
    void anUnknownTopicGetsTheBrokerWideEffectiveConfig() {
        broker = BrokerFixture.start(dir, Map.of("message.max.bytes", "4096"));

        assertThat(broker.runtime().topics().config("nothing-here").maxMessageBytes()).isEqualTo(4096);
    }
}
