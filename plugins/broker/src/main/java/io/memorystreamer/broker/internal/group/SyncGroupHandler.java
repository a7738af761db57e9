package io.memorystreamer.broker.internal.group;

import io.memorystreamer.broker.internal.api.ApiHandler;
import io.memorystreamer.broker.internal.api.ApiResponse;
import io.memorystreamer.broker.internal.api.RequestContext;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import org.apache.kafka.common.message.SyncGroupRequestData;
import org.apache.kafka.common.message.SyncGroupResponseData;
import org.apache.kafka.common.protocol.ApiMessage;
import org.apache.kafka.common.protocol.Errors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * SyncGroup: the leader hands in the assignment, every member gets its share. Followers that
 * arrive before the leader are parked until it does (or the group rebalances again).
 */
final class SyncGroupHandler implements ApiHandler {

    private static final Logger LOG = LoggerFactory.getLogger(SyncGroupHandler.class);

    private final GroupServices services;

    SyncGroupHandler(GroupServices services) {
        this.services = services;
    }

    @Override
    public CompletionStage<ApiResponse> handle(RequestContext context, ApiMessage message) {
        return sync((SyncGroupRequestData) message).thenApply(ApiResponse::of);
    }

    CompletableFuture<SyncGroupResponseData> sync(SyncGroupRequestData request) {
        if (!services.isActive()) {
            return error(Errors.COORDINATOR_NOT_AVAILABLE);
        }
        if (!GroupServices.isValidGroupId(request.groupId())) {
            return error(Errors.INVALID_GROUP_ID);
        }
        CompletableFuture<SyncGroupResponseData> future = new CompletableFuture<>();
        Errors immediate = services.registry().apply(request.groupId(), false, group -> sync(group, request, future),
                Errors.UNKNOWN_MEMBER_ID);
        if (immediate != Errors.NONE) {
            future.complete(new SyncGroupResponseData().setErrorCode(immediate.code()));
        }
        return future;
    }

    /** @return the error to answer with at once, or NONE when the future is taken care of */
    private Errors sync(ClassicGroup group, SyncGroupRequestData request, CompletableFuture<SyncGroupResponseData> future) {
        if (!services.isActive()) {
            // Checked again under the lock: the coordinator answers parked requests when it closes.
            return Errors.COORDINATOR_NOT_AVAILABLE;
        }
        if (group.is(GroupState.EMPTY)) {
            return Errors.UNKNOWN_MEMBER_ID;
        }
        Errors error = group.validateMember(request.memberId(), request.groupInstanceId());
        if (error != Errors.NONE) {
            return error;
        }
        if (request.generationId() != group.generationId()) {
            return Errors.ILLEGAL_GENERATION;
        }
        if (isInconsistent(request.protocolType(), group.protocolType())
                || isInconsistent(request.protocolName(), group.protocolName())) {
            return Errors.INCONSISTENT_GROUP_PROTOCOL;
        }
        GroupMember member = group.member(request.memberId());
        switch (group.state()) {
            case PREPARING_REBALANCE -> {
                return Errors.REBALANCE_IN_PROGRESS;
            }
            case COMPLETING_REBALANCE -> {
                if (member.isAwaitingSync()) {
                    // A retried SyncGroup replaces the one the client gave up on.
                    group.completeSync(member, new SyncGroupResponseData()
                            .setErrorCode(Errors.REBALANCE_IN_PROGRESS.code()));
                }
                member.setAwaitingSync(future);
                removePendingSyncMember(group, member.memberId());
                if (group.isLeader(member.memberId())) {
                    LOG.info("Assignment received from leader {} of group {} for generation {} ({} members, {} static)",
                            member.memberId(), group.groupId(), group.generationId(), group.memberCount(),
                            group.staticMemberCount());
                    services.rebalancer().completeSync(group, assignments(request));
                }
                return Errors.NONE;
            }
            case STABLE -> {
                removePendingSyncMember(group, member.memberId());
                SyncGroupResponseData response = new SyncGroupResponseData()
                        .setProtocolType(group.protocolType())
                        .setProtocolName(group.protocolName())
                        .setAssignment(member.assignment());
                group.defer(() -> future.complete(response));
                return Errors.NONE;
            }
            default -> {
                return Errors.COORDINATOR_NOT_AVAILABLE;
            }
        }
    }

    private static void removePendingSyncMember(ClassicGroup group, String memberId) {
        group.removePendingSyncMember(memberId);
        if (group.hasReceivedSyncFromAllMembers()) {
            group.syncTimer().cancel();
        }
    }

    private static Map<String, byte[]> assignments(SyncGroupRequestData request) {
        Map<String, byte[]> assignments = new HashMap<>();
        for (SyncGroupRequestData.SyncGroupRequestAssignment assignment : request.assignments()) {
            assignments.put(assignment.memberId(), assignment.assignment());
        }
        return assignments;
    }

    /** v5 requests name the protocol they expect; older ones send null, which matches anything. */
    private static boolean isInconsistent(String requested, String actual) {
        return requested != null && actual != null && !actual.equals(requested);
    }

    private static CompletableFuture<SyncGroupResponseData> error(Errors error) {
        return CompletableFuture.completedFuture(new SyncGroupResponseData().setErrorCode(error.code()));
    }
}
