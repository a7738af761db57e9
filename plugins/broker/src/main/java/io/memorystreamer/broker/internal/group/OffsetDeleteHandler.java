package io.memorystreamer.broker.internal.group;

import io.memorystreamer.broker.internal.api.ApiHandler;
import io.memorystreamer.broker.internal.api.ApiResponse;
import io.memorystreamer.broker.internal.api.RequestContext;
import io.memorystreamer.broker.internal.topic.TopicInfo;
import io.memorystreamer.spi.state.StateException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.message.OffsetDeleteRequestData;
import org.apache.kafka.common.message.OffsetDeleteRequestData.OffsetDeleteRequestPartition;
import org.apache.kafka.common.message.OffsetDeleteRequestData.OffsetDeleteRequestTopic;
import org.apache.kafka.common.message.OffsetDeleteResponseData;
import org.apache.kafka.common.message.OffsetDeleteResponseData.OffsetDeleteResponsePartition;
import org.apache.kafka.common.message.OffsetDeleteResponseData.OffsetDeleteResponsePartitionCollection;
import org.apache.kafka.common.message.OffsetDeleteResponseData.OffsetDeleteResponseTopic;
import org.apache.kafka.common.message.OffsetDeleteResponseData.OffsetDeleteResponseTopicCollection;
import org.apache.kafka.common.protocol.ApiMessage;
import org.apache.kafka.common.protocol.Errors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * OffsetDelete: removes committed offsets of topics the group does not consume. A consumer group
 * (classic consumer protocol or KIP-848) with members refuses for its subscribed topics
 * (GROUP_SUBSCRIBED_TO_TOPIC); a classic group of another protocol with members refuses altogether
 * (NON_EMPTY_GROUP).
 */
final class OffsetDeleteHandler implements ApiHandler {

    private static final Logger LOG = LoggerFactory.getLogger(OffsetDeleteHandler.class);

    private final GroupServices services;

    OffsetDeleteHandler(GroupServices services) {
        this.services = services;
    }

    @Override
    public CompletionStage<ApiResponse> handle(RequestContext context, ApiMessage message) {
        return CompletableFuture.completedFuture(ApiResponse.of(delete((OffsetDeleteRequestData) message)));
    }

    OffsetDeleteResponseData delete(OffsetDeleteRequestData request) {
        if (!services.isActive()) {
            return new OffsetDeleteResponseData().setErrorCode(Errors.COORDINATOR_NOT_AVAILABLE.code());
        }
        if (!GroupServices.isValidGroupId(request.groupId())) {
            return new OffsetDeleteResponseData().setErrorCode(Errors.INVALID_GROUP_ID.code());
        }
        return services.registry().applyAny(request.groupId(), false, group -> delete(group, request),
                new OffsetDeleteResponseData().setErrorCode(Errors.GROUP_ID_NOT_FOUND.code()));
    }

    private OffsetDeleteResponseData delete(Group group, OffsetDeleteRequestData request) {
        boolean hasMembers = group instanceof ClassicGroup classicGroup ? !classicGroup.is(GroupState.EMPTY)
                : !group.hasNoMembers();
        if (hasMembers && group instanceof ClassicGroup classic && !classic.usesConsumerProtocol()) {
            return new OffsetDeleteResponseData().setErrorCode(Errors.NON_EMPTY_GROUP.code());
        }
        OffsetDeleteResponseTopicCollection topics = new OffsetDeleteResponseTopicCollection();
        List<TopicPartition> deleted = new ArrayList<>();
        for (OffsetDeleteRequestTopic topic : request.topics()) {
            Optional<TopicInfo> info = services.catalog().topic(topic.name());
            boolean subscribed = group.isSubscribedTo(topic.name());
            OffsetDeleteResponsePartitionCollection partitions = new OffsetDeleteResponsePartitionCollection();
            for (OffsetDeleteRequestPartition partition : topic.partitions()) {
                Errors error = Errors.NONE;
                if (info.isEmpty() || partition.partitionIndex() < 0
                        || partition.partitionIndex() >= info.get().partitionCount()) {
                    error = Errors.UNKNOWN_TOPIC_OR_PARTITION;
                } else if (subscribed) {
                    error = Errors.GROUP_SUBSCRIBED_TO_TOPIC;
                } else {
                    TopicPartition key = new TopicPartition(topic.name(), partition.partitionIndex());
                    if (group.offsets().containsKey(key)) {
                        deleted.add(key);
                    }
                }
                partitions.add(new OffsetDeleteResponsePartition()
                        .setPartitionIndex(partition.partitionIndex())
                        .setErrorCode(error.code()));
            }
            topics.add(new OffsetDeleteResponseTopic().setName(topic.name()).setPartitions(partitions));
        }
        try {
            services.store().deleteOffsets(group.groupId(), deleted);
        } catch (StateException e) {
            LOG.warn("Could not delete offsets of group {}: {}", group.groupId(), e.getMessage());
            return new OffsetDeleteResponseData().setErrorCode(Errors.COORDINATOR_NOT_AVAILABLE.code());
        }
        deleted.forEach(group.offsets()::remove);
        return new OffsetDeleteResponseData().setTopics(topics);
    }
}
