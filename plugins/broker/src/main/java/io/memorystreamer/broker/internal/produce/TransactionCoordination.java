package io.memorystreamer.broker.internal.produce;

import io.memorystreamer.spi.storage.PartitionId;
import org.apache.kafka.common.message.InitProducerIdRequestData;
import org.apache.kafka.common.message.InitProducerIdResponseData;
import org.apache.kafka.common.protocol.Errors;

/**
 * What the data plane asks the transaction coordinator.
 *
 * <p>Lock order: {@link #verifyTransactionalAppend} is called under a partition's write lock, so
 * an implementation must never wait for a partition write (for example write transaction
 * markers) while holding a lock this method takes. Implementations are thread-safe.
 */
public interface TransactionCoordination {

    /** No coordinator: transactional producers are refused. */
    TransactionCoordination NONE = new TransactionCoordination() {
        @Override
        public Errors verifyTransactionalAppend(String transactionalId, long producerId, short producerEpoch,
                PartitionId partition) {
            return Errors.INVALID_TXN_STATE;
        }

        @Override
        public InitProducerIdResponseData initTransactionalProducer(InitProducerIdRequestData request, short version) {
            return new InitProducerIdResponseData()
                    .setErrorCode(Errors.UNSUPPORTED_VERSION.code())
                    .setProducerId(-1L)
                    .setProducerEpoch((short) -1);
        }
    };

    /**
     * Server-side transaction verification (KIP-890 part 1): whether a transactional batch of
     * this producer may be appended to the partition now, that is whether the partition is part
     * of the producer's open transaction at this very epoch.
     *
     * @return {@link Errors#NONE} to append, else the produce error to answer with
     *     ({@code INVALID_TXN_STATE}, {@code INVALID_PRODUCER_EPOCH},
     *     {@code INVALID_PRODUCER_ID_MAPPING}, or the retriable {@code NOT_ENOUGH_REPLICAS} while
     *     the transaction is being completed)
     */
    Errors verifyTransactionalAppend(String transactionalId, long producerId, short producerEpoch,
            PartitionId partition);

    /** InitProducerId for a request that names a transactional id. */
    InitProducerIdResponseData initTransactionalProducer(InitProducerIdRequestData request, short version);
}
