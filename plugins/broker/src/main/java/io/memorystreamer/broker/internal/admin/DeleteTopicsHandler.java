package io.memorystreamer.broker.internal.admin;

import io.memorystreamer.broker.internal.BrokerSettings;
import io.memorystreamer.broker.internal.ServerProperties;
import io.memorystreamer.broker.internal.api.ApiHandler;
import io.memorystreamer.broker.internal.api.ApiResponse;
import io.memorystreamer.broker.internal.api.RequestContext;
import io.memorystreamer.broker.internal.topic.TopicInfo;
import io.memorystreamer.broker.internal.topic.TopicManager;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import org.apache.kafka.common.Uuid;
import org.apache.kafka.common.errors.ApiException;
import org.apache.kafka.common.errors.InvalidRequestException;
import org.apache.kafka.common.errors.TopicDeletionDisabledException;
import org.apache.kafka.common.message.DeleteTopicsRequestData;
import org.apache.kafka.common.message.DeleteTopicsRequestData.DeleteTopicState;
import org.apache.kafka.common.message.DeleteTopicsResponseData;
import org.apache.kafka.common.message.DeleteTopicsResponseData.DeletableTopicResult;
import org.apache.kafka.common.protocol.ApiMessage;
import org.apache.kafka.common.protocol.Errors;

/**
 * DeleteTopics by name (all versions) or by id (v6+). Disabled by {@code delete.topic.enable=false}.
 */
public final class DeleteTopicsHandler implements ApiHandler {

    private final TopicManager topics;
    private final boolean deletionEnabled;

    public DeleteTopicsHandler(TopicManager topics, BrokerSettings settings) {
        this.topics = topics;
        this.deletionEnabled = ServerProperties.of(settings.raw()).getBoolean("delete.topic.enable", true);
    }

    @Override
    public CompletionStage<ApiResponse> handle(RequestContext context, ApiMessage request) {
        DeleteTopicsRequestData data = (DeleteTopicsRequestData) request;
        List<DeleteTopicState> requested = new ArrayList<>();
        if (context.apiVersion() >= 6) {
            requested.addAll(data.topics());
        } else {
            for (String name : data.topicNames()) {
                requested.add(new DeleteTopicState().setName(name).setTopicId(Uuid.ZERO_UUID));
            }
        }
        DeleteTopicsResponseData response = new DeleteTopicsResponseData().setThrottleTimeMs(0);
        Set<String> seenNames = new HashSet<>();
        Set<Uuid> seenIds = new HashSet<>();
        for (DeleteTopicState topic : requested) {
            boolean duplicate = topic.name() != null ? !seenNames.add(topic.name()) : !seenIds.add(topic.topicId());
            if (duplicate) {
                continue;
            }
            response.responses().add(delete(topic));
        }
        return CompletableFuture.completedFuture(ApiResponse.of(response));
    }

    private DeletableTopicResult delete(DeleteTopicState topic) {
        boolean hasId = topic.topicId() != null && !Uuid.ZERO_UUID.equals(topic.topicId());
        DeletableTopicResult result = new DeletableTopicResult()
                .setName(topic.name())
                .setTopicId(hasId ? topic.topicId() : Uuid.ZERO_UUID);
        try {
            if (!deletionEnabled) {
                throw new TopicDeletionDisabledException("Topic deletion is disabled.");
            }
            TopicInfo deleted;
            if (topic.name() != null && hasId) {
                throw new InvalidRequestException("You may not specify both topic name and topic id.");
            } else if (topic.name() != null) {
                deleted = topics.delete(topic.name());
            } else if (hasId) {
                deleted = topics.delete(topic.topicId());
            } else {
                throw new InvalidRequestException("Neither topic name nor id were specified.");
            }
            return result.setName(deleted.name()).setTopicId(deleted.id()).setErrorCode(Errors.NONE.code());
        } catch (ApiException e) {
            return result.setErrorCode(Errors.forException(e).code()).setErrorMessage(e.getMessage());
        }
    }
}
