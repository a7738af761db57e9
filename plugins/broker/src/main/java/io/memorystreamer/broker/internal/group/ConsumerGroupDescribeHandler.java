package io.memorystreamer.broker.internal.group;

import io.memorystreamer.broker.internal.api.ApiHandler;
import io.memorystreamer.broker.internal.api.ApiResponse;
import io.memorystreamer.broker.internal.api.RequestContext;
import io.memorystreamer.broker.internal.topic.TopicInfo;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import org.apache.kafka.common.Uuid;
import org.apache.kafka.common.message.ConsumerGroupDescribeRequestData;
import org.apache.kafka.common.message.ConsumerGroupDescribeResponseData;
import org.apache.kafka.common.message.ConsumerGroupDescribeResponseData.DescribedGroup;
import org.apache.kafka.common.message.ConsumerGroupDescribeResponseData.Member;
import org.apache.kafka.common.protocol.ApiMessage;
import org.apache.kafka.common.protocol.Errors;

/**
 * ConsumerGroupDescribe (v0-v1, KIP-848): state, epochs, assignor and members (subscriptions,
 * current and target assignments) of consumer groups. A classic group, or a group that does not
 * exist, answers GROUP_ID_NOT_FOUND; the admin client then asks DescribeGroups, as with Kafka.
 */
final class ConsumerGroupDescribeHandler implements ApiHandler {

    /** Member type of KIP-1099: this member uses the consumer protocol. */
    private static final byte CONSUMER_MEMBER = 1;

    private final GroupServices services;

    ConsumerGroupDescribeHandler(GroupServices services) {
        this.services = services;
    }

    @Override
    public CompletionStage<ApiResponse> handle(RequestContext context, ApiMessage message) {
        return CompletableFuture.completedFuture(ApiResponse.of(describe((ConsumerGroupDescribeRequestData) message)));
    }

    ConsumerGroupDescribeResponseData describe(ConsumerGroupDescribeRequestData request) {
        ConsumerGroupDescribeResponseData response = new ConsumerGroupDescribeResponseData();
        for (String groupId : request.groupIds()) {
            DescribedGroup described;
            if (!services.isActive()) {
                described = failed(groupId, Errors.COORDINATOR_NOT_AVAILABLE, null);
            } else if (!GroupServices.isValidGroupId(groupId)) {
                described = failed(groupId, Errors.INVALID_GROUP_ID, "Group id can't be empty.");
            } else {
                described = services.registry().applyConsumer(groupId, false, this::describe,
                        failed(groupId, Errors.GROUP_ID_NOT_FOUND, "Group " + groupId + " not found."),
                        failed(groupId, Errors.GROUP_ID_NOT_FOUND, "Group " + groupId + " is not a consumer group."));
            }
            if (request.includeAuthorizedOperations() && described.errorCode() == Errors.NONE.code()) {
                described.setAuthorizedOperations(DescribeGroupsHandler.ALL_GROUP_OPERATIONS);
            }
            response.groups().add(described);
        }
        return response;
    }

    private DescribedGroup describe(ConsumerGroup group) {
        List<Member> members = new ArrayList<>();
        for (ConsumerGroupMember member : group.members()) {
            members.add(new Member()
                    .setMemberId(member.memberId())
                    .setInstanceId(member.instanceId())
                    .setRackId(member.rackId())
                    .setMemberEpoch(member.memberEpoch())
                    .setClientId(member.clientId())
                    .setClientHost(member.clientHost())
                    .setSubscribedTopicNames(new ArrayList<>(member.subscribedTopicNames()))
                    .setSubscribedTopicRegex(member.subscribedTopicRegex())
                    .setAssignment(assignment(member.assignment().assigned()))
                    .setTargetAssignment(assignment(group.target(member.memberId())))
                    .setMemberType(CONSUMER_MEMBER));
        }
        return new DescribedGroup()
                .setGroupId(group.groupId())
                .setGroupState(group.stateName())
                .setGroupEpoch(group.groupEpoch())
                .setAssignmentEpoch(group.assignmentEpoch())
                .setAssignorName(group.preferredAssignor(services.consumerRebalancer().config().defaultAssignor()))
                .setMembers(members);
    }

    /** Partitions with their topic names; partitions of topics deleted meanwhile are left out. */
    private ConsumerGroupDescribeResponseData.Assignment assignment(PartitionSet partitions) {
        ConsumerGroupDescribeResponseData.Assignment assignment = new ConsumerGroupDescribeResponseData.Assignment();
        for (Uuid topicId : partitions.topics()) {
            Optional<TopicInfo> topic = services.catalog().topic(topicId);
            topic.ifPresent(info -> assignment.topicPartitions().add(new ConsumerGroupDescribeResponseData.TopicPartitions()
                    .setTopicId(topicId)
                    .setTopicName(info.name())
                    .setPartitions(new ArrayList<>(partitions.partitions(topicId)))));
        }
        return assignment;
    }

    private static DescribedGroup failed(String groupId, Errors error, String message) {
        return new DescribedGroup()
                .setGroupId(groupId)
                .setErrorCode(error.code())
                .setErrorMessage(message != null ? message : error.message());
    }
}
