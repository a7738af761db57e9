package io.memorystreamer.broker.internal.admin;

import io.memorystreamer.broker.internal.api.ApiHandler;
import io.memorystreamer.broker.internal.api.ApiResponse;
import io.memorystreamer.broker.internal.api.RequestContext;
import io.memorystreamer.broker.internal.codec.SupportedApis;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import org.apache.kafka.common.message.ApiVersionsRequestData;
import org.apache.kafka.common.message.ApiVersionsResponseData;
import org.apache.kafka.common.protocol.ApiMessage;
import org.apache.kafka.common.protocol.Errors;
import org.apache.kafka.common.requests.ApiVersionsRequest;

/**
 * ApiVersions: the APIs with handlers and their version ranges. No features are advertised, so
 * clients use their feature-less behaviour (for example transactions version 1). Requests of a
 * version we do not know are answered by the dispatcher (KIP-511).
 */
public final class ApiVersionsHandler implements ApiHandler {

    private final SupportedApis supported;

    public ApiVersionsHandler(SupportedApis supported) {
        this.supported = supported;
    }

    @Override
    public CompletionStage<ApiResponse> handle(RequestContext context, ApiMessage request) {
        ApiVersionsRequestData data = (ApiVersionsRequestData) request;
        ApiVersionsResponseData response = new ApiVersionsResponseData().setThrottleTimeMs(0);
        if (!new ApiVersionsRequest(data, context.apiVersion()).isValid()) {
            // Client software name or version outside [a-zA-Z0-9](?:[a-zA-Z0-9\-.]*[a-zA-Z0-9])?
            response.setErrorCode(Errors.INVALID_REQUEST.code());
        } else {
            response.setErrorCode(Errors.NONE.code()).setApiKeys(supported.toApiVersions());
        }
        return CompletableFuture.completedFuture(ApiResponse.of(response));
    }
}
