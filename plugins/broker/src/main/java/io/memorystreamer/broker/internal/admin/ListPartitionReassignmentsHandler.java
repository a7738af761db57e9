package io.memorystreamer.broker.internal.admin;

import io.memorystreamer.broker.internal.api.ApiHandler;
import io.memorystreamer.broker.internal.api.ApiResponse;
import io.memorystreamer.broker.internal.api.RequestContext;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import org.apache.kafka.common.message.ListPartitionReassignmentsResponseData;
import org.apache.kafka.common.protocol.ApiMessage;
import org.apache.kafka.common.protocol.Errors;

/**
 * ListPartitionReassignments ({@code kafka-reassign-partitions --verify/--list}): a single node
 * never has a reassignment in progress, so the list is empty (as Kafka, partitions asked for
 * without an ongoing reassignment are simply not listed).
 */
public final class ListPartitionReassignmentsHandler implements ApiHandler {

    @Override
    public CompletionStage<ApiResponse> handle(RequestContext context, ApiMessage request) {
        return CompletableFuture.completedFuture(ApiResponse.of(new ListPartitionReassignmentsResponseData()
                .setThrottleTimeMs(0)
                .setErrorCode(Errors.NONE.code())
                .setErrorMessage(null)));
    }
}
