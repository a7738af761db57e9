package io.memorystreamer.broker.internal.admin;

import io.memorystreamer.broker.internal.BrokerSettings;
import io.memorystreamer.broker.internal.api.ApiHandler;
import io.memorystreamer.broker.internal.api.ApiResponse;
import io.memorystreamer.broker.internal.api.RequestContext;
import io.memorystreamer.broker.internal.topic.ResolvedConfig;
import io.memorystreamer.broker.internal.topic.TopicInfo;
import io.memorystreamer.broker.internal.topic.TopicManager;
import io.memorystreamer.broker.internal.topic.TopicNames;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import org.apache.kafka.common.config.ConfigResource;
import org.apache.kafka.common.errors.ApiException;
import org.apache.kafka.common.errors.InvalidRequestException;
import org.apache.kafka.common.errors.UnknownTopicOrPartitionException;
import org.apache.kafka.common.message.DescribeConfigsRequestData;
import org.apache.kafka.common.message.DescribeConfigsRequestData.DescribeConfigsResource;
import org.apache.kafka.common.message.DescribeConfigsResponseData;
import org.apache.kafka.common.message.DescribeConfigsResponseData.DescribeConfigsResourceResult;
import org.apache.kafka.common.message.DescribeConfigsResponseData.DescribeConfigsResult;
import org.apache.kafka.common.message.DescribeConfigsResponseData.DescribeConfigsSynonym;
import org.apache.kafka.common.protocol.ApiMessage;
import org.apache.kafka.common.protocol.Errors;

/**
 * DescribeConfigs for TOPIC resources (effective values: topic override, then broker key, then
 * Kafka's default, with synonyms on request) and the BROKER resource of this node (its static
 * configuration). An empty broker name means cluster-wide dynamic defaults, of which there are
 * none.
 */
public final class DescribeConfigsHandler implements ApiHandler {

    private final TopicManager topics;
    private final BrokerSettings settings;
    private final BrokerConfigs brokerConfigs;

    public DescribeConfigsHandler(TopicManager topics, BrokerSettings settings) {
        this.topics = topics;
        this.settings = settings;
        this.brokerConfigs = new BrokerConfigs(settings);
    }

    @Override
    public CompletionStage<ApiResponse> handle(RequestContext context, ApiMessage request) {
        DescribeConfigsRequestData data = (DescribeConfigsRequestData) request;
        DescribeConfigsResponseData response = new DescribeConfigsResponseData().setThrottleTimeMs(0);
        for (DescribeConfigsResource resource : data.resources()) {
            DescribeConfigsResult result = new DescribeConfigsResult()
                    .setResourceType(resource.resourceType())
                    .setResourceName(resource.resourceName());
            try {
                // As Kafka: null or empty keys mean every key.
                List<String> keys = resource.configurationKeys();
                Set<String> wanted = keys == null || keys.isEmpty() ? null : new HashSet<>(keys);
                result.setConfigs(describe(resource, wanted, data.includeSynonyms()))
                        .setErrorCode(Errors.NONE.code());
            } catch (ApiException e) {
                result.setErrorCode(Errors.forException(e).code()).setErrorMessage(e.getMessage()).setConfigs(List.of());
            }
            response.results().add(result);
        }
        return CompletableFuture.completedFuture(ApiResponse.of(response));
    }

    private List<DescribeConfigsResourceResult> describe(DescribeConfigsResource resource, Set<String> wanted,
            boolean synonyms) {
        ConfigResource.Type type = ConfigResource.Type.forId(resource.resourceType());
        return switch (type) {
            case TOPIC -> describeTopic(resource.resourceName(), wanted, synonyms);
            case BROKER -> describeBroker(resource.resourceName(), wanted, synonyms);
            case BROKER_LOGGER -> {
                checkBrokerName(resource.resourceName(), false);
                yield List.of();
            }
            default -> throw new InvalidRequestException("Unsupported resource type: " + type);
        };
    }

    private List<DescribeConfigsResourceResult> describeTopic(String name, Set<String> wanted, boolean withSynonyms) {
        TopicNames.validate(name);
        TopicInfo topic = topics.topic(name).orElseThrow(
                () -> new UnknownTopicOrPartitionException("Topic '" + name + "' does not exist"));
        List<DescribeConfigsResourceResult> configs = new ArrayList<>();
        for (ResolvedConfig config : topics.resolver().resolveAll(topic.configs())) {
            String key = config.key().name();
            if (wanted != null && !wanted.contains(key)) {
                continue;
            }
            List<DescribeConfigsSynonym> synonyms = new ArrayList<>();
            if (withSynonyms) {
                for (ResolvedConfig.Synonym s : config.synonyms()) {
                    synonyms.add(new DescribeConfigsSynonym().setName(s.name()).setValue(s.value())
                            .setSource(s.source().id()));
                }
            }
            configs.add(new DescribeConfigsResourceResult()
                    .setName(key)
                    .setValue(config.value())
                    .setReadOnly(false)
                    .setConfigSource(config.source().id())
                    .setIsSensitive(false)
                    .setSynonyms(synonyms)
                    .setConfigType(config.key().type().id())
                    .setDocumentation(null));
        }
        return configs;
    }

    private List<DescribeConfigsResourceResult> describeBroker(String name, Set<String> wanted, boolean withSynonyms) {
        if (checkBrokerName(name, true)) {
            return List.of();
        }
        List<DescribeConfigsResourceResult> configs = new ArrayList<>();
        for (BrokerConfigs.Entry entry : brokerConfigs.entries()) {
            if (wanted != null && !wanted.contains(entry.name())) {
                continue;
            }
            List<DescribeConfigsSynonym> synonyms = withSynonyms
                    ? List.of(new DescribeConfigsSynonym().setName(entry.name()).setValue(entry.value())
                            .setSource(entry.source().id()))
                    : List.of();
            configs.add(new DescribeConfigsResourceResult()
                    .setName(entry.name())
                    .setValue(entry.value())
                    .setReadOnly(true)
                    .setConfigSource(entry.source().id())
                    .setIsSensitive(entry.sensitive())
                    .setSynonyms(synonyms)
                    .setConfigType(entry.type().id())
                    .setDocumentation(null));
        }
        return configs;
    }

    /**
     * @return true for the empty name (cluster-wide defaults), false for this node's id
     * @throws InvalidRequestException for any other name
     */
    private boolean checkBrokerName(String name, boolean allowEmpty) {
        if (allowEmpty && (name == null || name.isEmpty())) {
            return true;
        }
        if (!String.valueOf(settings.nodeId()).equals(name)) {
            throw new InvalidRequestException("Unexpected broker id, expected " + settings.nodeId()
                    + (allowEmpty ? " or empty string" : "") + ", but received " + name);
        }
        return false;
    }
}
