package io.memorystreamer.broker.internal.group;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.function.UnaryOperator;
import java.util.stream.Stream;
import org.apache.kafka.common.message.ConsumerGroupDescribeRequestData;
import org.apache.kafka.common.message.ConsumerGroupDescribeResponseData;
import org.apache.kafka.common.message.ConsumerGroupHeartbeatRequestData;
import org.apache.kafka.common.message.ConsumerGroupHeartbeatResponseData;
import org.apache.kafka.common.protocol.ApiKeys;
import org.apache.kafka.common.protocol.Errors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** ConsumerGroupHeartbeat requests Kafka refuses, both API versions, and the protocol's settings. */
class ConsumerGroupHeartbeatValidationTest {

    @TempDir
    Path dir;
    private GroupHarness harness;

    @BeforeEach
    void start() {
        harness = new GroupHarness(dir);
        harness.topics.create("orders", 2);
    }

    @AfterEach
    void stop() throws InterruptedException {
        harness.close();
    }

    static Stream<Arguments> badRequests() {
        return Stream.of(
                Arguments.of("empty group id", (UnaryOperator<ConsumerGroupHeartbeatRequestData>) r -> r.setGroupId(""),
                        Errors.INVALID_REQUEST, "GroupId can't be empty."),
                Arguments.of("empty member id", (UnaryOperator<ConsumerGroupHeartbeatRequestData>) r -> r.setMemberId(""),
                        Errors.INVALID_REQUEST, "MemberId can't be empty."),
                Arguments.of("no rebalance timeout", (UnaryOperator<ConsumerGroupHeartbeatRequestData>)
                        r -> r.setRebalanceTimeoutMs(-1), Errors.INVALID_REQUEST,
                        "RebalanceTimeoutMs must be provided in first request."),
                Arguments.of("owned partitions at join", (UnaryOperator<ConsumerGroupHeartbeatRequestData>)
                        r -> r.setTopicPartitions(null), Errors.INVALID_REQUEST,
                        "TopicPartitions must be empty when (re-)joining."),
                Arguments.of("no subscription", (UnaryOperator<ConsumerGroupHeartbeatRequestData>)
                        r -> r.setSubscribedTopicNames(null), Errors.INVALID_REQUEST,
                        "SubscribedTopicNames or SubscribedTopicRegex must be set in first request."),
                Arguments.of("epoch -3", (UnaryOperator<ConsumerGroupHeartbeatRequestData>) r -> r.setMemberEpoch(-3),
                        Errors.INVALID_REQUEST, "MemberEpoch is invalid."),
                Arguments.of("static leave without instance id", (UnaryOperator<ConsumerGroupHeartbeatRequestData>)
                        r -> r.setMemberEpoch(-2), Errors.INVALID_REQUEST, "InstanceId can't be null."),
                Arguments.of("unknown assignor", (UnaryOperator<ConsumerGroupHeartbeatRequestData>)
                        r -> r.setServerAssignor("sticky"), Errors.UNSUPPORTED_ASSIGNOR,
                        "ServerAssignor sticky is not supported. Supported assignors: uniform, range."),
                Arguments.of("invalid regex", (UnaryOperator<ConsumerGroupHeartbeatRequestData>)
                        r -> r.setSubscribedTopicRegex("orders-("), Errors.INVALID_REGULAR_EXPRESSION, null));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("badRequests")
    void refusesWhatKafkaRefuses(String name, UnaryOperator<ConsumerGroupHeartbeatRequestData> change, Errors error,
            String message) {
        // When a join is sent with one thing wrong
        ConsumerGroupHeartbeatResponseData response = harness.consumerHeartbeat(change.apply(validJoin()));

        // Then it gets Kafka's error and message, and no group is created
        assertThat(Errors.forCode(response.errorCode())).isEqualTo(error);
        if (message != null) {
            assertThat(response.errorMessage()).isEqualTo(message);
        }
        assertThat(Errors.forCode(harness.describeConsumerGroup("g").errorCode())).isEqualTo(Errors.GROUP_ID_NOT_FOUND);
    }

    @Test
    void aVersionZeroJoinWithoutMemberIdGetsOneFromTheCoordinator() {
        // When a v0 join sends no member id
        ConsumerGroupHeartbeatResponseData response = harness.callNow(ApiKeys.CONSUMER_GROUP_HEARTBEAT,
                validJoin().setMemberId(""), (short) 0, ConsumerGroupHeartbeatResponseData::new);

        // Then the coordinator makes one up
        assertThat(response.errorCode()).isZero();
        assertThat(response.memberId()).isNotEmpty();
        assertThat(response.memberEpoch()).isEqualTo(1);
    }

    @Test
    void describeAnswersAtBothVersions() {
        harness.consumerHeartbeat(validJoin());
        for (short v = 0; v <= ApiKeys.CONSUMER_GROUP_DESCRIBE.latestVersion(); v++) {
            ConsumerGroupDescribeResponseData response = harness.callNow(ApiKeys.CONSUMER_GROUP_DESCRIBE,
                    new ConsumerGroupDescribeRequestData().setGroupIds(List.of("g", "")), v,
                    ConsumerGroupDescribeResponseData::new);
            assertThat(response.groups().get(0).members()).as("v%d", v).hasSize(1);
            assertThat(Errors.forCode(response.groups().get(1).errorCode())).isEqualTo(Errors.INVALID_GROUP_ID);
        }
    }

    @Test
    void settingsOutsideTheirBoundsOrUnknownAssignorsAreRefusedByName() {
        assertThatThrownBy(() -> ConsumerGroupConfig.from(Map.of("group.consumer.session.timeout.ms", "1000")))
                .hasMessageContaining("group.consumer.session.timeout.ms");
        assertThatThrownBy(() -> ConsumerGroupConfig.from(Map.of("group.consumer.assignors", "sticky")))
                .hasMessageContaining("group.consumer.assignors");
        assertThatThrownBy(() -> ConsumerGroupConfig.from(Map.of("group.consumer.min.heartbeat.interval.ms", "10",
                "group.consumer.max.heartbeat.interval.ms", "60000", "group.consumer.heartbeat.interval.ms", "50000")))
                .hasMessageContaining("must be less than group.consumer.session.timeout.ms");
        ConsumerGroupConfig kafkaNames = ConsumerGroupConfig.from(Map.of("group.consumer.assignors",
                "org.apache.kafka.coordinator.group.assignor.RangeAssignor,uniform"));
        assertThat(kafkaNames.assignors()).containsExactly("range", "uniform");
        assertThat(ConsumerGroupConfig.from(Map.of("group.coordinator.rebalance.protocols", "classic")).enabled())
                .isFalse();
    }

    @Test
    void withoutTheConsumerProtocolItsApisAreNotServed() throws InterruptedException {
        harness.close();
        harness = new GroupHarness(dir.resolve("classic-only"), Map.of("group.coordinator.rebalance.protocols", "classic"));
        assertThat(harness.apis().handlers()).doesNotContainKeys(ApiKeys.CONSUMER_GROUP_HEARTBEAT,
                ApiKeys.CONSUMER_GROUP_DESCRIBE);
    }

    private static ConsumerGroupHeartbeatRequestData validJoin() {
        return new ConsumerGroupHeartbeatRequestData()
                .setGroupId("g")
                .setMemberId("member-1")
                .setMemberEpoch(0)
                .setRebalanceTimeoutMs(30_000)
                .setSubscribedTopicNames(List.of("orders"))
                .setTopicPartitions(List.of());
    }
}
