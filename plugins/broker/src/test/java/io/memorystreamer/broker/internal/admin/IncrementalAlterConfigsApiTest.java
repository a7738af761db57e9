package io.memorystreamer.broker.internal.admin;

import static io.memorystreamer.broker.internal.support.Requests.createTopics;
import static io.memorystreamer.broker.internal.support.Requests.topic;
import static org.assertj.core.api.Assertions.assertThat;

import io.memorystreamer.broker.internal.support.BrokerFixture;
import java.nio.file.Path;
import java.util.Map;
import org.apache.kafka.clients.admin.AlterConfigOp;
import org.apache.kafka.common.config.ConfigResource;
import org.apache.kafka.common.message.IncrementalAlterConfigsRequestData;
import org.apache.kafka.common.message.IncrementalAlterConfigsRequestData.AlterConfigsResource;
import org.apache.kafka.common.message.IncrementalAlterConfigsRequestData.AlterConfigsResourceCollection;
import org.apache.kafka.common.message.IncrementalAlterConfigsRequestData.AlterableConfig;
import org.apache.kafka.common.message.IncrementalAlterConfigsRequestData.AlterableConfigCollection;
import org.apache.kafka.common.message.IncrementalAlterConfigsResponseData.AlterConfigsResourceResponse;
import org.apache.kafka.common.protocol.Errors;
import org.apache.kafka.common.requests.IncrementalAlterConfigsResponse;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class IncrementalAlterConfigsApiTest {

    @TempDir
    Path dir;

    private BrokerFixture broker;

    @BeforeEach
    void start() {
        broker = BrokerFixture.start(dir);
        broker.send(createTopics(topic("tuned", 2, 1, Map.of("retention.ms", "60000", "segment.ms", "100000"))));
    }

    @AfterEach
    void stop() {
        broker.close();
    }

    private static AlterableConfig op(String name, AlterConfigOp.OpType op, String value) {
        return new AlterableConfig().setName(name).setConfigOperation(op.id()).setValue(value);
    }

    private AlterConfigsResourceResponse alter(ConfigResource.Type type, String name, boolean validateOnly,
            AlterableConfig... ops) {
        AlterableConfigCollection configs = new AlterableConfigCollection();
        for (AlterableConfig config : ops) {
            configs.add(config);
        }
        AlterConfigsResourceCollection resources = new AlterConfigsResourceCollection();
        resources.add(new AlterConfigsResource().setResourceType(type.id()).setResourceName(name).setConfigs(configs));
        IncrementalAlterConfigsResponse response = broker.send(new IncrementalAlterConfigsRequestData()
                .setResources(resources).setValidateOnly(validateOnly));
        return response.data().responses().getFirst();
    }

    @Test
    void setDeleteAndAppendChangeTheOverridesDurably() {
        // When retention is set, segment.ms deleted and compact appended to the cleanup policy
        AlterConfigsResourceResponse result = alter(ConfigResource.Type.TOPIC, "tuned", false,
                op("retention.ms", AlterConfigOp.OpType.SET, "120000"),
                op("segment.ms", AlterConfigOp.OpType.DELETE, null),
                op("cleanup.policy", AlterConfigOp.OpType.APPEND, "compact"));

        // Then the topic has exactly the new overrides, also after a restart
        assertThat(result.errorCode()).isEqualTo(Errors.NONE.code());
        Map<String, String> expected = Map.of("retention.ms", "120000", "cleanup.policy", "delete,compact");
        assertThat(broker.runtime().topics().topic("tuned").orElseThrow().configs()).isEqualTo(expected);
        broker.restart();
        assertThat(broker.runtime().topics().topic("tuned").orElseThrow().configs()).isEqualTo(expected);
    }

    @Test
    void validateOnlyChangesNothing() {
        AlterConfigsResourceResponse result = alter(ConfigResource.Type.TOPIC, "tuned", true,
                op("retention.ms", AlterConfigOp.OpType.SET, "1"));

        assertThat(result.errorCode()).isEqualTo(Errors.NONE.code());
        assertThat(broker.runtime().topics().topic("tuned").orElseThrow().configs()).containsEntry("retention.ms", "60000");
    }

    @Test
    void badKeysValuesAndOperationsAreRefused() {
        assertThat(alter(ConfigResource.Type.TOPIC, "tuned", false, op("no.such", AlterConfigOp.OpType.SET, "1"))
                .errorCode()).isEqualTo(Errors.INVALID_CONFIG.code());
        assertThat(alter(ConfigResource.Type.TOPIC, "tuned", false, op("segment.ms", AlterConfigOp.OpType.SET, "0"))
                .errorCode()).isEqualTo(Errors.INVALID_CONFIG.code());
        assertThat(alter(ConfigResource.Type.TOPIC, "tuned", false,
                op("retention.ms", AlterConfigOp.OpType.APPEND, "5")).errorCode()).isEqualTo(Errors.INVALID_CONFIG.code());
        assertThat(alter(ConfigResource.Type.TOPIC, "missing", false,
                op("retention.ms", AlterConfigOp.OpType.SET, "5")).errorCode())
                .isEqualTo(Errors.UNKNOWN_TOPIC_OR_PARTITION.code());
        assertThat(alter(ConfigResource.Type.BROKER, "1", false,
                op("num.partitions", AlterConfigOp.OpType.SET, "5")).errorCode()).isEqualTo(Errors.INVALID_REQUEST.code());
        assertThat(broker.runtime().topics().topic("tuned").orElseThrow().configs()).containsEntry("retention.ms", "60000");
    }
}
