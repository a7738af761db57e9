package io.memorystreamer.broker.internal.group;

import io.memorystreamer.broker.internal.api.ApiHandler;
import io.memorystreamer.broker.internal.api.ApiResponse;
import io.memorystreamer.broker.internal.api.RequestContext;
import java.net.InetSocketAddress;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import org.apache.kafka.common.message.JoinGroupRequestData;
import org.apache.kafka.common.message.JoinGroupResponseData;
import org.apache.kafka.common.protocol.ApiMessage;
import org.apache.kafka.common.protocol.Errors;
import org.apache.kafka.common.requests.JoinGroupRequest;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * JoinGroup (v0 and later): adds or updates a member and parks its request until the join phase
 * of the rebalance completes. The returned stage completes on whichever thread ends the phase (the
 * last member's JoinGroup, a timer, a LeaveGroup); no request thread waits.
 */
final class JoinGroupHandler implements ApiHandler {

    private static final Logger LOG = LoggerFactory.getLogger(JoinGroupHandler.class);

    /** One JoinGroup with its defaults applied. */
    private record Join(String memberId, String groupInstanceId, String clientId, String clientHost, short version,
            int sessionTimeoutMs, int rebalanceTimeoutMs, String protocolType, List<GroupMember.Protocol> protocols,
            String reason) {
    }

    private final GroupServices services;
    private final Rebalancer rebalancer;

    JoinGroupHandler(GroupServices services) {
        this.services = services;
        this.rebalancer = services.rebalancer();
    }

    @Override
    public CompletionStage<ApiResponse> handle(RequestContext context, ApiMessage message) {
        short version = context.apiVersion();
        return join(context, (JoinGroupRequestData) message).thenApply(response -> ApiResponse.of(forVersion(response, version)));
    }

    CompletableFuture<JoinGroupResponseData> join(RequestContext context, JoinGroupRequestData request) {
        GroupConfig config = services.config();
        if (!services.isActive()) {
            return error(request.memberId(), Errors.COORDINATOR_NOT_AVAILABLE);
        }
        if (!GroupServices.isValidGroupId(request.groupId())) {
            return error(request.memberId(), Errors.INVALID_GROUP_ID);
        }
        if (request.sessionTimeoutMs() < config.minSessionTimeoutMs()
                || request.sessionTimeoutMs() > config.maxSessionTimeoutMs()) {
            return error(request.memberId(), Errors.INVALID_SESSION_TIMEOUT);
        }
        // Version 0 has no rebalance timeout: the session timeout serves for both.
        int rebalanceTimeoutMs = request.rebalanceTimeoutMs() < 0 ? request.sessionTimeoutMs() : request.rebalanceTimeoutMs();
        Join join = new Join(request.memberId(), request.groupInstanceId(), context.clientId(),
                clientHost(context.connection().remoteAddress()), context.apiVersion(), request.sessionTimeoutMs(),
                rebalanceTimeoutMs, request.protocolType(), GroupMember.protocolsOf(request.protocols()),
                JoinGroupRequest.joinReason(request));
        CompletableFuture<JoinGroupResponseData> future = new CompletableFuture<>();
        boolean unknownMember = join.memberId().isEmpty();
        // A new group is created only by a member that does not claim an id yet. A consumer group
        // (KIP-848) with members keeps its id: classic members cannot join it.
        Errors immediate = services.registry().applyClassic(request.groupId(), unknownMember, group -> {
            joinGroup(group, join, future);
            return Errors.NONE;
        }, Errors.UNKNOWN_MEMBER_ID, Errors.INCONSISTENT_GROUP_PROTOCOL);
        if (immediate != Errors.NONE) {
            future.complete(response(immediate == Errors.INCONSISTENT_GROUP_PROTOCOL ? "" : join.memberId(), immediate));
        }
        return future;
    }

    private void joinGroup(ClassicGroup group, Join join, CompletableFuture<JoinGroupResponseData> future) {
        if (!services.isActive()) {
            // Checked again under the lock: the coordinator answers parked requests when it closes.
            complete(group, future, response(join.memberId(), Errors.COORDINATOR_NOT_AVAILABLE));
        } else if (!acceptJoiningMember(group, join.memberId())) {
            group.remove(join.memberId());
            complete(group, future, response("", Errors.GROUP_MAX_SIZE_REACHED));
        } else if (join.memberId().isEmpty()) {
            joinNewMember(group, join, future);
        } else {
            joinExistingMember(group, join, future);
        }
    }

    private boolean acceptJoiningMember(ClassicGroup group, String memberId) {
        int maxSize = services.config().maxSize();
        return switch (group.state()) {
            case EMPTY, DEAD -> true;
            // Counting members awaiting a join response (not all members) lets the last ones to
            // rejoin be refused when the group is over a lowered maximum.
            case PREPARING_REBALANCE -> (group.hasMember(memberId) && group.member(memberId).isAwaitingJoin())
                    || group.awaitingJoinCount() < maxSize;
            case COMPLETING_REBALANCE, STABLE -> group.hasMember(memberId) || group.memberCount() < maxSize;
        };
    }

    private void joinNewMember(ClassicGroup group, Join join, CompletableFuture<JoinGroupResponseData> future) {
        if (!group.supportsProtocols(join.protocolType(), join.protocols())) {
            complete(group, future, response("", Errors.INCONSISTENT_GROUP_PROTOCOL));
            return;
        }
        String newMemberId = ClassicGroup.newMemberId(join.clientId(), join.groupInstanceId());
        if (join.groupInstanceId() != null) {
            String existing = group.staticMemberId(join.groupInstanceId());
            if (existing != null) {
                LOG.info("Static member {} of group {} rejoins with an unknown member id; replacing member {} by {}",
                        join.groupInstanceId(), group.groupId(), existing, newMemberId);
                replaceStaticMember(group, join, existing, newMemberId, future);
            } else {
                addMemberThenRebalanceOrCompleteJoin(group, join, newMemberId, future);
            }
        } else if (JoinGroupRequest.requiresKnownMemberId(join.version())) {
            // Since v4 a new dynamic member first learns its id, so a client that retries after a
            // lost response cannot leave a stray member behind.
            rebalancer.addPendingJoinMember(group, newMemberId, join.sessionTimeoutMs());
            complete(group, future, response(newMemberId, Errors.MEMBER_ID_REQUIRED));
        } else {
            addMemberThenRebalanceOrCompleteJoin(group, join, newMemberId, future);
        }
    }

    private void joinExistingMember(ClassicGroup group, Join join, CompletableFuture<JoinGroupResponseData> future) {
        String memberId = join.memberId();
        if (!group.supportsProtocols(join.protocolType(), join.protocols())) {
            complete(group, future, response(memberId, Errors.INCONSISTENT_GROUP_PROTOCOL));
            return;
        }
        if (group.isPendingJoinMember(memberId)) {
            if (join.groupInstanceId() != null) {
                // Pending ids are only handed to dynamic members.
                complete(group, future, response(memberId, Errors.UNKNOWN_MEMBER_ID));
            } else {
                addMemberThenRebalanceOrCompleteJoin(group, join, memberId, future);
            }
            return;
        }
        Errors error = group.validateMember(memberId, join.groupInstanceId());
        if (error != Errors.NONE) {
            complete(group, future, response(memberId, error).setProtocolType(null).setProtocolName(null));
            return;
        }
        GroupMember member = group.member(memberId);
        switch (group.state()) {
            case PREPARING_REBALANCE -> updateMemberThenRebalanceOrCompleteJoin(group, member, join, future,
                    "member " + memberId + " joins during PreparingRebalance");
            case COMPLETING_REBALANCE -> {
                if (member.matches(join.protocols())) {
                    // Same metadata (it probably lost the response): answer with the current generation.
                    complete(group, future, currentGeneration(group, memberId, group.isLeader(memberId)));
                } else {
                    updateMemberThenRebalanceOrCompleteJoin(group, member, join, future,
                            "member " + memberId + " changed its metadata during CompletingRebalance");
                }
            }
            case STABLE -> {
                if (group.isLeader(memberId)) {
                    // The leader rejoins to trigger a rebalance its metadata does not show (for
                    // example new partitions of a subscribed topic).
                    updateMemberThenRebalanceOrCompleteJoin(group, member, join, future,
                            "leader " + memberId + " rejoins during Stable");
                } else if (!member.matches(join.protocols())) {
                    updateMemberThenRebalanceOrCompleteJoin(group, member, join, future,
                            "member " + memberId + " changed its metadata during Stable");
                } else {
                    complete(group, future, currentGeneration(group, memberId, false));
                }
            }
            case EMPTY, DEAD -> complete(group, future, response(memberId, Errors.UNKNOWN_MEMBER_ID));
        }
    }

    private void updateMemberThenRebalanceOrCompleteJoin(ClassicGroup group, GroupMember member, Join join,
            CompletableFuture<JoinGroupResponseData> future, String reason) {
        group.updateMember(member, join.protocols(), join.rebalanceTimeoutMs(), join.sessionTimeoutMs(), future);
        rebalancer.maybePrepareRebalanceOrCompleteJoin(group, reason + "; client reason: " + join.reason());
    }

    private void addMemberThenRebalanceOrCompleteJoin(ClassicGroup group, Join join, String memberId,
            CompletableFuture<JoinGroupResponseData> future) {
        GroupMember member = new GroupMember(memberId, join.groupInstanceId(), join.clientId(), join.clientHost(),
                join.rebalanceTimeoutMs(), join.sessionTimeoutMs(), join.protocolType(), join.protocols(),
                GroupMember.EMPTY_ASSIGNMENT);
        member.setNew(true);
        if (group.is(GroupState.PREPARING_REBALANCE) && group.previousState() == GroupState.EMPTY) {
            // Lets the initial rebalance wait a little longer for further members.
            group.setNewMemberAdded(true);
        }
        group.add(member, future);
        // A new member cannot heartbeat while its JoinGroup is parked: bound the wait so a client
        // that gave up does not stay a member forever.
        rebalancer.rescheduleHeartbeat(group, member, services.config().newMemberJoinTimeoutMs());
        rebalancer.maybePrepareRebalanceOrCompleteJoin(group, "adding new member " + memberId + " with group instance id "
                + join.groupInstanceId() + "; client reason: " + join.reason());
    }

    /**
     * A known static member rejoined with a new member id: it takes the old id's place. In a stable
     * group whose protocol selection and the member's metadata stay the same, no rebalance is
     * needed and the member gets the current generation back.
     */
    private void replaceStaticMember(ClassicGroup group, Join join, String oldMemberId, String newMemberId,
            CompletableFuture<JoinGroupResponseData> future) {
        String previousLeader = group.leaderId();
        GroupMember member = group.replaceStaticMember(join.groupInstanceId(), oldMemberId, newMemberId);
        boolean sameMetadata = member.matches(join.protocols());
        rebalancer.rescheduleHeartbeat(group, member);
        group.updateMember(member, join.protocols(), join.rebalanceTimeoutMs(), join.sessionTimeoutMs(), future);
        switch (group.state()) {
            case STABLE -> {
                if (sameMetadata && group.selectProtocol().equals(group.protocolName())) {
                    LOG.info("Static member {} of group {} rejoined without changes; no rebalance", join.groupInstanceId(),
                            group.groupId());
                    if (JoinGroupRequest.supportsSkippingAssignment(join.version())) {
                        boolean leader = group.isLeader(newMemberId);
                        group.completeJoin(member, currentGeneration(group, newMemberId, leader).setSkipAssignment(leader));
                    } else {
                        // Older clients must not think they lead: they would assign again.
                        group.completeJoin(member, currentGeneration(group, newMemberId, false).setLeader(previousLeader));
                    }
                } else {
                    rebalancer.maybePrepareRebalanceOrCompleteJoin(group, "static member " + newMemberId
                            + " with instance id " + join.groupInstanceId() + " rejoined with changed metadata");
                }
            }
            // The leader may already be assigning with the old member id: start over.
            case COMPLETING_REBALANCE -> rebalancer.prepareRebalance(group, "static member " + newMemberId
                    + " with instance id " + join.groupInstanceId() + " rejoined during CompletingRebalance");
            default -> rebalancer.maybeCompleteJoinPhase(group);
        }
    }

    private static JoinGroupResponseData currentGeneration(ClassicGroup group, String memberId, boolean withMembers) {
        return new JoinGroupResponseData()
                .setMembers(withMembers ? group.joinResponseMembers() : List.of())
                .setMemberId(memberId)
                .setGenerationId(group.generationId())
                .setProtocolName(group.protocolName())
                .setProtocolType(group.protocolType())
                .setLeader(group.leaderId())
                .setSkipAssignment(false);
    }

    private static void complete(ClassicGroup group, CompletableFuture<JoinGroupResponseData> future,
            JoinGroupResponseData response) {
        group.defer(() -> future.complete(response));
    }

    private static JoinGroupResponseData response(String memberId, Errors error) {
        return new JoinGroupResponseData().setMemberId(memberId).setErrorCode(error.code());
    }

    private static CompletableFuture<JoinGroupResponseData> error(String memberId, Errors error) {
        return CompletableFuture.completedFuture(response(memberId == null ? "" : memberId, error));
    }

    /** Versions before 7 cannot carry a null protocol name. */
    static JoinGroupResponseData forVersion(JoinGroupResponseData response, short version) {
        if (version < 7 && response.protocolName() == null) {
            response.setProtocolName("");
        }
        if (response.leader() == null) {
            response.setLeader("");
        }
        return response;
    }

    /** How DescribeGroups shows where a member connects from, as Kafka does ("/address"). */
    static String clientHost(InetSocketAddress remote) {
        return "/" + (remote.getAddress() != null ? remote.getAddress().getHostAddress() : remote.getHostString());
    }
}
