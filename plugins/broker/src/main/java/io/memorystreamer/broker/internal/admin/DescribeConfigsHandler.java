package io.memorystreamer.broker.internal.admin;

import io.memorystreamer.broker.internal.BrokerSettings;
import io.memorystreamer.broker.internal.api.ApiHandler;
import io.memorystreamer.broker.internal.api.ApiResponse;
import io.memorystreamer.broker.internal.api.RequestContext;
import io.memorystreamer.broker.internal.topic.ResolvedConfig;
import io.memorystreamer.broker.internal.topic.ResolvedConfig.Synonym;
import io.memorystreamer.broker.internal.topic.TopicConfigKey.BrokerSynonym;
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
import org.apache.kafka.common.requests.DescribeConfigsResponse.ConfigSource;

/**
 * DescribeConfigs for TOPIC resources (effective values: topic override, then the broker keys of
 * each layer, then Kafka's default, with synonyms on request) and BROKER resources: this node's
 * id lists every key with its effective value, the empty name the dynamic cluster-wide defaults.
 * Sources and synonyms follow Kafka's order: TOPIC_CONFIG, DYNAMIC_BROKER_CONFIG,
 * DYNAMIC_DEFAULT_BROKER_CONFIG, STATIC_BROKER_CONFIG, DEFAULT_CONFIG.
 */
public final class DescribeConfigsHandler implements ApiHandler {

    private final TopicManager topics;
    private final BrokerSettings settings;
    private final DynamicBrokerConfigs dynamicConfigs;

    public DescribeConfigsHandler(TopicManager topics, BrokerSettings settings, DynamicBrokerConfigs dynamicConfigs) {
        this.topics = topics;
        this.settings = settings;
        this.dynamicConfigs = dynamicConfigs;
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
        BrokerConfigLayers layers = dynamicConfigs.layers();
        List<DescribeConfigsResourceResult> configs = new ArrayList<>();
        for (ResolvedConfig config : topics.resolver().resolveAll(topic.configs())) {
            String key = config.key().name();
            if (wanted != null && !wanted.contains(key)) {
                continue;
            }
            List<Synonym> all = new ArrayList<>();
            String override = topic.configs().get(key);
            if (override != null) {
                all.add(new Synonym(key, override, ConfigSource.TOPIC_CONFIG));
            }
            all.addAll(layers.synonyms(config.key().synonyms().stream().map(BrokerSynonym::key).toList(), false));
            configs.add(new DescribeConfigsResourceResult()
                    .setName(key)
                    .setValue(override != null ? override : config.value())
                    .setReadOnly(false)
                    .setConfigSource(all.isEmpty() ? ConfigSource.DEFAULT_CONFIG.id() : all.getFirst().source().id())
                    .setIsSensitive(false)
                    .setSynonyms(withSynonyms ? toWire(all) : List.of())
                    .setConfigType(config.key().type().id())
                    .setDocumentation(null));
        }
        return configs;
    }

    private List<DescribeConfigsResourceResult> describeBroker(String name, Set<String> wanted, boolean withSynonyms) {
        BrokerConfigLayers layers = dynamicConfigs.layers();
        List<BrokerConfigs.Entry> entries = checkBrokerName(name, true)
                ? BrokerConfigs.ofClusterDefault(layers)
                : BrokerConfigs.ofBroker(layers);
        List<DescribeConfigsResourceResult> configs = new ArrayList<>();
        for (BrokerConfigs.Entry entry : entries) {
            if (wanted != null && !wanted.contains(entry.name())) {
                continue;
            }
            configs.add(new DescribeConfigsResourceResult()
                    .setName(entry.name())
                    .setValue(entry.value())
                    .setReadOnly(entry.readOnly())
                    .setConfigSource(entry.source().id())
                    .setIsSensitive(entry.sensitive())
                    .setSynonyms(withSynonyms ? toWire(entry.synonyms()) : List.of())
                    .setConfigType(entry.type().id())
                    .setDocumentation(null));
        }
        return configs;
    }

    private static List<DescribeConfigsSynonym> toWire(List<Synonym> synonyms) {
        List<DescribeConfigsSynonym> wire = new ArrayList<>(synonyms.size());
        for (Synonym s : synonyms) {
            wire.add(new DescribeConfigsSynonym().setName(s.name()).setValue(s.value()).setSource(s.source().id()));
        }
        return wire;
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
