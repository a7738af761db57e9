package io.memorystreamer.broker.internal.admin;

import static io.memorystreamer.broker.internal.support.Requests.createTopic;
import static org.assertj.core.api.Assertions.assertThat;

import io.memorystreamer.broker.internal.support.BrokerFixture;
import java.nio.file.Path;
import java.util.List;
import org.apache.kafka.common.message.OffsetForLeaderEpochRequestData;
import org.apache.kafka.common.message.OffsetForLeaderEpochRequestData.OffsetForLeaderPartition;
import org.apache.kafka.common.message.OffsetForLeaderEpochRequestData.OffsetForLeaderTopic;
import org.apache.kafka.common.message.OffsetForLeaderEpochRequestData.OffsetForLeaderTopicCollection;
import org.apache.kafka.common.message.OffsetForLeaderEpochResponseData.EpochEndOffset;
import org.apache.kafka.common.protocol.Errors;
import org.apache.kafka.common.requests.OffsetsForLeaderEpochResponse;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class OffsetForLeaderEpochApiTest {

    /** The replica id consumers send. */
    private static final int CONSUMER = -1;

    @TempDir
    Path dir;

    private BrokerFixture broker;

    @BeforeEach
    void start() {
        broker = BrokerFixture.start(dir);
        broker.send(createTopic("epochs", 1));
        for (int i = 0; i < 5; i++) {
            LogAppends.append(broker.runtime().topics().log("epochs", 0).orElseThrow(), 1, 10);
        }
    }

    @AfterEach
    void stop() {
        broker.close();
    }

    private EpochEndOffset endOffset(String topic, int currentLeaderEpoch, int leaderEpoch) {
        OffsetForLeaderTopicCollection topics = new OffsetForLeaderTopicCollection();
        topics.add(new OffsetForLeaderTopic().setTopic(topic).setPartitions(List.of(new OffsetForLeaderPartition()
                .setPartition(0).setCurrentLeaderEpoch(currentLeaderEpoch).setLeaderEpoch(leaderEpoch))));
        OffsetsForLeaderEpochResponse response = broker.send(new OffsetForLeaderEpochRequestData()
                .setReplicaId(CONSUMER).setTopics(topics));
        return response.data().topics().find(topic).partitions().getFirst();
    }

    @Test
    void epochZeroEndsAtTheLogEnd() {
        EpochEndOffset result = endOffset("epochs", 0, 0);

        assertThat(result.errorCode()).isEqualTo(Errors.NONE.code());
        assertThat(result.leaderEpoch()).isZero();
        assertThat(result.endOffset()).isEqualTo(5);
    }

    @Test
    void aLaterEpochIsUnknownToTheLog() {
        EpochEndOffset result = endOffset("epochs", -1, 3);

        assertThat(result.errorCode()).isEqualTo(Errors.NONE.code());
        assertThat(result.leaderEpoch()).isEqualTo(OffsetsForLeaderEpochResponse.UNDEFINED_EPOCH);
        assertThat(result.endOffset()).isEqualTo(OffsetsForLeaderEpochResponse.UNDEFINED_EPOCH_OFFSET);
    }

    @Test
    void theCurrentEpochIsFencedAsInKafka() {
        assertThat(endOffset("epochs", 1, 0).errorCode()).isEqualTo(Errors.UNKNOWN_LEADER_EPOCH.code());
        assertThat(endOffset("missing", 0, 0).errorCode()).isEqualTo(Errors.UNKNOWN_TOPIC_OR_PARTITION.code());
    }
}
