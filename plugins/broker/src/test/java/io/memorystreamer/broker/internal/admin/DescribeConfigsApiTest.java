package io.memorystreamer.broker.internal.admin;

import static io.memorystreamer.broker.internal.support.Requests.createTopics;
import static io.memorystreamer.broker.internal.support.Requests.topic;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.groups.Tuple.tuple;

import io.memorystreamer.broker.internal.support.BrokerFixture;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.apache.kafka.common.config.ConfigResource;
import org.apache.kafka.common.message.DescribeConfigsRequestData;
import org.apache.kafka.common.message.DescribeConfigsRequestData.DescribeConfigsResource;
import org.apache.kafka.common.message.DescribeConfigsResponseData.DescribeConfigsResourceResult;
import org.apache.kafka.common.message.DescribeConfigsResponseData.DescribeConfigsResult;
import org.apache.kafka.common.message.DescribeConfigsResponseData.DescribeConfigsSynonym;
import org.apache.kafka.common.protocol.Errors;
import org.apache.kafka.common.requests.DescribeConfigsResponse;
import org.apache.kafka.common.requests.DescribeConfigsResponse.ConfigSource;
import org.apache.kafka.common.requests.DescribeConfigsResponse.ConfigType;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DescribeConfigsApiTest {

    @TempDir
    Path dir;

    private BrokerFixture broker;

    @BeforeEach
    void start() {
        broker = BrokerFixture.start(dir, Map.of("log.segment.bytes", "52428800",
                "sasl.jaas.config", "org.example.Login required password=\"hunter2\";"));
        broker.send(createTopics(topic("configured", 1, 1, Map.of("retention.ms", "3600000"))));
    }

    @AfterEach
    void stop() {
        broker.close();
    }

    private DescribeConfigsResult describe(ConfigResource.Type type, String name, List<String> keys) {
        DescribeConfigsResponse response = broker.send(new DescribeConfigsRequestData()
                .setIncludeSynonyms(true)
                .setResources(List.of(new DescribeConfigsResource().setResourceType(type.id()).setResourceName(name)
                        .setConfigurationKeys(keys))));
        return response.data().results().getFirst();
    }

    private static DescribeConfigsResourceResult entry(DescribeConfigsResult result, String name) {
        return result.configs().stream().filter(c -> c.name().equals(name)).findFirst().orElseThrow();
    }

    @Test
    void topicConfigsShowTheOverrideTheBrokerValueAndTheDefaultWithTheirSources() {
        // When the topic's configs are described with synonyms
        DescribeConfigsResult result = describe(ConfigResource.Type.TOPIC, "configured", null);

        // Then the override, the static broker value and Kafka's default each carry their source
        assertThat(result.errorCode()).isEqualTo(Errors.NONE.code());
        DescribeConfigsResourceResult retention = entry(result, "retention.ms");
        assertThat(retention.value()).isEqualTo("3600000");
        assertThat(retention.configSource()).isEqualTo(ConfigSource.TOPIC_CONFIG.id());
        assertThat(retention.configType()).isEqualTo(ConfigType.LONG.id());
        assertThat(retention.readOnly()).isFalse();
        assertThat(retention.isSensitive()).isFalse();
        assertThat(retention.synonyms()).extracting(DescribeConfigsSynonym::name, DescribeConfigsSynonym::source)
                .containsExactly(tuple("retention.ms", ConfigSource.TOPIC_CONFIG.id()),
                        tuple("log.retention.hours", ConfigSource.DEFAULT_CONFIG.id()));

        DescribeConfigsResourceResult segment = entry(result, "segment.bytes");
        assertThat(segment.value()).isEqualTo("52428800");
        assertThat(segment.configSource()).isEqualTo(ConfigSource.STATIC_BROKER_CONFIG.id());

        DescribeConfigsResourceResult cleanup = entry(result, "cleanup.policy");
        assertThat(cleanup.value()).isEqualTo("delete");
        assertThat(cleanup.configSource()).isEqualTo(ConfigSource.DEFAULT_CONFIG.id());
        assertThat(cleanup.configType()).isEqualTo(ConfigType.LIST.id());
    }

    @Test
    void onlyTheRequestedKeysAreReturned() {
        DescribeConfigsResult result = describe(ConfigResource.Type.TOPIC, "configured",
                List.of("retention.ms", "no.such.key"));

        assertThat(result.configs()).extracting(DescribeConfigsResourceResult::name).containsExactly("retention.ms");
    }

    @Test
    void anUnknownTopicIsUnknownTopicOrPartition() {
        assertThat(describe(ConfigResource.Type.TOPIC, "missing", null).errorCode())
                .isEqualTo(Errors.UNKNOWN_TOPIC_OR_PARTITION.code());
    }

    @Test
    void thisBrokersConfigShowsStaticValuesMarksDynamicKeysWritableAndHidesSecrets() {
        DescribeConfigsResult result = describe(ConfigResource.Type.BROKER, String.valueOf(BrokerFixture.NODE_ID), null);

        assertThat(result.errorCode()).isEqualTo(Errors.NONE.code());
        DescribeConfigsResourceResult segment = entry(result, "log.segment.bytes");
        assertThat(segment.value()).isEqualTo("52428800");
        assertThat(segment.configSource()).isEqualTo(ConfigSource.STATIC_BROKER_CONFIG.id());
        assertThat(segment.readOnly()).isFalse();
        DescribeConfigsResourceResult hours = entry(result, "log.retention.hours");
        assertThat(hours.value()).isEqualTo("168");
        assertThat(hours.configSource()).isEqualTo(ConfigSource.DEFAULT_CONFIG.id());
        assertThat(hours.readOnly()).isTrue();
        DescribeConfigsResourceResult jaas = entry(result, "sasl.jaas.config");
        assertThat(jaas.value()).isNull();
        assertThat(jaas.isSensitive()).isTrue();
    }

    @Test
    void anotherBrokerIdIsAnInvalidRequestAndTheEmptyNameHasNoDynamicDefaults() {
        assertThat(describe(ConfigResource.Type.BROKER, "42", null).errorCode())
                .isEqualTo(Errors.INVALID_REQUEST.code());
        DescribeConfigsResult clusterDefaults = describe(ConfigResource.Type.BROKER, "", null);
        assertThat(clusterDefaults.errorCode()).isEqualTo(Errors.NONE.code());
        assertThat(clusterDefaults.configs()).isEmpty();
    }
}
