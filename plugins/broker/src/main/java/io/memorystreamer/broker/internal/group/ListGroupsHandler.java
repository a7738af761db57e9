package io.memorystreamer.broker.internal.group;

import io.memorystreamer.broker.internal.api.ApiHandler;
import io.memorystreamer.broker.internal.api.ApiResponse;
import io.memorystreamer.broker.internal.api.RequestContext;
import java.util.HashSet;
import java.util.Locale;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import org.apache.kafka.common.GroupType;
import org.apache.kafka.common.message.ListGroupsRequestData;
import org.apache.kafka.common.message.ListGroupsResponseData;
import org.apache.kafka.common.protocol.ApiMessage;
import org.apache.kafka.common.protocol.Errors;

/**
 * ListGroups: every group, classic and consumer (KIP-848), optionally filtered by state (v4+) and
 * type (v5+), case-insensitively.
 */
final class ListGroupsHandler implements ApiHandler {

    private final GroupServices services;

    ListGroupsHandler(GroupServices services) {
        this.services = services;
    }

    @Override
    public CompletionStage<ApiResponse> handle(RequestContext context, ApiMessage message) {
        return CompletableFuture.completedFuture(ApiResponse.of(list((ListGroupsRequestData) message)));
    }

    ListGroupsResponseData list(ListGroupsRequestData request) {
        if (!services.isActive()) {
            return new ListGroupsResponseData().setErrorCode(Errors.COORDINATOR_NOT_AVAILABLE.code());
        }
        Set<String> states = new HashSet<>();
        for (String state : request.statesFilter()) {
            states.add(state.trim().toLowerCase(Locale.ROOT));
        }
        Set<GroupType> types = new HashSet<>();
        for (String type : request.typesFilter()) {
            types.add(GroupType.parse(type.trim()));
        }
        ListGroupsResponseData response = new ListGroupsResponseData();
        for (Group group : services.registry().snapshot()) {
            services.registry().runIfLive(group, g -> {
                if ((types.isEmpty() || types.contains(g.type()))
                        && (states.isEmpty() || states.contains(g.stateName().toLowerCase(Locale.ROOT)))) {
                    response.groups().add(new ListGroupsResponseData.ListedGroup()
                            .setGroupId(g.groupId())
                            .setProtocolType(g.protocolTypeOrEmpty())
                            .setGroupState(g.stateName())
                            .setGroupType(g.type().toString()));
                }
            });
        }
        return response;
    }
}
