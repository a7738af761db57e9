package io.memorystreamer.broker.internal.admin;

import static io.memorystreamer.broker.internal.admin.ConfigRequests.CLUSTER_DEFAULT;
import static io.memorystreamer.broker.internal.admin.ConfigRequests.THIS_BROKER;
import static io.memorystreamer.broker.internal.admin.ConfigRequests.alter;
import static io.memorystreamer.broker.internal.admin.ConfigRequests.delete;
import static io.memorystreamer.broker.internal.admin.ConfigRequests.describe;
import static io.memorystreamer.broker.internal.admin.ConfigRequests.entry;
import static io.memorystreamer.broker.internal.admin.ConfigRequests.op;
import static io.memorystreamer.broker.internal.admin.ConfigRequests.set;
import static io.memorystreamer.broker.internal.support.Requests.createTopic;
import static io.memorystreamer.broker.internal.support.Requests.createTopics;
import static io.memorystreamer.broker.internal.support.Requests.topic;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.groups.Tuple.tuple;

import io.memorystreamer.broker.internal.support.BrokerFixture;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.apache.kafka.clients.admin.AlterConfigOp;
import org.apache.kafka.common.config.ConfigResource;
import org.apache.kafka.common.message.DescribeConfigsResponseData.DescribeConfigsResourceResult;
import org.apache.kafka.common.message.DescribeConfigsResponseData.DescribeConfigsResult;
import org.apache.kafka.common.message.DescribeConfigsResponseData.DescribeConfigsSynonym;
import org.apache.kafka.common.message.IncrementalAlterConfigsResponseData.AlterConfigsResourceResponse;
import org.apache.kafka.common.protocol.Errors;
import org.apache.kafka.common.requests.DescribeConfigsResponse.ConfigSource;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DynamicBrokerConfigsApiTest {

    private static final ConfigResource.Type BROKER = ConfigResource.Type.BROKER;
    private static final ConfigResource.Type TOPIC = ConfigResource.Type.TOPIC;

    @TempDir
    Path dir;

    private BrokerFixture broker;

    @BeforeEach
    void start() {
        broker = BrokerFixture.start(dir, Map.of("log.segment.bytes", "52428800"));
        broker.send(createTopic("plain", 1));
        broker.send(createTopics(topic("tuned", 1, 1, Map.of("retention.ms", "60000"))));
    }

    @AfterEach
    void stop() {
        broker.close();
    }

    @Test
    void aClusterDefaultAppliesAtOnceToTopicsWithoutAnOverride() {
        // When the cluster-wide default retention is set
        AlterConfigsResourceResponse result = alter(broker, BROKER, CLUSTER_DEFAULT, false,
                set("log.retention.ms", "3600000"));

        // Then a topic without an override has it, from the dynamic default, and one with an override keeps its own
        assertThat(result.errorCode()).as(result.errorMessage()).isEqualTo(Errors.NONE.code());
        DescribeConfigsResourceResult plain = entry(describe(broker, TOPIC, "plain", null), "retention.ms");
        assertThat(plain.value()).isEqualTo("3600000");
        assertThat(plain.configSource()).isEqualTo(ConfigSource.DYNAMIC_DEFAULT_BROKER_CONFIG.id());
        assertThat(plain.synonyms()).extracting(DescribeConfigsSynonym::name, DescribeConfigsSynonym::value,
                DescribeConfigsSynonym::source).containsExactly(
                        tuple("log.retention.ms", "3600000", ConfigSource.DYNAMIC_DEFAULT_BROKER_CONFIG.id()),
                        tuple("log.retention.hours", "168", ConfigSource.DEFAULT_CONFIG.id()));
        DescribeConfigsResourceResult tuned = entry(describe(broker, TOPIC, "tuned", null), "retention.ms");
        assertThat(tuned.value()).isEqualTo("60000");
        assertThat(tuned.synonyms()).extracting(DescribeConfigsSynonym::source).containsExactly(
                ConfigSource.TOPIC_CONFIG.id(), ConfigSource.DYNAMIC_DEFAULT_BROKER_CONFIG.id(),
                ConfigSource.DEFAULT_CONFIG.id());
    }

    @Test
    void synonymsFollowKafkasOrderOfLayers() {
        // Given a static value, a cluster default and a value for this broker of the same key
        alter(broker, BROKER, CLUSTER_DEFAULT, false, set("log.segment.bytes", "20000000"));
        alter(broker, BROKER, THIS_BROKER, false, set("log.segment.bytes", "10000000"));

        // When the topic is described
        DescribeConfigsResourceResult segment = entry(describe(broker, TOPIC, "plain", null), "segment.bytes");

        // Then this broker's value wins and every layer is listed, most specific first
        assertThat(segment.value()).isEqualTo("10000000");
        assertThat(segment.configSource()).isEqualTo(ConfigSource.DYNAMIC_BROKER_CONFIG.id());
        assertThat(segment.synonyms()).extracting(DescribeConfigsSynonym::value, DescribeConfigsSynonym::source)
                .containsExactly(
                        tuple("10000000", ConfigSource.DYNAMIC_BROKER_CONFIG.id()),
                        tuple("20000000", ConfigSource.DYNAMIC_DEFAULT_BROKER_CONFIG.id()),
                        tuple("52428800", ConfigSource.STATIC_BROKER_CONFIG.id()),
                        tuple("1073741824", ConfigSource.DEFAULT_CONFIG.id()));
    }

    @Test
    void theBrokerResourcesShowDynamicValuesWithTheirSources() {
        // Given dynamic values for the cluster and for this broker
        alter(broker, BROKER, CLUSTER_DEFAULT, false, set("log.retention.ms", "3600000"));
        alter(broker, BROKER, THIS_BROKER, false, set("message.max.bytes", "2000"));

        // When the cluster default resource is described, Then it lists only its dynamic values
        DescribeConfigsResult defaults = describe(broker, BROKER, CLUSTER_DEFAULT, null);
        assertThat(defaults.errorCode()).isEqualTo(Errors.NONE.code());
        assertThat(defaults.configs()).extracting(DescribeConfigsResourceResult::name,
                DescribeConfigsResourceResult::value, DescribeConfigsResourceResult::configSource)
                .containsExactly(tuple("log.retention.ms", "3600000", ConfigSource.DYNAMIC_DEFAULT_BROKER_CONFIG.id()));

        // When this broker is described, Then effective values carry their layer, and only dynamic keys are writable
        DescribeConfigsResult self = describe(broker, BROKER, THIS_BROKER, null);
        DescribeConfigsResourceResult maxBytes = entry(self, "message.max.bytes");
        assertThat(maxBytes.value()).isEqualTo("2000");
        assertThat(maxBytes.configSource()).isEqualTo(ConfigSource.DYNAMIC_BROKER_CONFIG.id());
        assertThat(maxBytes.readOnly()).isFalse();
        assertThat(maxBytes.synonyms()).extracting(DescribeConfigsSynonym::source).containsExactly(
                ConfigSource.DYNAMIC_BROKER_CONFIG.id(), ConfigSource.DEFAULT_CONFIG.id());
        assertThat(entry(self, "log.retention.ms").configSource())
                .isEqualTo(ConfigSource.DYNAMIC_DEFAULT_BROKER_CONFIG.id());
        DescribeConfigsResourceResult hours = entry(self, "log.retention.hours");
        assertThat(hours.configSource()).isEqualTo(ConfigSource.DEFAULT_CONFIG.id());
        assertThat(hours.readOnly()).isTrue();
    }

    @Test
    void aLowerMaxMessageSizeAppliesToTheProducePathWithoutRestart() {
        // When message.max.bytes is lowered for this broker
        alter(broker, BROKER, THIS_BROKER, false, set("message.max.bytes", "1000"));

        // Then existing and new topics without an override enforce it, and an override still wins
        broker.send(createTopics(topic("big", 1, 1, Map.of("max.message.bytes", "5000"))));
        assertThat(broker.runtime().topics().config("plain").maxMessageBytes()).isEqualTo(1000);
        broker.send(createTopic("later", 1));
        assertThat(broker.runtime().topics().config("later").maxMessageBytes()).isEqualTo(1000);
        assertThat(broker.runtime().topics().config("big").maxMessageBytes()).isEqualTo(5000);
    }

    @Test
    void openLogsRollAtTheNewDefaultSegmentSize() throws IOException {
        // Given a cluster default segment size far below the static one
        alter(broker, BROKER, CLUSTER_DEFAULT, false, set("log.segment.bytes", "4096"));

        // When more than that is appended to an already open log
        for (int i = 0; i < 6; i++) {
            LogAppends.append(broker.runtime().topics().log("plain", 0).orElseThrow(), 1, 2000);
        }

        // Then it rolled into several segments
        try (Stream<Path> files = Files.list(dir.resolve("data").resolve("plain-0"))) {
            assertThat(files.filter(f -> f.getFileName().toString().endsWith(".log")).count()).isGreaterThan(1);
        }
    }

    @Test
    void dynamicConfigsSurviveARestartAndDeleteRestoresTheStaticValue() {
        // Given dynamic values, When the broker restarts
        alter(broker, BROKER, CLUSTER_DEFAULT, false, set("log.retention.ms", "3600000"));
        alter(broker, BROKER, THIS_BROKER, false, set("log.segment.bytes", "10000000"));
        broker.restart();

        // Then they still apply
        DescribeConfigsResult plain = describe(broker, TOPIC, "plain", null);
        assertThat(entry(plain, "retention.ms").value()).isEqualTo("3600000");
        assertThat(entry(plain, "segment.bytes").value()).isEqualTo("10000000");

        // When this broker's value is deleted, Then the static value is back
        AlterConfigsResourceResponse result = alter(broker, BROKER, THIS_BROKER, false, delete("log.segment.bytes"));
        assertThat(result.errorCode()).isEqualTo(Errors.NONE.code());
        DescribeConfigsResourceResult segment = entry(describe(broker, TOPIC, "plain", null), "segment.bytes");
        assertThat(segment.value()).isEqualTo("52428800");
        assertThat(segment.configSource()).isEqualTo(ConfigSource.STATIC_BROKER_CONFIG.id());
    }

    @Test
    void appendAndSubtractEditTheCleanupPolicyList() {
        alter(broker, BROKER, CLUSTER_DEFAULT, false, op("log.cleanup.policy", AlterConfigOp.OpType.APPEND, "compact"));
        assertThat(entry(describe(broker, TOPIC, "plain", null), "cleanup.policy").value()).isEqualTo("delete,compact");

        alter(broker, BROKER, CLUSTER_DEFAULT, false, op("log.cleanup.policy", AlterConfigOp.OpType.SUBTRACT, "delete"));
        assertThat(entry(describe(broker, TOPIC, "plain", null), "cleanup.policy").value()).isEqualTo("compact");
    }

    @Test
    void validateOnlyChangesNothing() {
        AlterConfigsResourceResponse result = alter(broker, BROKER, CLUSTER_DEFAULT, true,
                set("log.retention.ms", "3600000"));

        assertThat(result.errorCode()).isEqualTo(Errors.NONE.code());
        assertThat(describe(broker, BROKER, CLUSTER_DEFAULT, null).configs()).isEmpty();
        assertThat(entry(describe(broker, TOPIC, "plain", null), "retention.ms").value()).isEqualTo("604800000");
    }

    @Test
    void keysKafkaCannotChangeAtRuntimeAreAnInvalidRequest() {
        AlterConfigsResourceResponse result = alter(broker, BROKER, CLUSTER_DEFAULT, false,
                set("num.partitions", "3"), set("log.retention.hours", "1"));

        assertThat(result.errorCode()).isEqualTo(Errors.INVALID_REQUEST.code());
        assertThat(result.errorMessage())
                .isEqualTo("Cannot update these configs dynamically: [log.retention.hours, num.partitions]");
    }

    @Test
    void unknownKeysAreAnInvalidConfigNamingTheKey() {
        AlterConfigsResourceResponse result = alter(broker, BROKER, THIS_BROKER, false, set("no.such.key", "1"));

        assertThat(result.errorCode()).isEqualTo(Errors.INVALID_CONFIG.code());
        assertThat(result.errorMessage()).contains("no.such.key");
    }

    @Test
    void invalidValuesAndOtherBrokersAreRefusedAndChangeNothing() {
        assertThat(alter(broker, BROKER, THIS_BROKER, false, set("log.segment.bytes", "10")).errorCode())
                .isEqualTo(Errors.INVALID_REQUEST.code());
        assertThat(alter(broker, BROKER, THIS_BROKER, false, set("log.retention.ms", "soon")).errorCode())
                .isEqualTo(Errors.INVALID_REQUEST.code());
        assertThat(alter(broker, BROKER, "42", false, set("log.retention.ms", "1000")).errorCode())
                .isEqualTo(Errors.INVALID_REQUEST.code());
        assertThat(describe(broker, BROKER, THIS_BROKER, List.of("log.segment.bytes")).configs())
                .extracting(DescribeConfigsResourceResult::value).containsExactly("52428800");
    }
}
