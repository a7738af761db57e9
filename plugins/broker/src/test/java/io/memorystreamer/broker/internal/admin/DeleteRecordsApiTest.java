package io.memorystreamer.broker.internal.admin;

import static io.memorystreamer.broker.internal.support.Requests.createTopic;
import static io.memorystreamer.broker.internal.support.Requests.createTopics;
import static io.memorystreamer.broker.internal.support.Requests.topic;
import static org.assertj.core.api.Assertions.assertThat;

import io.memorystreamer.broker.internal.support.BrokerFixture;
import io.memorystreamer.spi.storage.PartitionLog;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.apache.kafka.common.message.DeleteRecordsRequestData;
import org.apache.kafka.common.message.DeleteRecordsRequestData.DeleteRecordsPartition;
import org.apache.kafka.common.message.DeleteRecordsRequestData.DeleteRecordsTopic;
import org.apache.kafka.common.message.DeleteRecordsResponseData.DeleteRecordsPartitionResult;
import org.apache.kafka.common.protocol.Errors;
import org.apache.kafka.common.requests.DeleteRecordsResponse;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DeleteRecordsApiTest {

    @TempDir
    Path dir;

    private BrokerFixture broker;

    @BeforeEach
    void start() {
        broker = BrokerFixture.start(dir);
        broker.send(createTopic("events", 2));
        PartitionLog log = broker.runtime().topics().log("events", 0).orElseThrow();
        for (int i = 0; i < 10; i++) {
            LogAppends.append(log, 1, 100);
        }
    }

    @AfterEach
    void stop() {
        broker.close();
    }

    private DeleteRecordsPartitionResult deleteBefore(String topic, int partition, long offset) {
        DeleteRecordsResponse response = broker.send(new DeleteRecordsRequestData().setTimeoutMs(30_000)
                .setTopics(List.of(new DeleteRecordsTopic().setName(topic).setPartitions(List.of(
                        new DeleteRecordsPartition().setPartitionIndex(partition).setOffset(offset))))));
        return response.data().topics().find(topic).partitions().find(partition);
    }

    @Test
    void recordsBeforeTheOffsetAreGoneAndTheLowWatermarkSaysSo() {
        // When records before offset 4 are deleted
        DeleteRecordsPartitionResult result = deleteBefore("events", 0, 4);

        // Then the log starts at 4, also after a restart
        assertThat(result.errorCode()).isEqualTo(Errors.NONE.code());
        assertThat(result.lowWatermark()).isEqualTo(4);
        broker.restart();
        assertThat(broker.runtime().topics().log("events", 0).orElseThrow().logStartOffset()).isEqualTo(4);
    }

    @Test
    void minusOneMeansTheHighWatermark() {
        DeleteRecordsPartitionResult result = deleteBefore("events", 0, -1);

        assertThat(result.errorCode()).isEqualTo(Errors.NONE.code());
        assertThat(result.lowWatermark()).isEqualTo(10);
    }

    @Test
    void anOffsetBelowTheLogStartChangesNothing() {
        deleteBefore("events", 0, 6);

        DeleteRecordsPartitionResult result = deleteBefore("events", 0, 2);

        assertThat(result.errorCode()).isEqualTo(Errors.NONE.code());
        assertThat(result.lowWatermark()).isEqualTo(6);
    }

    @Test
    void beyondTheHighWatermarkIsOffsetOutOfRange() {
        DeleteRecordsPartitionResult result = deleteBefore("events", 0, 11);

        assertThat(result.errorCode()).isEqualTo(Errors.OFFSET_OUT_OF_RANGE.code());
        assertThat(broker.runtime().topics().log("events", 0).orElseThrow().logStartOffset()).isZero();
    }

    @Test
    void unknownPartitionsAndCompactedTopicsAreRefused() {
        broker.send(createTopics(topic("compacted", 1, 1, Map.of("cleanup.policy", "compact"))));

        assertThat(deleteBefore("events", 7, 0).errorCode()).isEqualTo(Errors.UNKNOWN_TOPIC_OR_PARTITION.code());
        assertThat(deleteBefore("missing", 0, 0).errorCode()).isEqualTo(Errors.UNKNOWN_TOPIC_OR_PARTITION.code());
        assertThat(deleteBefore("compacted", 0, 0).errorCode()).isEqualTo(Errors.POLICY_VIOLATION.code());
    }
}
