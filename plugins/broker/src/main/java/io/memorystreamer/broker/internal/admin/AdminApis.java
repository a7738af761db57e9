package io.memorystreamer.broker.internal.admin;

import io.memorystreamer.broker.internal.BrokerSettings;
import io.memorystreamer.broker.internal.api.ApiHandler;
import io.memorystreamer.broker.internal.topic.TopicManager;
import java.util.EnumMap;
import java.util.Map;
import org.apache.kafka.common.protocol.ApiKeys;

/** The handlers of the topic and cluster APIs (ApiVersions is added by whoever knows all APIs). */
public final class AdminApis {

    private AdminApis() {
    }

    public static Map<ApiKeys, ApiHandler> handlers(TopicManager topics, BrokerSettings settings,
            AdvertisedEndpoints endpoints) {
        Map<ApiKeys, ApiHandler> handlers = new EnumMap<>(ApiKeys.class);
        handlers.put(ApiKeys.METADATA, new MetadataHandler(topics, settings, endpoints));
        handlers.put(ApiKeys.CREATE_TOPICS, new CreateTopicsHandler(topics, settings));
        handlers.put(ApiKeys.CREATE_PARTITIONS, new CreatePartitionsHandler(topics, settings));
        handlers.put(ApiKeys.DELETE_TOPICS, new DeleteTopicsHandler(topics, settings));
        handlers.put(ApiKeys.DESCRIBE_CONFIGS, new DescribeConfigsHandler(topics, settings));
        handlers.put(ApiKeys.INCREMENTAL_ALTER_CONFIGS, new IncrementalAlterConfigsHandler(topics));
        handlers.put(ApiKeys.DESCRIBE_CLUSTER, new DescribeClusterHandler(topics, settings, endpoints));
        return handlers;
    }
}
