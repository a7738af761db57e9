package io.memorystreamer.broker.internal.admin;

import io.memorystreamer.broker.internal.support.BrokerFixture;
import java.util.List;
import org.apache.kafka.clients.admin.AlterConfigOp;
import org.apache.kafka.common.config.ConfigResource;
import org.apache.kafka.common.message.DescribeConfigsRequestData;
import org.apache.kafka.common.message.DescribeConfigsRequestData.DescribeConfigsResource;
import org.apache.kafka.common.message.DescribeConfigsResponseData.DescribeConfigsResourceResult;
import org.apache.kafka.common.message.DescribeConfigsResponseData.DescribeConfigsResult;
import org.apache.kafka.common.message.IncrementalAlterConfigsRequestData;
import org.apache.kafka.common.message.IncrementalAlterConfigsRequestData.AlterConfigsResource;
import org.apache.kafka.common.message.IncrementalAlterConfigsRequestData.AlterConfigsResourceCollection;
import org.apache.kafka.common.message.IncrementalAlterConfigsRequestData.AlterableConfig;
import org.apache.kafka.common.message.IncrementalAlterConfigsRequestData.AlterableConfigCollection;
import org.apache.kafka.common.message.IncrementalAlterConfigsResponseData.AlterConfigsResourceResponse;
import org.apache.kafka.common.requests.DescribeConfigsResponse;
import org.apache.kafka.common.requests.IncrementalAlterConfigsResponse;

/** DescribeConfigs and IncrementalAlterConfigs requests as AdminClient builds them. */
final class ConfigRequests {

    static final String THIS_BROKER = String.valueOf(BrokerFixture.NODE_ID);
    static final String CLUSTER_DEFAULT = "";

    private ConfigRequests() {
    }

    static AlterableConfig set(String name, String value) {
        return op(name, AlterConfigOp.OpType.SET, value);
    }

    static AlterableConfig delete(String name) {
        return op(name, AlterConfigOp.OpType.DELETE, null);
    }

    static AlterableConfig op(String name, AlterConfigOp.OpType op, String value) {
        return new AlterableConfig().setName(name).setConfigOperation(op.id()).setValue(value);
    }

    static AlterConfigsResourceResponse alter(BrokerFixture broker, ConfigResource.Type type, String name,
            boolean validateOnly, AlterableConfig... ops) {
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

    static DescribeConfigsResult describe(BrokerFixture broker, ConfigResource.Type type, String name,
            List<String> keys) {
        DescribeConfigsResponse response = broker.send(new DescribeConfigsRequestData()
                .setIncludeSynonyms(true)
                .setResources(List.of(new DescribeConfigsResource().setResourceType(type.id()).setResourceName(name)
                        .setConfigurationKeys(keys))));
        return response.data().results().getFirst();
    }

    static DescribeConfigsResourceResult entry(DescribeConfigsResult result, String name) {
        return result.configs().stream().filter(c -> c.name().equals(name)).findFirst()
                .orElseThrow(() -> new AssertionError(name + " not in " + result.configs()));
    }
}
