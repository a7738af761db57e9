package io.memorystreamer.broker.internal.admin;

import static io.memorystreamer.broker.internal.support.Requests.createTopic;
import static org.assertj.core.api.Assertions.assertThat;

import io.memorystreamer.broker.internal.support.BrokerFixture;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.apache.kafka.common.message.DescribeLogDirsRequestData;
import org.apache.kafka.common.message.DescribeLogDirsRequestData.DescribableLogDirTopic;
import org.apache.kafka.common.message.DescribeLogDirsRequestData.DescribableLogDirTopicCollection;
import org.apache.kafka.common.message.DescribeLogDirsResponseData.DescribeLogDirsPartition;
import org.apache.kafka.common.message.DescribeLogDirsResponseData.DescribeLogDirsResult;
import org.apache.kafka.common.message.DescribeLogDirsResponseData.DescribeLogDirsTopic;
import org.apache.kafka.common.protocol.Errors;
import org.apache.kafka.common.requests.DescribeLogDirsResponse;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DescribeLogDirsApiTest {

    @TempDir
    Path dir;

    private BrokerFixture broker;

    @BeforeEach
    void start() {
        broker = BrokerFixture.start(dir);
        broker.send(createTopic("sized", 2));
        broker.send(createTopic("other", 1));
        LogAppends.append(broker.runtime().topics().log("sized", 1).orElseThrow(), 10, 1000);
    }

    @AfterEach
    void stop() {
        broker.close();
    }

    private DescribeLogDirsResponse describe(DescribableLogDirTopicCollection topics) {
        return broker.send(new DescribeLogDirsRequestData().setTopics(topics));
    }

    @Test
    void everyPartitionIsListedWithItsSizeInTheLogDirectory() {
        // When every log dir is described
        DescribeLogDirsResponse response = describe(null);

        // Then the one directory lists every partition with the bytes of its log, and the file store's space
        assertThat(response.data().errorCode()).isEqualTo(Errors.NONE.code());
        assertThat(response.data().results()).hasSize(1);
        DescribeLogDirsResult result = response.data().results().getFirst();
        assertThat(result.errorCode()).isEqualTo(Errors.NONE.code());
        assertThat(result.logDir()).isEqualTo(dir.resolve("data").toAbsolutePath().normalize().toString());
        assertThat(result.totalBytes()).isPositive();
        assertThat(result.usableBytes()).isPositive().isLessThanOrEqualTo(result.totalBytes());
        Map<String, List<DescribeLogDirsPartition>> byTopic = new java.util.HashMap<>();
        for (DescribeLogDirsTopic topic : result.topics()) {
            byTopic.put(topic.name(), topic.partitions());
        }
        assertThat(byTopic.keySet()).containsExactlyInAnyOrder("sized", "other");
        DescribeLogDirsPartition written = byTopic.get("sized").stream().filter(p -> p.partitionIndex() == 1)
                .findFirst().orElseThrow();
        assertThat(written.partitionSize()).isEqualTo(broker.runtime().topics().log("sized", 1).orElseThrow()
                .sizeInBytes()).isGreaterThan(10_000);
        assertThat(written.offsetLag()).isZero();
        assertThat(written.isFutureKey()).isFalse();
    }

    @Test
    void onlyThePartitionsAskedForAreListed() {
        DescribableLogDirTopicCollection topics = new DescribableLogDirTopicCollection();
        topics.add(new DescribableLogDirTopic().setTopic("sized").setPartitions(List.of(1)));

        DescribeLogDirsResult result = describe(topics).data().results().getFirst();

        assertThat(result.topics()).hasSize(1);
        assertThat(result.topics().getFirst().name()).isEqualTo("sized");
        assertThat(result.topics().getFirst().partitions()).extracting(DescribeLogDirsPartition::partitionIndex)
                .containsExactly(1);
    }
}
