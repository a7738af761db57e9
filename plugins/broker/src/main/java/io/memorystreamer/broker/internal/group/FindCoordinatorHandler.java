package io.memorystreamer.broker.internal.group;

import io.memorystreamer.broker.internal.admin.AdvertisedEndpoints;
import io.memorystreamer.broker.internal.api.ApiHandler;
import io.memorystreamer.broker.internal.api.ApiResponse;
import io.memorystreamer.broker.internal.api.RequestContext;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.function.BooleanSupplier;
import org.apache.kafka.common.message.FindCoordinatorRequestData;
import org.apache.kafka.common.message.FindCoordinatorResponseData;
import org.apache.kafka.common.message.FindCoordinatorResponseData.Coordinator;
import org.apache.kafka.common.protocol.ApiMessage;
import org.apache.kafka.common.protocol.Errors;
import org.apache.kafka.common.requests.FindCoordinatorRequest.CoordinatorType;

/**
 * FindCoordinator: on a single node this broker coordinates every group and every transactional
 * id. One key before v4, a batch of keys since. Share groups are not supported.
 */
final class FindCoordinatorHandler implements ApiHandler {

    private static final short BATCHED_VERSION = 4;

    private final int nodeId;
    private final AdvertisedEndpoints endpoints;
    private final BooleanSupplier active;

    FindCoordinatorHandler(int nodeId, AdvertisedEndpoints endpoints, BooleanSupplier active) {
        this.nodeId = nodeId;
        this.endpoints = endpoints;
        this.active = active;
    }

    @Override
    public CompletionStage<ApiResponse> handle(RequestContext context, ApiMessage message) {
        FindCoordinatorRequestData request = (FindCoordinatorRequestData) message;
        AdvertisedEndpoints.HostPort endpoint = endpoints.endpointFor(context.connection());
        FindCoordinatorResponseData response = new FindCoordinatorResponseData();
        if (context.apiVersion() >= BATCHED_VERSION) {
            for (String key : request.coordinatorKeys()) {
                response.coordinators().add(coordinator(key, request.keyType(), endpoint));
            }
        } else {
            Coordinator single = coordinator(request.key(), request.keyType(), endpoint);
            response.setErrorCode(single.errorCode())
                    .setErrorMessage(single.errorMessage())
                    .setNodeId(single.nodeId())
                    .setHost(single.host())
                    .setPort(single.port());
        }
        return CompletableFuture.completedFuture(ApiResponse.of(response));
    }

    private Coordinator coordinator(String key, byte keyType, AdvertisedEndpoints.HostPort endpoint) {
        Coordinator coordinator = new Coordinator().setKey(key);
        Errors error = Errors.NONE;
        String message = null;
        if (!active.getAsBoolean()) {
            error = Errors.COORDINATOR_NOT_AVAILABLE;
        } else if (!isSupported(keyType)) {
            error = Errors.INVALID_REQUEST;
            message = "Unsupported coordinator key type " + keyType;
        }
        if (error != Errors.NONE) {
            return coordinator.setErrorCode(error.code()).setErrorMessage(message != null ? message : error.message())
                    .setNodeId(-1).setHost("").setPort(-1);
        }
        return coordinator.setNodeId(nodeId).setHost(endpoint.host()).setPort(endpoint.port());
    }

    private static boolean isSupported(byte keyType) {
        return List.of(CoordinatorType.GROUP.id(), CoordinatorType.TRANSACTION.id()).contains(keyType);
    }
}
