package io.memorystreamer.broker.internal.admin;

import io.memorystreamer.broker.internal.BrokerSettings;
import io.memorystreamer.broker.internal.api.ApiHandler;
import io.memorystreamer.broker.internal.api.ApiResponse;
import io.memorystreamer.broker.internal.api.RequestContext;
import io.memorystreamer.broker.internal.topic.TopicInfo;
import io.memorystreamer.broker.internal.topic.TopicManager;
import io.memorystreamer.broker.internal.topic.TopicNames;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.TreeSet;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import org.apache.kafka.common.Uuid;
import org.apache.kafka.common.errors.InvalidRequestException;
import org.apache.kafka.common.message.DescribeTopicPartitionsRequestData;
import org.apache.kafka.common.message.DescribeTopicPartitionsRequestData.TopicRequest;
import org.apache.kafka.common.message.DescribeTopicPartitionsResponseData;
import org.apache.kafka.common.message.DescribeTopicPartitionsResponseData.Cursor;
import org.apache.kafka.common.message.DescribeTopicPartitionsResponseData.DescribeTopicPartitionsResponsePartition;
import org.apache.kafka.common.message.DescribeTopicPartitionsResponseData.DescribeTopicPartitionsResponseTopic;
import org.apache.kafka.common.protocol.ApiMessage;
import org.apache.kafka.common.protocol.Errors;

/**
 * DescribeTopicPartitions (KIP-966; AdminClient {@code describeTopics}, {@code kafka-topics
 * --describe}): topics in name order with their partitions, paged by a partition limit and a
 * cursor. This node leads every partition (epoch 0) and is its only replica; the eligible leader
 * replica lists are empty.
 */
public final class DescribeTopicPartitionsHandler implements ApiHandler {

    /** Kafka's {@code max.request.partition.size.limit} default. */
    static final int MAX_PARTITIONS_PER_RESPONSE = 2000;

    private final TopicManager topics;
    private final BrokerSettings settings;

    public DescribeTopicPartitionsHandler(TopicManager topics, BrokerSettings settings) {
        this.topics = topics;
        this.settings = settings;
    }

    @Override
    public CompletionStage<ApiResponse> handle(RequestContext context, ApiMessage request) {
        DescribeTopicPartitionsRequestData data = (DescribeTopicPartitionsRequestData) request;
        DescribeTopicPartitionsRequestData.Cursor cursor = data.cursor();
        String cursorTopic = cursor != null ? cursor.topicName() : "";
        boolean allTopics = data.topics().isEmpty();
        TreeSet<String> names = new TreeSet<>();
        if (allTopics) {
            topics.topics().forEach(t -> names.add(t.name()));
        } else {
            data.topics().stream().map(TopicRequest::name).forEach(names::add);
            if (cursor != null && !names.contains(cursor.topicName())) {
                return CompletableFuture.failedFuture(new InvalidRequestException(
                        "DescribeTopicPartitionsRequest topic list should contain the cursor topic: " + cursorTopic));
            }
        }
        if (cursor != null && cursor.partitionIndex() < 0) {
            return CompletableFuture.failedFuture(new InvalidRequestException(
                    "DescribeTopicPartitionsRequest cursor partition must be valid: " + cursor));
        }
        int remaining = Math.max(Math.min(MAX_PARTITIONS_PER_RESPONSE, data.responsePartitionLimit()), 1);
        DescribeTopicPartitionsResponseData response = new DescribeTopicPartitionsResponseData().setThrottleTimeMs(0);
        for (String name : names.tailSet(cursorTopic, true)) {
            if (remaining == 0) {
                // Every partition of the previous topics fitted: continue at the start of this one.
                response.setNextCursor(new Cursor().setTopicName(name).setPartitionIndex(0));
                break;
            }
            Optional<TopicInfo> topic = topics.topic(name);
            if (topic.isEmpty()) {
                if (!allTopics) {
                    Errors error = TopicNames.isValid(name) ? Errors.UNKNOWN_TOPIC_OR_PARTITION
                            : Errors.INVALID_TOPIC_EXCEPTION;
                    response.topics().add(new DescribeTopicPartitionsResponseTopic().setErrorCode(error.code())
                            .setName(name).setTopicId(Uuid.ZERO_UUID).setIsInternal(false));
                }
                continue;
            }
            int first = name.equals(cursorTopic) ? cursor.partitionIndex() : 0;
            int end = Math.min(topic.get().partitionCount(), first + remaining);
            response.topics().add(describe(topic.get(), first, end));
            if (end < topic.get().partitionCount()) {
                response.setNextCursor(new Cursor().setTopicName(name).setPartitionIndex(end));
                break;
            }
            remaining -= Math.max(0, end - first);
        }
        return CompletableFuture.completedFuture(ApiResponse.of(response));
    }

    private DescribeTopicPartitionsResponseTopic describe(TopicInfo topic, int first, int end) {
        List<Integer> replicas = List.of(settings.nodeId());
        List<DescribeTopicPartitionsResponsePartition> partitions = new ArrayList<>();
        for (int p = first; p < end; p++) {
            partitions.add(new DescribeTopicPartitionsResponsePartition()
                    .setErrorCode(Errors.NONE.code())
                    .setPartitionIndex(p)
                    .setLeaderId(settings.nodeId())
                    .setLeaderEpoch(MetadataHandler.LEADER_EPOCH)
                    .setReplicaNodes(replicas)
                    .setIsrNodes(replicas)
                    .setEligibleLeaderReplicas(List.of())
                    .setLastKnownElr(List.of())
                    .setOfflineReplicas(List.of()));
        }
        return new DescribeTopicPartitionsResponseTopic()
                .setErrorCode(Errors.NONE.code())
                .setName(topic.name())
                .setTopicId(topic.id())
                .setIsInternal(false)
                .setPartitions(partitions)
                .setTopicAuthorizedOperations(AuthorizedOperations.ALL_TOPIC_OPERATIONS);
    }
}
