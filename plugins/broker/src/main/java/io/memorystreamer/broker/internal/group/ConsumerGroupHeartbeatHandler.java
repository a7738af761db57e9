package io.memorystreamer.broker.internal.group;

import io.memorystreamer.broker.internal.api.ApiHandler;
import io.memorystreamer.broker.internal.api.ApiResponse;
import io.memorystreamer.broker.internal.api.RequestContext;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.regex.PatternSyntaxException;
import org.apache.kafka.common.Uuid;
import org.apache.kafka.common.errors.ApiException;
import org.apache.kafka.common.message.ConsumerGroupHeartbeatRequestData;
import org.apache.kafka.common.message.ConsumerGroupHeartbeatResponseData;
import org.apache.kafka.common.protocol.ApiMessage;
import org.apache.kafka.common.protocol.Errors;

/**
 * ConsumerGroupHeartbeat (v0-v1, KIP-848): the one request of the consumer group protocol, by
 * which a member joins (epoch 0), heartbeats, reports the partitions it owns and learns its
 * assignment, and leaves (epoch -1, or -2 for a static member that will be back). Validates the
 * request as Kafka does (INVALID_REQUEST, UNSUPPORTED_ASSIGNOR, INVALID_REGULAR_EXPRESSION), then
 * runs it under the group's lock. Since v1 the client makes up its member id; for a v0 join
 * without one the coordinator does.
 *
 * <p>A group id that names a classic group with members answers GROUP_ID_NOT_FOUND, as Kafka does;
 * a classic group without members becomes a consumer group.
 */
final class ConsumerGroupHeartbeatHandler implements ApiHandler {

    private final GroupServices services;
    private final ConsumerGroupRebalancer rebalancer;

    ConsumerGroupHeartbeatHandler(GroupServices services) {
        this.services = services;
        this.rebalancer = services.consumerRebalancer();
    }

    @Override
    public CompletionStage<ApiResponse> handle(RequestContext context, ApiMessage message) {
        return CompletableFuture.completedFuture(ApiResponse.of(heartbeat(context,
                (ConsumerGroupHeartbeatRequestData) message)));
    }

    ConsumerGroupHeartbeatResponseData heartbeat(RequestContext context, ConsumerGroupHeartbeatRequestData request) {
        if (!services.isActive()) {
            return error(Errors.COORDINATOR_NOT_AVAILABLE, null);
        }
        try {
            validate(request, context.apiVersion());
            String memberId = request.memberId().isEmpty() ? Uuid.randomUuid().toString() : request.memberId();
            ConsumerHeartbeat heartbeat = new ConsumerHeartbeat(request.groupId(), memberId, request.memberEpoch(),
                    request.instanceId(), request.rackId(), request.rebalanceTimeoutMs(), request.subscribedTopicNames(),
                    request.subscribedTopicRegex(), request.serverAssignor(),
                    PartitionSet.fromRequest(request.topicPartitions()), context.clientId(),
                    JoinGroupHandler.clientHost(context.connection().remoteAddress()));
            String notConsumerGroup = "Group " + request.groupId() + " is not a consumer group.";
            if (request.memberEpoch() < 0) {
                return services.registry().applyConsumer(request.groupId(), false, g -> rebalancer.leave(g, heartbeat),
                        error(Errors.UNKNOWN_MEMBER_ID, "Group " + request.groupId() + " has no member " + memberId + "."),
                        error(Errors.GROUP_ID_NOT_FOUND, notConsumerGroup));
            }
            // A member that still has an epoch after its group is gone (say the broker lost it) rejoins.
            return services.registry().applyConsumer(request.groupId(), request.memberEpoch() == 0,
                    g -> rebalancer.heartbeat(g, heartbeat),
                    error(Errors.UNKNOWN_MEMBER_ID, "Group " + request.groupId() + " has no member " + memberId + "."),
                    error(Errors.GROUP_ID_NOT_FOUND, notConsumerGroup));
        } catch (ApiException e) {
            return error(Errors.forException(e), e.getMessage());
        }
    }

    private void validate(ConsumerGroupHeartbeatRequestData request, short version) {
        requireNotEmpty(request.groupId(), "GroupId can't be empty.");
        requireNotEmpty(request.instanceId(), "InstanceId can't be empty.");
        requireNotEmpty(request.rackId(), "RackId can't be empty.");
        int epoch = request.memberEpoch();
        if (version >= 1 || epoch != 0) {
            // Since v1 the member makes up its id; only a v0 join may leave it to the coordinator.
            requireNotEmpty(request.memberId() == null ? "" : request.memberId(), "MemberId can't be empty.");
        }
        if (epoch == 0) {
            if (request.rebalanceTimeoutMs() == -1) {
                throw invalid("RebalanceTimeoutMs must be provided in first request.");
            }
            if (request.topicPartitions() == null || !request.topicPartitions().isEmpty()) {
                throw invalid("TopicPartitions must be empty when (re-)joining.");
            }
            if (request.subscribedTopicNames() == null && request.subscribedTopicRegex() == null) {
                throw invalid("SubscribedTopicNames or SubscribedTopicRegex must be set in first request.");
            }
        } else if (epoch == ConsumerHeartbeat.STATIC_LEAVE_EPOCH) {
            if (request.instanceId() == null) {
                throw invalid("InstanceId can't be null.");
            }
        } else if (epoch < ConsumerHeartbeat.STATIC_LEAVE_EPOCH) {
            throw invalid("MemberEpoch is invalid.");
        }
        if (request.serverAssignor() != null && !rebalancer.supportsAssignor(request.serverAssignor())) {
            throw Errors.UNSUPPORTED_ASSIGNOR.exception("ServerAssignor " + request.serverAssignor()
                    + " is not supported. Supported assignors: "
                    + String.join(", ", rebalancer.config().assignors()) + ".");
        }
        String regex = request.subscribedTopicRegex();
        if (regex != null && !regex.isEmpty()) {
            try {
                ConsumerSubscriptions.compile(regex);
            } catch (PatternSyntaxException e) {
                throw Errors.INVALID_REGULAR_EXPRESSION.exception("SubscribedTopicRegex `" + regex
                        + "` is not a valid regular expression: " + e.getDescription() + ".");
            }
        }
    }

    private static void requireNotEmpty(String value, String message) {
        if (value != null && value.isEmpty()) {
            throw invalid(message);
        }
    }

    private static ApiException invalid(String message) {
        return Errors.INVALID_REQUEST.exception(message);
    }

    private static ConsumerGroupHeartbeatResponseData error(Errors error, String message) {
        return new ConsumerGroupHeartbeatResponseData()
                .setErrorCode(error.code())
                .setErrorMessage(message != null ? message : error.message());
    }
}
