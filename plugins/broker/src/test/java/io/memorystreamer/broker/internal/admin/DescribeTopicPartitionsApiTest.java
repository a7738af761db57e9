package io.memorystreamer.broker.internal.admin;

import static io.memorystreamer.broker.internal.support.Requests.createTopic;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.groups.Tuple.tuple;

import io.memorystreamer.broker.internal.support.BrokerFixture;
import java.nio.file.Path;
import java.util.List;
import org.apache.kafka.common.message.DescribeTopicPartitionsRequestData;
import org.apache.kafka.common.message.DescribeTopicPartitionsRequestData.Cursor;
import org.apache.kafka.common.message.DescribeTopicPartitionsRequestData.TopicRequest;
import org.apache.kafka.common.message.DescribeTopicPartitionsResponseData.DescribeTopicPartitionsResponsePartition;
import org.apache.kafka.common.message.DescribeTopicPartitionsResponseData.DescribeTopicPartitionsResponseTopic;
import org.apache.kafka.common.protocol.Errors;
import org.apache.kafka.common.requests.DescribeTopicPartitionsResponse;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DescribeTopicPartitionsApiTest {

    @TempDir
    Path dir;

    private BrokerFixture broker;

    @BeforeEach
    void start() {
        broker = BrokerFixture.start(dir);
        broker.send(createTopic("alpha", 3));
        broker.send(createTopic("beta", 2));
    }

    @AfterEach
    void stop() {
        broker.close();
    }

    private DescribeTopicPartitionsResponse describe(List<String> names, int limit, Cursor cursor) {
        return broker.send(new DescribeTopicPartitionsRequestData()
                .setTopics(names.stream().map(n -> new TopicRequest().setName(n)).toList())
                .setResponsePartitionLimit(limit)
                .setCursor(cursor));
    }

    @Test
    void topicsAreDescribedWithThisNodeLeadingEveryPartition() {
        // When two topics and an unknown one are described
        DescribeTopicPartitionsResponse response = describe(List.of("beta", "alpha", "gamma"), 2000, null);

        // Then they come in name order, the unknown one with its error
        assertThat(response.data().topics()).extracting(DescribeTopicPartitionsResponseTopic::name,
                DescribeTopicPartitionsResponseTopic::errorCode).containsExactly(
                        tuple("alpha", Errors.NONE.code()),
                        tuple("beta", Errors.NONE.code()),
                        tuple("gamma", Errors.UNKNOWN_TOPIC_OR_PARTITION.code()));
        DescribeTopicPartitionsResponseTopic alpha = response.data().topics().find("alpha");
        assertThat(alpha.topicId()).isEqualTo(broker.runtime().topics().topic("alpha").orElseThrow().id());
        assertThat(alpha.partitions()).hasSize(3);
        DescribeTopicPartitionsResponsePartition first = alpha.partitions().getFirst();
        assertThat(first.leaderId()).isEqualTo(BrokerFixture.NODE_ID);
        assertThat(first.leaderEpoch()).isZero();
        assertThat(first.replicaNodes()).containsExactly(BrokerFixture.NODE_ID);
        assertThat(first.isrNodes()).containsExactly(BrokerFixture.NODE_ID);
        assertThat(response.data().nextCursor()).isNull();
    }

    @Test
    void aPartitionLimitPagesWithACursor() {
        // When all topics are described two partitions at a time
        DescribeTopicPartitionsResponse page1 = describe(List.of(), 2, null);
        DescribeTopicPartitionsResponse page2 = describe(List.of(), 2, new Cursor()
                .setTopicName(page1.data().nextCursor().topicName())
                .setPartitionIndex(page1.data().nextCursor().partitionIndex()));
        DescribeTopicPartitionsResponse page3 = describe(List.of(), 2, new Cursor()
                .setTopicName(page2.data().nextCursor().topicName())
                .setPartitionIndex(page2.data().nextCursor().partitionIndex()));

        // Then the pages cover every partition once, in order, and the last has no cursor
        assertThat(page1.data().topics().find("alpha").partitions())
                .extracting(DescribeTopicPartitionsResponsePartition::partitionIndex).containsExactly(0, 1);
        assertThat(page1.data().nextCursor().topicName()).isEqualTo("alpha");
        assertThat(page1.data().nextCursor().partitionIndex()).isEqualTo(2);
        assertThat(page2.data().topics().find("alpha").partitions())
                .extracting(DescribeTopicPartitionsResponsePartition::partitionIndex).containsExactly(2);
        assertThat(page2.data().topics().find("beta").partitions())
                .extracting(DescribeTopicPartitionsResponsePartition::partitionIndex).containsExactly(0);
        assertThat(page3.data().topics().find("beta").partitions())
                .extracting(DescribeTopicPartitionsResponsePartition::partitionIndex).containsExactly(1);
        assertThat(page3.data().nextCursor()).isNull();
    }

    @Test
    void aCursorOutsideTheTopicListIsAnInvalidRequest() {
        DescribeTopicPartitionsResponse response = describe(List.of("alpha"), 10,
                new Cursor().setTopicName("beta").setPartitionIndex(0));

        assertThat(response.data().topics()).hasSize(1).allSatisfy(t ->
                assertThat(t.errorCode()).isEqualTo(Errors.INVALID_REQUEST.code()));
    }
}
