package io.memorystreamer.broker.internal.group;

import io.memorystreamer.broker.internal.api.ApiHandler;
import io.memorystreamer.broker.internal.api.ApiResponse;
import io.memorystreamer.broker.internal.api.RequestContext;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import org.apache.kafka.common.message.HeartbeatRequestData;
import org.apache.kafka.common.message.HeartbeatResponseData;
import org.apache.kafka.common.protocol.ApiMessage;
import org.apache.kafka.common.protocol.Errors;

/**
 * Heartbeat: keeps a member's session alive and tells it when the group rebalances
 * (REBALANCE_IN_PROGRESS) or when it was fenced (ILLEGAL_GENERATION, UNKNOWN_MEMBER_ID,
 * FENCED_INSTANCE_ID).
 */
final class HeartbeatHandler implements ApiHandler {

    private final GroupServices services;

    HeartbeatHandler(GroupServices services) {
        this.services = services;
    }

    @Override
    public CompletionStage<ApiResponse> handle(RequestContext context, ApiMessage message) {
        return CompletableFuture.completedFuture(ApiResponse.of(
                new HeartbeatResponseData().setErrorCode(heartbeat((HeartbeatRequestData) message).code())));
    }

    Errors heartbeat(HeartbeatRequestData request) {
        if (!services.isActive()) {
            return Errors.COORDINATOR_NOT_AVAILABLE;
        }
        if (!GroupServices.isValidGroupId(request.groupId())) {
            return Errors.INVALID_GROUP_ID;
        }
        return services.registry().apply(request.groupId(), false, group -> heartbeat(group, request),
                Errors.UNKNOWN_MEMBER_ID);
    }

    private Errors heartbeat(ClassicGroup group, HeartbeatRequestData request) {
        Errors error = group.validateMember(request.memberId(), request.groupInstanceId());
        if (error != Errors.NONE) {
            return error;
        }
        if (request.generationId() != group.generationId()) {
            return Errors.ILLEGAL_GENERATION;
        }
        GroupMember member = group.member(request.memberId());
        return switch (group.state()) {
            case EMPTY -> Errors.UNKNOWN_MEMBER_ID;
            case PREPARING_REBALANCE -> {
                services.rebalancer().rescheduleHeartbeat(group, member);
                yield Errors.REBALANCE_IN_PROGRESS;
            }
            // Clients heartbeat from their JoinGroup response on, while the group still completes.
            case COMPLETING_REBALANCE, STABLE -> {
                services.rebalancer().rescheduleHeartbeat(group, member);
                yield Errors.NONE;
            }
            case DEAD -> Errors.COORDINATOR_NOT_AVAILABLE;
        };
    }
}
