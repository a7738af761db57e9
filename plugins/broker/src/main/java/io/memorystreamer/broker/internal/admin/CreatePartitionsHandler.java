package io.memorystreamer.broker.internal.admin;

import io.memorystreamer.broker.internal.BrokerSettings;
import io.memorystreamer.broker.internal.api.ApiHandler;
import io.memorystreamer.broker.internal.api.ApiResponse;
import io.memorystreamer.broker.internal.api.RequestContext;
import io.memorystreamer.broker.internal.topic.TopicManager;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import org.apache.kafka.common.errors.ApiException;
import org.apache.kafka.common.errors.InvalidReplicaAssignmentException;
import org.apache.kafka.common.errors.InvalidRequestException;
import org.apache.kafka.common.message.CreatePartitionsRequestData;
import org.apache.kafka.common.message.CreatePartitionsRequestData.CreatePartitionsAssignment;
import org.apache.kafka.common.message.CreatePartitionsRequestData.CreatePartitionsTopic;
import org.apache.kafka.common.message.CreatePartitionsResponseData;
import org.apache.kafka.common.message.CreatePartitionsResponseData.CreatePartitionsTopicResult;
import org.apache.kafka.common.protocol.ApiMessage;
import org.apache.kafka.common.protocol.Errors;

/**
 * CreatePartitions ({@code kafka-topics --alter --partitions}): grows topics; a manual assignment
 * of the new partitions must name this node alone.
 */
public final class CreatePartitionsHandler implements ApiHandler {

    private final TopicManager topics;
    private final BrokerSettings settings;

    public CreatePartitionsHandler(TopicManager topics, BrokerSettings settings) {
        this.topics = topics;
        this.settings = settings;
    }

    @Override
    public CompletionStage<ApiResponse> handle(RequestContext context, ApiMessage request) {
        CreatePartitionsRequestData data = (CreatePartitionsRequestData) request;
        Map<String, Integer> occurrences = new HashMap<>();
        for (CreatePartitionsTopic topic : data.topics()) {
            occurrences.merge(topic.name(), 1, Integer::sum);
        }
        CreatePartitionsResponseData response = new CreatePartitionsResponseData().setThrottleTimeMs(0);
        Set<String> answered = new HashSet<>();
        for (CreatePartitionsTopic topic : data.topics()) {
            if (!answered.add(topic.name())) {
                continue;
            }
            CreatePartitionsTopicResult result = new CreatePartitionsTopicResult().setName(topic.name());
            try {
                if (occurrences.get(topic.name()) > 1) {
                    throw new InvalidRequestException("Duplicate topic in request.");
                }
                checkAssignments(topic);
                topics.createPartitions(topic.name(), topic.count(), data.validateOnly());
                result.setErrorCode(Errors.NONE.code());
            } catch (ApiException e) {
                result.setErrorCode(Errors.forException(e).code()).setErrorMessage(e.getMessage());
            }
            response.results().add(result);
        }
        return CompletableFuture.completedFuture(ApiResponse.of(response));
    }

    private void checkAssignments(CreatePartitionsTopic topic) {
        List<CreatePartitionsAssignment> assignments = topic.assignments();
        if (assignments == null) {
            return;
        }
        int current = topics.topic(topic.name()).map(t -> t.partitionCount()).orElse(0);
        if (assignments.size() != topic.count() - current) {
            throw new InvalidReplicaAssignmentException("Attempted to add " + (topic.count() - current)
                    + " additional partition(s), but only " + assignments.size() + " assignment(s) were specified.");
        }
        for (CreatePartitionsAssignment assignment : assignments) {
            if (!assignment.brokerIds().equals(List.of(settings.nodeId()))) {
                throw new InvalidReplicaAssignmentException("The manual partition assignment "
                        + assignment.brokerIds() + " must name broker " + settings.nodeId() + " alone.");
            }
        }
    }
}
