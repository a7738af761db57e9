package io.memorystreamer.broker.internal.txn;

import io.memorystreamer.broker.internal.api.ApiHandler;
import io.memorystreamer.broker.internal.api.ApiResponse;
import io.memorystreamer.broker.internal.api.RequestContext;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import org.apache.kafka.common.message.AddOffsetsToTxnRequestData;
import org.apache.kafka.common.message.AddOffsetsToTxnResponseData;
import org.apache.kafka.common.protocol.ApiMessage;
import org.apache.kafka.common.protocol.Errors;

/**
 * AddOffsetsToTxn: the open transaction will commit offsets of a consumer group
 * ({@code sendOffsetsToTransaction}); TxnOffsetCommit then sends them.
 */
final class AddOffsetsToTxnHandler implements ApiHandler {

    private static final short PRODUCER_FENCED_VERSION = 2;

    private final TransactionCoordinator coordinator;

    AddOffsetsToTxnHandler(TransactionCoordinator coordinator) {
        this.coordinator = coordinator;
    }

    @Override
    public CompletionStage<ApiResponse> handle(RequestContext context, ApiMessage message) {
        AddOffsetsToTxnRequestData request = (AddOffsetsToTxnRequestData) message;
        Errors error;
        if (request.transactionalId() == null || request.transactionalId().isEmpty()) {
            error = Errors.INVALID_REQUEST;
        } else if (request.groupId() == null || request.groupId().isEmpty()) {
            error = Errors.INVALID_GROUP_ID;
        } else {
            error = TransactionCoordinator.fenced(coordinator.addOffsets(request.transactionalId(),
                    request.producerId(), request.producerEpoch(), request.groupId()), context.apiVersion(),
                    PRODUCER_FENCED_VERSION);
        }
        return CompletableFuture.completedFuture(ApiResponse.of(new AddOffsetsToTxnResponseData()
                .setThrottleTimeMs(0)
                .setErrorCode(error.code())));
    }
}
