package io.memorystreamer.broker.internal.admin;

import static io.memorystreamer.broker.internal.admin.ConfigRequests.CLUSTER_DEFAULT;
import static io.memorystreamer.broker.internal.admin.ConfigRequests.THIS_BROKER;
import static io.memorystreamer.broker.internal.admin.ConfigRequests.describe;
import static io.memorystreamer.broker.internal.admin.ConfigRequests.entry;
import static io.memorystreamer.broker.internal.admin.ConfigRequests.set;
import static io.memorystreamer.broker.internal.support.Requests.createTopics;
import static io.memorystreamer.broker.internal.support.Requests.topic;
import static org.assertj.core.api.Assertions.assertThat;

import io.memorystreamer.broker.internal.support.BrokerFixture;
import java.nio.file.Path;
import java.util.Map;
import org.apache.kafka.common.config.ConfigResource;
import org.apache.kafka.common.message.AlterConfigsRequestData;
import org.apache.kafka.common.message.AlterConfigsRequestData.AlterConfigsResource;
import org.apache.kafka.common.message.AlterConfigsRequestData.AlterConfigsResourceCollection;
import org.apache.kafka.common.message.AlterConfigsRequestData.AlterableConfig;
import org.apache.kafka.common.message.AlterConfigsRequestData.AlterableConfigCollection;
import org.apache.kafka.common.message.AlterConfigsResponseData.AlterConfigsResourceResponse;
import org.apache.kafka.common.protocol.Errors;
import org.apache.kafka.common.requests.AlterConfigsResponse;
import org.apache.kafka.common.requests.DescribeConfigsResponse.ConfigSource;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class AlterConfigsApiTest {

    @TempDir
    Path dir;

    private BrokerFixture broker;

    @BeforeEach
    void start() {
        broker = BrokerFixture.start(dir);
        broker.send(createTopics(topic("legacy", 1, 1, Map.of("retention.ms", "60000", "segment.ms", "100000"))));
    }

    @AfterEach
    void stop() {
        broker.close();
    }

    private AlterConfigsResourceResponse replace(ConfigResource.Type type, String name, boolean validateOnly,
            Map<String, String> configs) {
        AlterableConfigCollection collection = new AlterableConfigCollection();
        configs.forEach((k, v) -> collection.add(new AlterableConfig().setName(k).setValue(v)));
        AlterConfigsResourceCollection resources = new AlterConfigsResourceCollection();
        resources.add(new AlterConfigsResource().setResourceType(type.id()).setResourceName(name).setConfigs(collection));
        AlterConfigsResponse response = broker.send(new AlterConfigsRequestData().setResources(resources)
                .setValidateOnly(validateOnly));
        return response.data().responses().getFirst();
    }

    @Test
    void topicConfigsAreReplacedAsAWhole() {
        // When only retention is given
        AlterConfigsResourceResponse result = replace(ConfigResource.Type.TOPIC, "legacy", false,
                Map.of("retention.ms", "120000"));

        // Then it is the only override left
        assertThat(result.errorCode()).isEqualTo(Errors.NONE.code());
        assertThat(broker.runtime().topics().topic("legacy").orElseThrow().configs())
                .isEqualTo(Map.of("retention.ms", "120000"));
    }

    @Test
    void brokerConfigsOfAScopeAreReplacedAsAWholeAndApplied() {
        // Given two cluster defaults
        ConfigRequests.alter(broker, ConfigResource.Type.BROKER, CLUSTER_DEFAULT, false,
                set("log.retention.ms", "3600000"), set("log.segment.bytes", "10000000"));

        // When the legacy API sets only one
        AlterConfigsResourceResponse result = replace(ConfigResource.Type.BROKER, CLUSTER_DEFAULT, false,
                Map.of("log.retention.ms", "7200000"));

        // Then the other is gone and the topic sees the new value
        assertThat(result.errorCode()).isEqualTo(Errors.NONE.code());
        assertThat(describe(broker, ConfigResource.Type.BROKER, CLUSTER_DEFAULT, null).configs())
                .extracting(c -> c.name() + "=" + c.value()).containsExactly("log.retention.ms=7200000");
        assertThat(entry(describe(broker, ConfigResource.Type.TOPIC, "legacy", null), "segment.bytes").configSource())
                .isEqualTo(ConfigSource.DEFAULT_CONFIG.id());
    }

    @Test
    void validateOnlyAndRefusalsChangeNothing() {
        assertThat(replace(ConfigResource.Type.TOPIC, "legacy", true, Map.of()).errorCode())
                .isEqualTo(Errors.NONE.code());
        assertThat(replace(ConfigResource.Type.TOPIC, "legacy", false, Map.of("no.such", "1")).errorCode())
                .isEqualTo(Errors.INVALID_CONFIG.code());
        assertThat(replace(ConfigResource.Type.TOPIC, "missing", false, Map.of()).errorCode())
                .isEqualTo(Errors.UNKNOWN_TOPIC_OR_PARTITION.code());
        assertThat(replace(ConfigResource.Type.BROKER, THIS_BROKER, false, Map.of("listeners", "x")).errorCode())
                .isEqualTo(Errors.INVALID_REQUEST.code());

        assertThat(broker.runtime().topics().topic("legacy").orElseThrow().configs()).hasSize(2);
        assertThat(describe(broker, ConfigResource.Type.BROKER, CLUSTER_DEFAULT, null).configs()).isEmpty();
    }
}
