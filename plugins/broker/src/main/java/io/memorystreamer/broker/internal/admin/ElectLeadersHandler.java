package io.memorystreamer.broker.internal.admin;

import io.memorystreamer.broker.internal.api.ApiHandler;
import io.memorystreamer.broker.internal.api.ApiResponse;
import io.memorystreamer.broker.internal.api.RequestContext;
import io.memorystreamer.broker.internal.topic.TopicInfo;
import io.memorystreamer.broker.internal.topic.TopicManager;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import org.apache.kafka.common.ElectionType;
import org.apache.kafka.common.errors.InvalidRequestException;
import org.apache.kafka.common.message.ElectLeadersRequestData;
import org.apache.kafka.common.message.ElectLeadersRequestData.TopicPartitions;
import org.apache.kafka.common.message.ElectLeadersResponseData;
import org.apache.kafka.common.message.ElectLeadersResponseData.PartitionResult;
import org.apache.kafka.common.message.ElectLeadersResponseData.ReplicaElectionResult;
import org.apache.kafka.common.protocol.ApiMessage;
import org.apache.kafka.common.protocol.Errors;

/**
 * ElectLeaders ({@code kafka-leader-election}, AdminClient {@code electLeaders}): this node is the
 * only replica and already leads every partition, so every election is ELECTION_NOT_NEEDED, or
 * UNKNOWN_TOPIC_OR_PARTITION. As Kafka, a request for all partitions (null) lists only partitions
 * whose election did something, that is none.
 */
public final class ElectLeadersHandler implements ApiHandler {

    private final TopicManager topics;

    public ElectLeadersHandler(TopicManager topics) {
        this.topics = topics;
    }

    @Override
    public CompletionStage<ApiResponse> handle(RequestContext context, ApiMessage request) {
        ElectLeadersRequestData data = (ElectLeadersRequestData) request;
        if (context.apiVersion() >= 1) {
            try {
                ElectionType.valueOf(data.electionType());
            } catch (IllegalArgumentException e) {
                return CompletableFuture.failedFuture(new InvalidRequestException(e.getMessage()));
            }
        }
        ElectLeadersResponseData response = new ElectLeadersResponseData().setThrottleTimeMs(0)
                .setErrorCode(Errors.NONE.code());
        if (data.topicPartitions() == null) {
            List<TopicInfo> all = new ArrayList<>(topics.topics());
            all.sort(Comparator.comparing(TopicInfo::name));
            for (TopicInfo topic : all) {
                response.replicaElectionResults().add(new ReplicaElectionResult().setTopic(topic.name()));
            }
        } else {
            for (TopicPartitions topic : data.topicPartitions()) {
                ReplicaElectionResult result = new ReplicaElectionResult().setTopic(topic.topic());
                Optional<TopicInfo> info = topics.topic(topic.topic());
                for (int partition : topic.partitions()) {
                    result.partitionResult().add(elect(topic.topic(), info, partition));
                }
                response.replicaElectionResults().add(result);
            }
        }
        return CompletableFuture.completedFuture(ApiResponse.of(response));
    }

    private static PartitionResult elect(String topic, Optional<TopicInfo> info, int partition) {
        PartitionResult result = new PartitionResult().setPartitionId(partition);
        if (info.isEmpty()) {
            return result.setErrorCode(Errors.UNKNOWN_TOPIC_OR_PARTITION.code())
                    .setErrorMessage("No such topic as " + topic);
        }
        if (partition < 0 || partition >= info.get().partitionCount()) {
            return result.setErrorCode(Errors.UNKNOWN_TOPIC_OR_PARTITION.code())
                    .setErrorMessage("No such partition as " + topic + "-" + partition);
        }
        return result.setErrorCode(Errors.ELECTION_NOT_NEEDED.code())
                .setErrorMessage("Leader election not needed for topic partition.");
    }
}
