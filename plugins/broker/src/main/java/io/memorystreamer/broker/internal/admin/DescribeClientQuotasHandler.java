package io.memorystreamer.broker.internal.admin;

import io.memorystreamer.broker.internal.api.ApiHandler;
import io.memorystreamer.broker.internal.api.ApiResponse;
import io.memorystreamer.broker.internal.api.RequestContext;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import org.apache.kafka.common.message.DescribeClientQuotasRequestData;
import org.apache.kafka.common.message.DescribeClientQuotasRequestData.ComponentData;
import org.apache.kafka.common.message.DescribeClientQuotasResponseData;
import org.apache.kafka.common.protocol.ApiMessage;
import org.apache.kafka.common.protocol.Errors;
import org.apache.kafka.common.quota.ClientQuotaEntity;

/**
 * DescribeClientQuotas ({@code kafka-configs --describe --entity-type users/clients/ips}): the
 * broker enforces no client quotas, so a well-formed filter matches nothing.
 */
public final class DescribeClientQuotasHandler implements ApiHandler {

    private static final Set<String> ENTITY_TYPES = Set.of(ClientQuotaEntity.USER, ClientQuotaEntity.CLIENT_ID,
            ClientQuotaEntity.IP);
    /** The match types of the wire format: exact name, default entity, any. */
    private static final byte MATCH_EXACT = 0;
    private static final byte MATCH_ANY = 2;

    @Override
    public CompletionStage<ApiResponse> handle(RequestContext context, ApiMessage request) {
        DescribeClientQuotasRequestData data = (DescribeClientQuotasRequestData) request;
        DescribeClientQuotasResponseData response = new DescribeClientQuotasResponseData().setThrottleTimeMs(0);
        String problem = check(data.components());
        if (problem != null) {
            return CompletableFuture.completedFuture(ApiResponse.of(response
                    .setErrorCode(Errors.INVALID_REQUEST.code()).setErrorMessage(problem).setEntries(null)));
        }
        return CompletableFuture.completedFuture(ApiResponse.of(response
                .setErrorCode(Errors.NONE.code()).setErrorMessage(null).setEntries(List.of())));
    }

    private static String check(List<ComponentData> components) {
        for (ComponentData component : components) {
            if (!ENTITY_TYPES.contains(component.entityType())) {
                return "Unexpected entity type " + component.entityType();
            }
            if (component.matchType() < MATCH_EXACT || component.matchType() > MATCH_ANY) {
                return "Unexpected match type " + component.matchType();
            }
            if (component.matchType() == MATCH_EXACT && component.match() == null) {
                return "Unexpected null match for an exact match of " + component.entityType();
            }
        }
        long distinct = components.stream().map(ComponentData::entityType).distinct().count();
        return distinct == components.size() ? null : "Duplicate entity type in request";
    }
}
