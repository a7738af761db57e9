package io.memorystreamer.broker.internal.admin;

import io.memorystreamer.broker.internal.api.ApiHandler;
import io.memorystreamer.broker.internal.api.ApiResponse;
import io.memorystreamer.broker.internal.api.RequestContext;
import io.memorystreamer.broker.internal.topic.TopicConfigKey;
import io.memorystreamer.broker.internal.topic.TopicConfigKeys;
import io.memorystreamer.broker.internal.topic.TopicInfo;
import io.memorystreamer.broker.internal.topic.TopicManager;
import io.memorystreamer.broker.internal.topic.TopicNames;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import org.apache.kafka.clients.admin.AlterConfigOp;
import org.apache.kafka.common.config.ConfigResource;
import org.apache.kafka.common.errors.ApiException;
import org.apache.kafka.common.errors.InvalidConfigurationException;
import org.apache.kafka.common.errors.InvalidRequestException;
import org.apache.kafka.common.errors.UnknownTopicOrPartitionException;
import org.apache.kafka.common.message.IncrementalAlterConfigsRequestData;
import org.apache.kafka.common.message.IncrementalAlterConfigsRequestData.AlterConfigsResource;
import org.apache.kafka.common.message.IncrementalAlterConfigsRequestData.AlterableConfig;
import org.apache.kafka.common.message.IncrementalAlterConfigsResponseData;
import org.apache.kafka.common.message.IncrementalAlterConfigsResponseData.AlterConfigsResourceResponse;
import org.apache.kafka.common.protocol.ApiMessage;
import org.apache.kafka.common.protocol.Errors;
import org.apache.kafka.common.requests.DescribeConfigsResponse.ConfigType;

/**
 * IncrementalAlterConfigs ({@code kafka-configs --alter}, AdminClient
 * {@code incrementalAlterConfigs}): SET, DELETE, and APPEND/SUBTRACT on list keys, for TOPIC
 * resources (topic overrides) and BROKER resources (dynamic configs of this node, or the
 * cluster-wide defaults for the empty name), applied without a restart.
 */
public final class IncrementalAlterConfigsHandler implements ApiHandler {

    private final TopicManager topics;
    private final DynamicBrokerConfigs dynamicConfigs;

    public IncrementalAlterConfigsHandler(TopicManager topics, DynamicBrokerConfigs dynamicConfigs) {
        this.topics = topics;
        this.dynamicConfigs = dynamicConfigs;
    }

    @Override
    public CompletionStage<ApiResponse> handle(RequestContext context, ApiMessage request) {
        IncrementalAlterConfigsRequestData data = (IncrementalAlterConfigsRequestData) request;
        IncrementalAlterConfigsResponseData response = new IncrementalAlterConfigsResponseData().setThrottleTimeMs(0);
        for (AlterConfigsResource resource : data.resources()) {
            AlterConfigsResourceResponse result = new AlterConfigsResourceResponse()
                    .setResourceType(resource.resourceType())
                    .setResourceName(resource.resourceName());
            try {
                alter(resource, data.validateOnly());
                result.setErrorCode(Errors.NONE.code());
            } catch (ApiException e) {
                result.setErrorCode(Errors.forException(e).code()).setErrorMessage(e.getMessage());
            }
            response.responses().add(result);
        }
        return CompletableFuture.completedFuture(ApiResponse.of(response));
    }

    private void alter(AlterConfigsResource resource, boolean validateOnly) {
        ConfigResource.Type type = ConfigResource.Type.forId(resource.resourceType());
        if (type == ConfigResource.Type.BROKER) {
            alterBroker(resource, validateOnly);
            return;
        }
        if (type != ConfigResource.Type.TOPIC) {
            throw new InvalidRequestException("Altering " + type + " configs is not supported");
        }
        String name = resource.resourceName();
        TopicNames.validate(name);
        TopicInfo topic = topics.topic(name).orElseThrow(
                () -> new UnknownTopicOrPartitionException("Topic '" + name + "' does not exist."));
        Set<String> seen = new HashSet<>();
        Map<String, String> overrides = new TreeMap<>(topic.configs());
        for (AlterableConfig config : resource.configs()) {
            checkUnique(seen, config);
            TopicConfigKey key = TopicConfigKeys.find(config.name()).orElseThrow(
                    () -> new InvalidConfigurationException("Unknown topic config name: " + config.name()));
            switch (opOf(config)) {
                case SET -> overrides.put(key.name(), config.value());
                case DELETE -> overrides.remove(key.name());
                case APPEND, SUBTRACT -> overrides.put(key.name(), editList(key.name(), key.type(), opOf(config),
                        topics.resolver().resolve(key, topic.configs()).value(), config.value()));
            }
        }
        topics.alterConfigs(name, overrides, validateOnly);
    }

    private void alterBroker(AlterConfigsResource resource, boolean validateOnly) {
        DynamicScope scope = DynamicScope.of(resource.resourceName(), dynamicConfigs.nodeId());
        Set<String> seen = new HashSet<>();
        resource.configs().forEach(config -> checkUnique(seen, config));
        dynamicConfigs.alter(scope, layers -> edit(layers, scope, resource), validateOnly, topics::reconfigureDefaults);
    }

    /** The scope's dynamic configs after the request's operations. */
    private static Map<String, String> edit(BrokerConfigLayers layers, DynamicScope scope, AlterConfigsResource resource) {
        Map<String, String> configs = new TreeMap<>(layers.dynamic(scope));
        for (AlterableConfig config : resource.configs()) {
            String key = config.name();
            switch (opOf(config)) {
                case SET -> configs.put(key, config.value());
                case DELETE -> configs.remove(key);
                case APPEND, SUBTRACT -> {
                    // The list to edit: this scope's value, else the effective one, else Kafka's default.
                    String current = configs.containsKey(key) ? configs.get(key)
                            : layers.merged().getOrDefault(key, BrokerConfigKeys.defaults().getOrDefault(key, ""));
                    configs.put(key, editList(key, BrokerConfigKeys.typeOf(key), opOf(config), current, config.value()));
                }
            }
        }
        return configs;
    }

    private static void checkUnique(Set<String> seen, AlterableConfig config) {
        if (!seen.add(config.name())) {
            throw new InvalidRequestException("Error due to duplicate config keys");
        }
    }

    private static AlterConfigOp.OpType opOf(AlterableConfig config) {
        AlterConfigOp.OpType op = AlterConfigOp.OpType.forId(config.configOperation());
        if (op == null) {
            throw new InvalidRequestException("Unknown config operation " + config.configOperation());
        }
        return op;
    }

    /** APPEND adds items missing from the current effective list; SUBTRACT removes items. */
    private static String editList(String key, ConfigType type, AlterConfigOp.OpType op, String current, String value) {
        if (type != ConfigType.LIST) {
            throw new InvalidConfigurationException("Config value " + (op == AlterConfigOp.OpType.APPEND
                    ? "append" : "subtract") + " is not allowed for config key: " + key);
        }
        LinkedHashSet<String> items = new LinkedHashSet<>(split(current));
        List<String> changes = split(value == null ? "" : value);
        if (op == AlterConfigOp.OpType.APPEND) {
            items.addAll(changes);
        } else {
            changes.forEach(items::remove);
        }
        return String.join(",", items);
    }

    private static List<String> split(String list) {
        return new ArrayList<>(Arrays.stream(list.split(",")).map(String::trim).filter(s -> !s.isEmpty()).toList());
    }
}
