package io.memorystreamer.broker.internal.admin;

import io.memorystreamer.broker.internal.api.ApiHandler;
import io.memorystreamer.broker.internal.api.ApiResponse;
import io.memorystreamer.broker.internal.api.RequestContext;
import io.memorystreamer.broker.internal.topic.TopicManager;
import io.memorystreamer.broker.internal.topic.TopicNames;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import org.apache.kafka.common.config.ConfigResource;
import org.apache.kafka.common.errors.ApiException;
import org.apache.kafka.common.errors.InvalidRequestException;
import org.apache.kafka.common.message.AlterConfigsRequestData;
import org.apache.kafka.common.message.AlterConfigsRequestData.AlterConfigsResource;
import org.apache.kafka.common.message.AlterConfigsRequestData.AlterableConfig;
import org.apache.kafka.common.message.AlterConfigsResponseData;
import org.apache.kafka.common.message.AlterConfigsResponseData.AlterConfigsResourceResponse;
import org.apache.kafka.common.protocol.ApiMessage;
import org.apache.kafka.common.protocol.Errors;

/**
 * AlterConfigs, the legacy API (AdminClient {@code alterConfigs}): the configs given replace the
 * resource's whole set, for TOPIC resources (every override not named is removed) and BROKER
 * resources (every dynamic config of the scope not named is removed).
 */
public final class AlterConfigsHandler implements ApiHandler {

    private final TopicManager topics;
    private final DynamicBrokerConfigs dynamicConfigs;

    public AlterConfigsHandler(TopicManager topics, DynamicBrokerConfigs dynamicConfigs) {
        this.topics = topics;
        this.dynamicConfigs = dynamicConfigs;
    }

    @Override
    public CompletionStage<ApiResponse> handle(RequestContext context, ApiMessage request) {
        AlterConfigsRequestData data = (AlterConfigsRequestData) request;
        AlterConfigsResponseData response = new AlterConfigsResponseData().setThrottleTimeMs(0);
        for (AlterConfigsResource resource : data.resources()) {
            AlterConfigsResourceResponse result = new AlterConfigsResourceResponse()
                    .setResourceType(resource.resourceType())
                    .setResourceName(resource.resourceName());
            try {
                replace(resource, data.validateOnly());
                result.setErrorCode(Errors.NONE.code());
            } catch (ApiException e) {
                result.setErrorCode(Errors.forException(e).code()).setErrorMessage(e.getMessage());
            }
            response.responses().add(result);
        }
        return CompletableFuture.completedFuture(ApiResponse.of(response));
    }

    private void replace(AlterConfigsResource resource, boolean validateOnly) {
        Map<String, String> configs = new HashMap<>();
        for (AlterableConfig config : resource.configs()) {
            if (configs.containsKey(config.name())) {
                throw new InvalidRequestException("Error due to duplicate config keys");
            }
            configs.put(config.name(), config.value());
        }
        ConfigResource.Type type = ConfigResource.Type.forId(resource.resourceType());
        switch (type) {
            case TOPIC -> {
                TopicNames.validate(resource.resourceName());
                topics.alterConfigs(resource.resourceName(), configs, validateOnly);
            }
            case BROKER -> dynamicConfigs.alter(DynamicScope.of(resource.resourceName(), dynamicConfigs.nodeId()),
                    layers -> configs, validateOnly, topics::reconfigureDefaults);
            default -> throw new InvalidRequestException("Altering " + type + " configs is not supported");
        }
    }
}
