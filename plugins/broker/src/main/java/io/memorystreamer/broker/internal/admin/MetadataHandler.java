package io.memorystreamer.broker.internal.admin;

import io.memorystreamer.broker.internal.BrokerSettings;
import io.memorystreamer.broker.internal.api.ApiHandler;
import io.memorystreamer.broker.internal.api.ApiResponse;
import io.memorystreamer.broker.internal.api.RequestContext;
import io.memorystreamer.broker.internal.topic.TopicInfo;
import io.memorystreamer.broker.internal.topic.TopicManager;
import io.memorystreamer.broker.internal.topic.TopicNames;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import org.apache.kafka.common.Uuid;
import org.apache.kafka.common.errors.ApiException;
import org.apache.kafka.common.errors.TopicExistsException;
import org.apache.kafka.common.message.MetadataRequestData;
import org.apache.kafka.common.message.MetadataRequestData.MetadataRequestTopic;
import org.apache.kafka.common.message.MetadataResponseData;
import org.apache.kafka.common.message.MetadataResponseData.MetadataResponseBroker;
import org.apache.kafka.common.message.MetadataResponseData.MetadataResponsePartition;
import org.apache.kafka.common.message.MetadataResponseData.MetadataResponseTopic;
import org.apache.kafka.common.protocol.ApiMessage;
import org.apache.kafka.common.protocol.Errors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Metadata: this node is the only broker and the controller, and leads every partition (leader
 * epoch 0, replicas and ISR = this node). Unknown topics are created when both the request and
 * {@code auto.create.topics.enable} allow it.
 */
public final class MetadataHandler implements ApiHandler {

    private static final Logger LOG = LoggerFactory.getLogger(MetadataHandler.class);
    /** The leader epoch of every partition: leadership never moves on a single node. */
    static final int LEADER_EPOCH = 0;

    private final TopicManager topics;
    private final BrokerSettings settings;
    private final AdvertisedEndpoints endpoints;

    public MetadataHandler(TopicManager topics, BrokerSettings settings, AdvertisedEndpoints endpoints) {
        this.topics = topics;
        this.settings = settings;
        this.endpoints = endpoints;
    }

    @Override
    public CompletionStage<ApiResponse> handle(RequestContext context, ApiMessage request) {
        MetadataRequestData data = (MetadataRequestData) request;
        short version = context.apiVersion();
        AdvertisedEndpoints.HostPort endpoint = endpoints.endpointFor(context.connection());
        MetadataResponseData response = new MetadataResponseData()
                .setThrottleTimeMs(0)
                .setClusterId(topics.clusterId())
                .setControllerId(settings.nodeId());
        response.brokers().add(new MetadataResponseBroker()
                .setNodeId(settings.nodeId())
                .setHost(endpoint.host())
                .setPort(endpoint.port())
                .setRack(null));
        boolean includeOperations = data.includeTopicAuthorizedOperations();
        boolean allTopics = data.topics() == null || (version == 0 && data.topics().isEmpty());
        if (allTopics) {
            List<TopicInfo> all = new ArrayList<>(topics.topics());
            all.sort(Comparator.comparing(TopicInfo::name));
            for (TopicInfo topic : all) {
                response.topics().add(describe(topic, includeOperations));
            }
        } else {
            boolean autoCreate = data.allowAutoTopicCreation() && settings.autoCreateTopics();
            Set<String> seenNames = new HashSet<>();
            Set<Uuid> seenIds = new HashSet<>();
            for (MetadataRequestTopic requested : data.topics()) {
                // As Kafka: a non-zero id asks by id (v12+ clients send a null or empty name with it).
                boolean hasId = requested.topicId() != null && !Uuid.ZERO_UUID.equals(requested.topicId());
                if (hasId) {
                    if (seenIds.add(requested.topicId())) {
                        response.topics().add(byId(requested.topicId(), includeOperations));
                    }
                } else if (requested.name() == null) {
                    response.topics().add(error(null, Errors.INVALID_TOPIC_EXCEPTION));
                } else if (seenNames.add(requested.name())) {
                    response.topics().add(byName(requested.name(), autoCreate, includeOperations));
                }
            }
        }
        if (data.includeClusterAuthorizedOperations()) {
            response.setClusterAuthorizedOperations(AuthorizedOperations.ALL_CLUSTER_OPERATIONS);
        }
        return CompletableFuture.completedFuture(ApiResponse.of(response));
    }

    private MetadataResponseTopic byId(Uuid id, boolean includeOperations) {
        Optional<TopicInfo> topic = topics.topic(id);
        if (topic.isEmpty()) {
            return new MetadataResponseTopic().setErrorCode(Errors.UNKNOWN_TOPIC_ID.code()).setName(null).setTopicId(id);
        }
        return describe(topic.get(), includeOperations);
    }

    private MetadataResponseTopic byName(String name, boolean autoCreate, boolean includeOperations) {
        Optional<TopicInfo> topic = topics.topic(name);
        if (topic.isPresent()) {
            return describe(topic.get(), includeOperations);
        }
        if (!TopicNames.isValid(name)) {
            return error(name, Errors.INVALID_TOPIC_EXCEPTION);
        }
        if (!autoCreate) {
            return error(name, Errors.UNKNOWN_TOPIC_OR_PARTITION);
        }
        try {
            TopicInfo created = topics.create(name, settings.numPartitions(), Map.of(), false);
            LOG.info("Topic auto-created by a Metadata request: topic={} partitions={}", name, created.partitionCount());
            return describe(created, includeOperations);
        } catch (TopicExistsException raced) {
            return topics.topic(name).map(t -> describe(t, includeOperations))
                    .orElseGet(() -> error(name, Errors.UNKNOWN_TOPIC_OR_PARTITION));
        } catch (ApiException e) {
            return error(name, Errors.forException(e));
        }
    }

    private MetadataResponseTopic describe(TopicInfo topic, boolean includeOperations) {
        List<MetadataResponsePartition> partitions = new ArrayList<>(topic.partitionCount());
        List<Integer> replicas = List.of(settings.nodeId());
        for (int p = 0; p < topic.partitionCount(); p++) {
            partitions.add(new MetadataResponsePartition()
                    .setErrorCode(Errors.NONE.code())
                    .setPartitionIndex(p)
                    .setLeaderId(settings.nodeId())
                    .setLeaderEpoch(LEADER_EPOCH)
                    .setReplicaNodes(replicas)
                    .setIsrNodes(replicas)
                    .setOfflineReplicas(List.of()));
        }
        MetadataResponseTopic result = new MetadataResponseTopic()
                .setErrorCode(Errors.NONE.code())
                .setName(topic.name())
                .setTopicId(topic.id())
                .setIsInternal(false)
                .setPartitions(partitions);
        if (includeOperations) {
            result.setTopicAuthorizedOperations(AuthorizedOperations.ALL_TOPIC_OPERATIONS);
        }
        return result;
    }

    private static MetadataResponseTopic error(String name, Errors error) {
        return new MetadataResponseTopic().setErrorCode(error.code()).setName(name).setTopicId(Uuid.ZERO_UUID)
                .setIsInternal(false).setPartitions(List.of());
    }
}
