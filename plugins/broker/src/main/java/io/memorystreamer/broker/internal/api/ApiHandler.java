package io.memorystreamer.broker.internal.api;

import java.util.concurrent.CompletionStage;
import org.apache.kafka.common.protocol.ApiMessage;

/**
 * Implements one Kafka API. Called on a broker request thread (never a network event loop); may
 * block briefly on storage, and returns an incomplete stage for work that waits (long-poll fetch).
 *
 * <p>Errors the client should see are put in the response with Kafka's error codes. A stage that
 * completes exceptionally makes the dispatcher answer with the API's generic error response.
 */
@FunctionalInterface
public interface ApiHandler {

    CompletionStage<ApiResponse> handle(RequestContext context, ApiMessage request);
}
