package io.memorystreamer.broker.internal.admin;

import io.memorystreamer.broker.internal.BrokerSettings;
import io.memorystreamer.broker.internal.api.ApiHandler;
import io.memorystreamer.broker.internal.api.ApiResponse;
import io.memorystreamer.broker.internal.api.RequestContext;
import io.memorystreamer.broker.internal.topic.TopicInfo;
import io.memorystreamer.broker.internal.topic.TopicManager;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import org.apache.kafka.common.message.AlterPartitionReassignmentsRequestData;
import org.apache.kafka.common.message.AlterPartitionReassignmentsRequestData.ReassignablePartition;
import org.apache.kafka.common.message.AlterPartitionReassignmentsRequestData.ReassignableTopic;
import org.apache.kafka.common.message.AlterPartitionReassignmentsResponseData;
import org.apache.kafka.common.message.AlterPartitionReassignmentsResponseData.ReassignablePartitionResponse;
import org.apache.kafka.common.message.AlterPartitionReassignmentsResponseData.ReassignableTopicResponse;
import org.apache.kafka.common.protocol.ApiMessage;
import org.apache.kafka.common.protocol.Errors;

/**
 * AlterPartitionReassignments ({@code kafka-reassign-partitions --execute}): on a single node the
 * only possible target is this node alone, which is where every partition already is, so that
 * reassignment completes at once; any other target is INVALID_REPLICA_ASSIGNMENT, and a
 * cancellation (null replicas) finds NO_REASSIGNMENT_IN_PROGRESS.
 */
public final class AlterPartitionReassignmentsHandler implements ApiHandler {

    private final TopicManager topics;
    private final BrokerSettings settings;

    public AlterPartitionReassignmentsHandler(TopicManager topics, BrokerSettings settings) {
        this.topics = topics;
        this.settings = settings;
    }

    @Override
    public CompletionStage<ApiResponse> handle(RequestContext context, ApiMessage request) {
        AlterPartitionReassignmentsRequestData data = (AlterPartitionReassignmentsRequestData) request;
        AlterPartitionReassignmentsResponseData response = new AlterPartitionReassignmentsResponseData()
                .setThrottleTimeMs(0)
                .setAllowReplicationFactorChange(data.allowReplicationFactorChange())
                .setErrorCode(Errors.NONE.code())
                .setErrorMessage(null);
        for (ReassignableTopic topic : data.topics()) {
            ReassignableTopicResponse topicResponse = new ReassignableTopicResponse().setName(topic.name());
            Optional<TopicInfo> info = topics.topic(topic.name());
            for (ReassignablePartition partition : topic.partitions()) {
                topicResponse.partitions().add(reassign(info, partition));
            }
            response.responses().add(topicResponse);
        }
        return CompletableFuture.completedFuture(ApiResponse.of(response));
    }

    private ReassignablePartitionResponse reassign(Optional<TopicInfo> topic, ReassignablePartition partition) {
        ReassignablePartitionResponse result = new ReassignablePartitionResponse()
                .setPartitionIndex(partition.partitionIndex());
        if (topic.isEmpty() || partition.partitionIndex() < 0
                || partition.partitionIndex() >= topic.get().partitionCount()) {
            return fail(result, Errors.UNKNOWN_TOPIC_OR_PARTITION, null);
        }
        List<Integer> replicas = partition.replicas();
        if (replicas == null) {
            return fail(result, Errors.NO_REASSIGNMENT_IN_PROGRESS, null);
        }
        if (replicas.isEmpty()) {
            return fail(result, Errors.INVALID_REPLICA_ASSIGNMENT,
                    "The manual partition assignment includes an empty replica list.");
        }
        Set<Integer> seen = new HashSet<>();
        for (int replica : replicas) {
            if (!seen.add(replica)) {
                return fail(result, Errors.INVALID_REPLICA_ASSIGNMENT,
                        "The manual partition assignment includes the broker " + replica + " more than once.");
            }
            if (replica != settings.nodeId()) {
                return fail(result, Errors.INVALID_REPLICA_ASSIGNMENT, "The manual partition assignment includes broker "
                        + replica + ", but no such broker is registered.");
            }
        }
        return result.setErrorCode(Errors.NONE.code()).setErrorMessage(null);
    }

    private static ReassignablePartitionResponse fail(ReassignablePartitionResponse result, Errors error,
            String message) {
        return result.setErrorCode(error.code()).setErrorMessage(message != null ? message : error.message());
    }
}
