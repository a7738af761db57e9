package io.memorystreamer.broker.internal.group;

import io.memorystreamer.broker.internal.api.ApiHandler;
import io.memorystreamer.broker.internal.api.ApiResponse;
import io.memorystreamer.broker.internal.api.RequestContext;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import org.apache.kafka.clients.consumer.ConsumerPartitionAssignor;
import org.apache.kafka.clients.consumer.internals.ConsumerProtocol;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.Uuid;
import org.apache.kafka.common.acl.AclOperation;
import org.apache.kafka.common.message.DescribeGroupsRequestData;
import org.apache.kafka.common.message.DescribeGroupsResponseData;
import org.apache.kafka.common.message.DescribeGroupsResponseData.DescribedGroup;
import org.apache.kafka.common.message.DescribeGroupsResponseData.DescribedGroupMember;
import org.apache.kafka.common.protocol.ApiMessage;
import org.apache.kafka.common.protocol.Errors;
import org.apache.kafka.common.utils.Utils;

/**
 * DescribeGroups: state, protocol and members of each group; member metadata only once the group
 * is Stable. A group that does not exist is reported Dead, and since v6 with GROUP_ID_NOT_FOUND.
 * A consumer group (KIP-848) is described in the classic shape, so that older tools see it: its
 * state, protocol type {@code consumer}, its assignor as the protocol, and each member's current
 * partitions as a consumer protocol assignment.
 */
final class DescribeGroupsHandler implements ApiHandler {

    /** With no authorizer every group operation is allowed, as in Kafka without one. */
    static final int ALL_GROUP_OPERATIONS = Utils.to32BitField(Set.of(AclOperation.READ.code(),
            AclOperation.DESCRIBE.code(), AclOperation.DELETE.code()));
    private static final short GROUP_NOT_FOUND_VERSION = 6;

    private final GroupServices services;

    DescribeGroupsHandler(GroupServices services) {
        this.services = services;
    }

    @Override
    public CompletionStage<ApiResponse> handle(RequestContext context, ApiMessage message) {
        return CompletableFuture.completedFuture(ApiResponse.of(describe((DescribeGroupsRequestData) message,
                context.apiVersion())));
    }

    DescribeGroupsResponseData describe(DescribeGroupsRequestData request, short version) {
        DescribeGroupsResponseData response = new DescribeGroupsResponseData();
        for (String groupId : request.groups()) {
            DescribedGroup described;
            if (!services.isActive()) {
                described = new DescribedGroup().setGroupId(groupId).setErrorCode(Errors.COORDINATOR_NOT_AVAILABLE.code());
            } else {
                described = services.registry().applyAny(groupId, false, group -> switch (group) {
                    case ClassicGroup classic -> describe(classic);
                    case ConsumerGroup consumer -> describe(consumer);
                }, null);
                if (described == null) {
                    described = new DescribedGroup().setGroupId(groupId).setGroupState(GroupState.DEAD.displayName());
                    if (version >= GROUP_NOT_FOUND_VERSION) {
                        described.setErrorCode(Errors.GROUP_ID_NOT_FOUND.code())
                                .setErrorMessage("Group " + groupId + " not found.");
                    }
                }
            }
            if (request.includeAuthorizedOperations()) {
                described.setAuthorizedOperations(ALL_GROUP_OPERATIONS);
            }
            response.groups().add(described);
        }
        return response;
    }

    private static DescribedGroup describe(ClassicGroup group) {
        boolean stable = group.is(GroupState.STABLE);
        List<DescribedGroupMember> members = new ArrayList<>();
        for (GroupMember member : group.members()) {
            DescribedGroupMember described = new DescribedGroupMember()
                    .setMemberId(member.memberId())
                    .setGroupInstanceId(member.groupInstanceId())
                    .setClientId(member.clientId())
                    .setClientHost(member.clientHost())
                    .setMemberAssignment(member.assignment());
            if (stable) {
                described.setMemberMetadata(member.metadata(group.protocolName()));
            }
            members.add(described);
        }
        return new DescribedGroup()
                .setGroupId(group.groupId())
                .setGroupState(group.state().displayName())
                .setProtocolType(group.protocolType() == null ? "" : group.protocolType())
                .setProtocolData(stable ? group.protocolName() : "")
                .setMembers(members);
    }

    private DescribedGroup describe(ConsumerGroup group) {
        List<DescribedGroupMember> members = new ArrayList<>();
        for (ConsumerGroupMember member : group.members()) {
            List<TopicPartition> partitions = new ArrayList<>();
            PartitionSet assigned = member.assignment().assigned();
            for (Uuid topicId : assigned.topics()) {
                services.catalog().topic(topicId).ifPresent(topic -> assigned.partitions(topicId)
                        .forEach(p -> partitions.add(new TopicPartition(topic.name(), p))));
            }
            members.add(new DescribedGroupMember()
                    .setMemberId(member.memberId())
                    .setGroupInstanceId(member.instanceId())
                    .setClientId(member.clientId())
                    .setClientHost(member.clientHost())
                    .setMemberAssignment(Utils.toArray(ConsumerProtocol.serializeAssignment(
                            new ConsumerPartitionAssignor.Assignment(partitions)))));
        }
        return new DescribedGroup()
                .setGroupId(group.groupId())
                .setGroupState(group.stateName())
                .setProtocolType(group.protocolTypeOrEmpty())
                .setProtocolData(group.preferredAssignor(services.consumerRebalancer().config().defaultAssignor()))
                .setMembers(members);
    }
}
