package io.memorystreamer.broker.internal.txn;

import io.memorystreamer.broker.internal.api.ApiHandler;
import io.memorystreamer.broker.internal.api.ApiResponse;
import io.memorystreamer.broker.internal.api.RequestContext;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import org.apache.kafka.common.message.EndTxnRequestData;
import org.apache.kafka.common.message.EndTxnResponseData;
import org.apache.kafka.common.protocol.ApiMessage;
import org.apache.kafka.common.protocol.Errors;

/**
 * EndTxn: commits or aborts the producer's open transaction. The coordinator runs transactions
 * version 1 (no feature is advertised), so the epoch does not change at the end of a transaction,
 * whatever the request version; v5 responses carry the unchanged producer id and epoch.
 */
final class EndTxnHandler implements ApiHandler {

    private static final short PRODUCER_FENCED_VERSION = 2;

    private final TransactionCoordinator coordinator;

    EndTxnHandler(TransactionCoordinator coordinator) {
        this.coordinator = coordinator;
    }

    @Override
    public CompletionStage<ApiResponse> handle(RequestContext context, ApiMessage message) {
        EndTxnRequestData request = (EndTxnRequestData) message;
        EndTxnResponseData response = new EndTxnResponseData().setThrottleTimeMs(0).setProducerId(-1L)
                .setProducerEpoch((short) -1);
        if (request.transactionalId() == null || request.transactionalId().isEmpty()) {
            response.setErrorCode(Errors.INVALID_REQUEST.code());
        } else {
            TransactionCoordinator.EndResult result = coordinator.endTransaction(request.transactionalId(),
                    request.producerId(), request.producerEpoch(), request.committed());
            response.setErrorCode(TransactionCoordinator.fenced(result.error(), context.apiVersion(),
                    PRODUCER_FENCED_VERSION).code());
            if (result.error() == Errors.NONE) {
                response.setProducerId(result.producerId()).setProducerEpoch(result.producerEpoch());
            }
        }
        return CompletableFuture.completedFuture(ApiResponse.of(response));
    }
}
