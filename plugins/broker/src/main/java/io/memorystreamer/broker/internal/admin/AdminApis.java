package io.memorystreamer.broker.internal.admin;

import io.memorystreamer.broker.internal.BrokerSettings;
import io.memorystreamer.broker.internal.api.ApiHandler;
import io.memorystreamer.broker.internal.produce.DataPlaneApis;
import io.memorystreamer.broker.internal.topic.TopicManager;
import java.util.EnumMap;
import java.util.Map;
import org.apache.kafka.common.protocol.ApiKeys;

/**
 * The handlers of the topic, config, log and cluster APIs (ApiVersions is added by whoever knows
 * all APIs). Each serves every version kafka-clients knows, so none needs a narrowed range.
 */
public final class AdminApis {

    private AdminApis() {
    }

    public static Map<ApiKeys, ApiHandler> handlers(TopicManager topics, BrokerSettings settings,
            AdvertisedEndpoints endpoints, DynamicBrokerConfigs dynamicConfigs, DataPlaneApis dataPlane) {
        Map<ApiKeys, ApiHandler> handlers = new EnumMap<>(ApiKeys.class);
        handlers.put(ApiKeys.METADATA, new MetadataHandler(topics, settings, endpoints));
        handlers.put(ApiKeys.CREATE_TOPICS, new CreateTopicsHandler(topics, settings));
        handlers.put(ApiKeys.CREATE_PARTITIONS, new CreatePartitionsHandler(topics, settings));
        handlers.put(ApiKeys.DELETE_TOPICS, new DeleteTopicsHandler(topics, settings));
        handlers.put(ApiKeys.DESCRIBE_TOPIC_PARTITIONS, new DescribeTopicPartitionsHandler(topics, settings));
        handlers.put(ApiKeys.DESCRIBE_CONFIGS, new DescribeConfigsHandler(topics, settings, dynamicConfigs));
        handlers.put(ApiKeys.INCREMENTAL_ALTER_CONFIGS, new IncrementalAlterConfigsHandler(topics, dynamicConfigs));
        handlers.put(ApiKeys.ALTER_CONFIGS, new AlterConfigsHandler(topics, dynamicConfigs));
        handlers.put(ApiKeys.DESCRIBE_CLUSTER, new DescribeClusterHandler(topics, settings, endpoints));
        handlers.put(ApiKeys.DELETE_RECORDS, new DeleteRecordsHandler(topics, dataPlane));
        handlers.put(ApiKeys.DESCRIBE_LOG_DIRS, new DescribeLogDirsHandler(topics, settings));
        handlers.put(ApiKeys.OFFSET_FOR_LEADER_EPOCH, new OffsetForLeaderEpochHandler(topics));
        handlers.put(ApiKeys.ELECT_LEADERS, new ElectLeadersHandler(topics));
        handlers.put(ApiKeys.ALTER_PARTITION_REASSIGNMENTS, new AlterPartitionReassignmentsHandler(topics, settings));
        handlers.put(ApiKeys.LIST_PARTITION_REASSIGNMENTS, new ListPartitionReassignmentsHandler());
        handlers.put(ApiKeys.DESCRIBE_CLIENT_QUOTAS, new DescribeClientQuotasHandler());
        handlers.put(ApiKeys.DESCRIBE_USER_SCRAM_CREDENTIALS, new DescribeUserScramCredentialsHandler());
        return handlers;
    }
}
