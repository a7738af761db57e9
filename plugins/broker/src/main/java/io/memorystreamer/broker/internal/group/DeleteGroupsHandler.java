package io.memorystreamer.broker.internal.group;

import io.memorystreamer.broker.internal.api.ApiHandler;
import io.memorystreamer.broker.internal.api.ApiResponse;
import io.memorystreamer.broker.internal.api.RequestContext;
import io.memorystreamer.spi.state.StateException;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import org.apache.kafka.common.message.DeleteGroupsRequestData;
import org.apache.kafka.common.message.DeleteGroupsResponseData;
import org.apache.kafka.common.message.DeleteGroupsResponseData.DeletableGroupResult;
import org.apache.kafka.common.protocol.ApiMessage;
import org.apache.kafka.common.protocol.Errors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * DeleteGroups: removes groups without members (classic or consumer) with their committed offsets;
 * a group with members is NON_EMPTY_GROUP.
 */
final class DeleteGroupsHandler implements ApiHandler {

    private static final Logger LOG = LoggerFactory.getLogger(DeleteGroupsHandler.class);

    private final GroupServices services;

    DeleteGroupsHandler(GroupServices services) {
        this.services = services;
    }

    @Override
    public CompletionStage<ApiResponse> handle(RequestContext context, ApiMessage message) {
        return CompletableFuture.completedFuture(ApiResponse.of(delete(((DeleteGroupsRequestData) message).groupsNames())));
    }

    DeleteGroupsResponseData delete(List<String> groupIds) {
        DeleteGroupsResponseData response = new DeleteGroupsResponseData();
        for (String groupId : groupIds) {
            response.results().add(new DeletableGroupResult().setGroupId(groupId).setErrorCode(delete(groupId).code()));
        }
        return response;
    }

    private Errors delete(String groupId) {
        if (!services.isActive()) {
            return Errors.COORDINATOR_NOT_AVAILABLE;
        }
        return services.registry().applyAny(groupId, false, group -> {
            boolean empty = group instanceof ClassicGroup classic ? classic.is(GroupState.EMPTY) : group.hasNoMembers();
            if (!empty) {
                return Errors.NON_EMPTY_GROUP;
            }
            try {
                services.store().deleteGroup(groupId, List.copyOf(group.offsets().keySet()));
            } catch (StateException e) {
                LOG.warn("Could not delete group {}: {}", groupId, e.getMessage());
                return Errors.COORDINATOR_NOT_AVAILABLE;
            }
            services.registry().remove(group);
            LOG.info("Deleted group {} and its {} committed offsets", groupId, group.offsets().size());
            return Errors.NONE;
        }, Errors.GROUP_ID_NOT_FOUND);
    }
}
