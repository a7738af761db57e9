package io.memorystreamer.broker.internal.produce;

import io.memorystreamer.broker.internal.api.ApiHandler;
import io.memorystreamer.broker.internal.api.ApiResponse;
import io.memorystreamer.broker.internal.api.RequestContext;
import io.memorystreamer.spi.state.StateException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.function.Supplier;
import org.apache.kafka.common.message.InitProducerIdRequestData;
import org.apache.kafka.common.message.InitProducerIdResponseData;
import org.apache.kafka.common.protocol.ApiMessage;
import org.apache.kafka.common.protocol.Errors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * InitProducerId. For idempotent producers a fresh producer id with epoch 0 on every call (as
 * Kafka does when there is no transactional id, even if the request names a previous id); a
 * request with a transactional id goes to the transaction coordinator.
 */
final class InitProducerIdHandler implements ApiHandler {

    private static final Logger LOG = LoggerFactory.getLogger(InitProducerIdHandler.class);

    private final ProducerIdAllocator allocator;
    private final Supplier<TransactionCoordination> coordination;

    InitProducerIdHandler(ProducerIdAllocator allocator, Supplier<TransactionCoordination> coordination) {
        this.allocator = allocator;
        this.coordination = coordination;
    }

    @Override
    public CompletionStage<ApiResponse> handle(RequestContext context, ApiMessage message) {
        InitProducerIdRequestData request = (InitProducerIdRequestData) message;
        InitProducerIdResponseData response = new InitProducerIdResponseData().setProducerId(-1L).setProducerEpoch((short) -1);
        if (request.transactionalId() != null) {
            response = coordination.get().initTransactionalProducer(request, context.apiVersion());
        } else {
            try {
                response.setProducerId(allocator.allocate()).setProducerEpoch((short) 0);
            } catch (StateException | IllegalStateException e) {
                // A retriable error: the producer asks again.
                LOG.warn("Cannot reserve producer ids: {}", e.getMessage());
                response.setErrorCode(Errors.COORDINATOR_LOAD_IN_PROGRESS.code());
            }
        }
        return CompletableFuture.completedFuture(ApiResponse.of(response));
    }
}
