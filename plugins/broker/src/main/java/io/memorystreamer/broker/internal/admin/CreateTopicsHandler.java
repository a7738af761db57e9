package io.memorystreamer.broker.internal.admin;

import io.memorystreamer.broker.internal.BrokerSettings;
import io.memorystreamer.broker.internal.ServerProperties;
import io.memorystreamer.broker.internal.api.ApiHandler;
import io.memorystreamer.broker.internal.api.ApiResponse;
import io.memorystreamer.broker.internal.api.RequestContext;
import io.memorystreamer.broker.internal.topic.ResolvedConfig;
import io.memorystreamer.broker.internal.topic.TopicInfo;
import io.memorystreamer.broker.internal.topic.TopicManager;
import io.memorystreamer.broker.internal.topic.TopicNames;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import org.apache.kafka.common.Uuid;
import org.apache.kafka.common.errors.ApiException;
import org.apache.kafka.common.errors.InvalidConfigurationException;
import org.apache.kafka.common.errors.InvalidPartitionsException;
import org.apache.kafka.common.errors.InvalidReplicaAssignmentException;
import org.apache.kafka.common.errors.InvalidReplicationFactorException;
import org.apache.kafka.common.errors.InvalidRequestException;
import org.apache.kafka.common.errors.TopicExistsException;
import org.apache.kafka.common.message.CreateTopicsRequestData;
import org.apache.kafka.common.message.CreateTopicsRequestData.CreatableReplicaAssignment;
import org.apache.kafka.common.message.CreateTopicsRequestData.CreatableTopic;
import org.apache.kafka.common.message.CreateTopicsRequestData.CreatableTopicConfig;
import org.apache.kafka.common.message.CreateTopicsResponseData;
import org.apache.kafka.common.message.CreateTopicsResponseData.CreatableTopicConfigs;
import org.apache.kafka.common.message.CreateTopicsResponseData.CreatableTopicResult;
import org.apache.kafka.common.protocol.ApiMessage;
import org.apache.kafka.common.protocol.Errors;

/**
 * CreateTopics on a single node: the replication factor can only be 1, and a manual assignment
 * must put every partition on this node alone.
 */
public final class CreateTopicsHandler implements ApiHandler {

    private final TopicManager topics;
    private final BrokerSettings settings;
    private final int defaultReplicationFactor;

    public CreateTopicsHandler(TopicManager topics, BrokerSettings settings) {
        this.topics = topics;
        this.settings = settings;
        this.defaultReplicationFactor = ServerProperties.of(settings.raw()).getInt("default.replication.factor", 1);
    }

    @Override
    public CompletionStage<ApiResponse> handle(RequestContext context, ApiMessage request) {
        CreateTopicsRequestData data = (CreateTopicsRequestData) request;
        Map<String, Integer> occurrences = new HashMap<>();
        for (CreatableTopic topic : data.topics()) {
            occurrences.merge(topic.name(), 1, Integer::sum);
        }
        CreateTopicsResponseData response = new CreateTopicsResponseData().setThrottleTimeMs(0);
        Set<String> answered = new HashSet<>();
        for (CreatableTopic topic : data.topics()) {
            if (!answered.add(topic.name())) {
                continue;
            }
            CreatableTopicResult result;
            if (occurrences.get(topic.name()) > 1) {
                result = failure(topic.name(), new InvalidRequestException(
                        "Create topics request from client `" + context.clientId() + "` contains multiple entries for "
                                + "the following topics: " + topic.name()));
            } else {
                result = create(topic, data.validateOnly());
            }
            response.topics().add(result);
        }
        return CompletableFuture.completedFuture(ApiResponse.of(response));
    }

    private CreatableTopicResult create(CreatableTopic topic, boolean validateOnly) {
        try {
            TopicNames.validate(topic.name());
            if (topics.topic(topic.name()).isPresent()) {
                throw new TopicExistsException("Topic '" + topic.name() + "' already exists.");
            }
            int partitions = topic.assignments().isEmpty()
                    ? partitionCount(topic)
                    : partitionsOfAssignment(topic);
            TopicInfo created = topics.create(topic.name(), partitions, configs(topic), validateOnly);
            List<CreatableTopicConfigs> configs = new ArrayList<>();
            for (ResolvedConfig config : topics.resolver().resolveAll(created.configs())) {
                configs.add(new CreatableTopicConfigs()
                        .setName(config.key().name())
                        .setValue(config.value())
                        .setReadOnly(false)
                        .setConfigSource(config.source().id())
                        .setIsSensitive(false));
            }
            return new CreatableTopicResult()
                    .setName(topic.name())
                    .setTopicId(validateOnly ? Uuid.ZERO_UUID : created.id())
                    .setErrorCode(Errors.NONE.code())
                    .setNumPartitions(created.partitionCount())
                    .setReplicationFactor((short) 1)
                    .setConfigs(configs);
        } catch (ApiException e) {
            return failure(topic.name(), e);
        }
    }

    private int partitionCount(CreatableTopic topic) {
        int partitions = topic.numPartitions() == -1 ? settings.numPartitions() : topic.numPartitions();
        if (partitions < 1) {
            throw new InvalidPartitionsException("Number of partitions was set to an invalid non-positive value.");
        }
        int replicationFactor = topic.replicationFactor() == -1 ? defaultReplicationFactor : topic.replicationFactor();
        if (replicationFactor < 1) {
            throw new InvalidReplicationFactorException(
                    "Replication factor must be larger than 0, or -1 to use the default value.");
        }
        if (replicationFactor > 1) {
            throw new InvalidReplicationFactorException("Unable to replicate the partition " + replicationFactor
                    + " time(s): The target replication factor of " + replicationFactor
                    + " cannot be reached because only 1 broker(s) are registered.");
        }
        return partitions;
    }

    /** A manual assignment fits a single node when partitions 0..n-1 each have exactly this node. */
    private int partitionsOfAssignment(CreatableTopic topic) {
        if (topic.numPartitions() != -1 || topic.replicationFactor() != -1) {
            throw new InvalidRequestException("Both numPartitions or replicationFactor and replicasAssignments "
                    + "were set. Both cannot be used at the same time.");
        }
        int count = topic.assignments().size();
        boolean[] seen = new boolean[count];
        for (CreatableReplicaAssignment assignment : topic.assignments()) {
            int p = assignment.partitionIndex();
            if (p < 0 || p >= count || seen[p]) {
                throw new InvalidReplicaAssignmentException("Partitions should be a consecutive 0-based integer "
                        + "sequence");
            }
            seen[p] = true;
            List<Integer> brokers = assignment.brokerIds();
            if (brokers.isEmpty()) {
                throw new InvalidReplicaAssignmentException("The manual partition assignment includes an empty "
                        + "replica list.");
            }
            for (int broker : brokers) {
                if (broker != settings.nodeId()) {
                    throw new InvalidReplicaAssignmentException("The manual partition assignment includes broker "
                            + broker + ", but no such broker is registered.");
                }
            }
            if (brokers.size() > 1) {
                throw new InvalidReplicaAssignmentException("The manual partition assignment includes the broker "
                        + settings.nodeId() + " more than once.");
            }
        }
        return count;
    }

    private static Map<String, String> configs(CreatableTopic topic) {
        Map<String, String> configs = new LinkedHashMap<>();
        for (CreatableTopicConfig config : topic.configs()) {
            if (configs.containsKey(config.name())) {
                throw new InvalidConfigurationException("Duplicate topic config name: " + config.name());
            }
            configs.put(config.name(), config.value());
        }
        return configs;
    }

    private static CreatableTopicResult failure(String name, ApiException e) {
        return new CreatableTopicResult()
                .setName(name)
                .setErrorCode(Errors.forException(e).code())
                .setErrorMessage(e.getMessage());
    }
}
