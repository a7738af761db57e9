package io.memorystreamer.broker.internal.group;

import io.memorystreamer.broker.internal.api.ApiHandler;
import io.memorystreamer.broker.internal.api.ApiResponse;
import io.memorystreamer.broker.internal.api.RequestContext;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import org.apache.kafka.common.message.LeaveGroupRequestData;
import org.apache.kafka.common.message.LeaveGroupRequestData.MemberIdentity;
import org.apache.kafka.common.message.LeaveGroupResponseData;
import org.apache.kafka.common.message.LeaveGroupResponseData.MemberResponse;
import org.apache.kafka.common.protocol.ApiMessage;
import org.apache.kafka.common.protocol.Errors;

/**
 * LeaveGroup: removes members (one in v0-v2; a batch since v3, where an admin may name static
 * members by group instance id alone) and rebalances the rest.
 */
final class LeaveGroupHandler implements ApiHandler {

    private final GroupServices services;

    LeaveGroupHandler(GroupServices services) {
        this.services = services;
    }

    @Override
    public CompletionStage<ApiResponse> handle(RequestContext context, ApiMessage message) {
        LeaveGroupRequestData request = (LeaveGroupRequestData) message;
        short version = context.apiVersion();
        List<MemberIdentity> members = version <= 2
                ? List.of(new MemberIdentity().setMemberId(request.memberId()))
                : request.members();
        return CompletableFuture.completedFuture(ApiResponse.of(forVersion(leave(request.groupId(), members), version)));
    }

    LeaveGroupResponseData leave(String groupId, List<MemberIdentity> leaving) {
        if (!services.isActive()) {
            return new LeaveGroupResponseData().setErrorCode(Errors.COORDINATOR_NOT_AVAILABLE.code());
        }
        if (!GroupServices.isValidGroupId(groupId)) {
            return new LeaveGroupResponseData().setErrorCode(Errors.INVALID_GROUP_ID.code());
        }
        return services.registry().apply(groupId, false, group -> leave(group, leaving),
                new LeaveGroupResponseData().setMembers(results(leaving, Errors.UNKNOWN_MEMBER_ID)));
    }

    private LeaveGroupResponseData leave(ClassicGroup group, List<MemberIdentity> leaving) {
        Rebalancer rebalancer = services.rebalancer();
        List<MemberResponse> responses = new ArrayList<>();
        List<String> left = new ArrayList<>();
        for (MemberIdentity identity : leaving) {
            String reason = identity.reason() != null ? identity.reason() : "not provided";
            Errors error = Errors.NONE;
            if (identity.memberId().isEmpty()) {
                // An administrative removal names a static member by its instance id only.
                if (identity.groupInstanceId() != null && group.hasStaticMember(identity.groupInstanceId())) {
                    String memberId = group.staticMemberId(identity.groupInstanceId());
                    rebalancer.removeLeavingMember(group, memberId, "client reason: " + reason);
                    left.add(memberId);
                } else {
                    error = Errors.UNKNOWN_MEMBER_ID;
                }
            } else if (group.isPendingJoinMember(identity.memberId())) {
                group.removePendingJoinMember(identity.memberId());
                left.add(identity.memberId());
            } else {
                error = group.validateMember(identity.memberId(), identity.groupInstanceId());
                if (error == Errors.NONE) {
                    rebalancer.removeLeavingMember(group, identity.memberId(), "client reason: " + reason);
                    left.add(identity.memberId());
                }
            }
            responses.add(new MemberResponse()
                    .setMemberId(identity.memberId())
                    .setGroupInstanceId(identity.groupInstanceId())
                    .setErrorCode(error.code()));
        }
        if (!left.isEmpty()) {
            String reason = "explicit LeaveGroup of " + left;
            switch (group.state()) {
                case STABLE, COMPLETING_REBALANCE -> rebalancer.maybePrepareRebalanceOrCompleteJoin(group, reason);
                case PREPARING_REBALANCE -> rebalancer.maybeCompleteJoinPhase(group);
                default -> {
                }
            }
        }
        return new LeaveGroupResponseData().setMembers(responses);
    }

    private static List<MemberResponse> results(List<MemberIdentity> members, Errors error) {
        List<MemberResponse> responses = new ArrayList<>();
        for (MemberIdentity member : members) {
            responses.add(new MemberResponse()
                    .setMemberId(member.memberId())
                    .setGroupInstanceId(member.groupInstanceId())
                    .setErrorCode(error.code()));
        }
        return responses;
    }

    /** Before v3 there is no member list: the first member error becomes the top-level error. */
    private static LeaveGroupResponseData forVersion(LeaveGroupResponseData response, short version) {
        if (version > 2) {
            return response;
        }
        short error = response.errorCode();
        if (error == Errors.NONE.code()) {
            for (MemberResponse member : response.members()) {
                if (member.errorCode() != Errors.NONE.code()) {
                    error = member.errorCode();
                    break;
                }
            }
        }
        return new LeaveGroupResponseData().setErrorCode(error);
    }
}
