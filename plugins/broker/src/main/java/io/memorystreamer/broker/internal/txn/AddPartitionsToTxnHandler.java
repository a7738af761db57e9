package io.memorystreamer.broker.internal.txn;

import io.memorystreamer.broker.internal.api.ApiHandler;
import io.memorystreamer.broker.internal.api.ApiResponse;
import io.memorystreamer.broker.internal.api.RequestContext;
import io.memorystreamer.broker.internal.topic.TopicCatalog;
import io.memorystreamer.broker.internal.topic.TopicInfo;
import io.memorystreamer.spi.storage.PartitionId;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.message.AddPartitionsToTxnRequestData;
import org.apache.kafka.common.message.AddPartitionsToTxnRequestData.AddPartitionsToTxnTopic;
import org.apache.kafka.common.message.AddPartitionsToTxnRequestData.AddPartitionsToTxnTopicCollection;
import org.apache.kafka.common.message.AddPartitionsToTxnRequestData.AddPartitionsToTxnTransaction;
import org.apache.kafka.common.message.AddPartitionsToTxnResponseData;
import org.apache.kafka.common.message.AddPartitionsToTxnResponseData.AddPartitionsToTxnResult;
import org.apache.kafka.common.protocol.ApiMessage;
import org.apache.kafka.common.protocol.Errors;
import org.apache.kafka.common.requests.AddPartitionsToTxnResponse;

/**
 * AddPartitionsToTxn. Versions 0-3 are the producer's: one transaction, its partitions added.
 * Versions 4+ batch several transactions and may only verify that partitions are in them (the
 * form brokers use for KIP-890 verification); here verification normally happens inside the
 * produce path, but tools and other brokers may ask. If any partition does not exist, nothing is
 * added: those get {@code UNKNOWN_TOPIC_OR_PARTITION}, the others {@code OPERATION_NOT_ATTEMPTED}.
 */
final class AddPartitionsToTxnHandler implements ApiHandler {

    private static final short BATCHED_VERSION = 4;
    private static final short PRODUCER_FENCED_VERSION = 2;
    private static final short TRANSACTION_ABORTABLE_VERSION = 5;

    private final TransactionCoordinator coordinator;
    private final TopicCatalog catalog;

    AddPartitionsToTxnHandler(TransactionCoordinator coordinator, TopicCatalog catalog) {
        this.coordinator = coordinator;
        this.catalog = catalog;
    }

    @Override
    public CompletionStage<ApiResponse> handle(RequestContext context, ApiMessage message) {
        AddPartitionsToTxnRequestData request = (AddPartitionsToTxnRequestData) message;
        short version = context.apiVersion();
        AddPartitionsToTxnResponseData response = new AddPartitionsToTxnResponseData().setThrottleTimeMs(0);
        if (version < BATCHED_VERSION) {
            AddPartitionsToTxnResult result = handle(request.v3AndBelowTransactionalId(),
                    request.v3AndBelowProducerId(), request.v3AndBelowProducerEpoch(), false,
                    request.v3AndBelowTopics(), version);
            response.setResultsByTopicV3AndBelow(result.topicResults());
        } else {
            response.setErrorCode(Errors.NONE.code());
            for (AddPartitionsToTxnTransaction transaction : request.transactions()) {
                response.resultsByTransaction().add(handle(transaction.transactionalId(), transaction.producerId(),
                        transaction.producerEpoch(), transaction.verifyOnly(), transaction.topics(), version));
            }
        }
        return CompletableFuture.completedFuture(ApiResponse.of(response));
    }

    private AddPartitionsToTxnResult handle(String transactionalId, long producerId, short epoch, boolean verifyOnly,
            AddPartitionsToTxnTopicCollection topics, short version) {
        String resultId = version < BATCHED_VERSION ? AddPartitionsToTxnResponse.V3_AND_BELOW_TXN_ID : transactionalId;
        List<PartitionId> partitions = new ArrayList<>();
        Map<TopicPartition, Errors> unknown = new LinkedHashMap<>();
        for (AddPartitionsToTxnTopic topic : topics) {
            Optional<TopicInfo> info = catalog.topic(topic.name());
            for (int partition : topic.partitions()) {
                if (info.isPresent() && partition >= 0 && partition < info.get().partitionCount()) {
                    partitions.add(new PartitionId(topic.name(), partition));
                } else {
                    unknown.put(new TopicPartition(topic.name(), partition), Errors.UNKNOWN_TOPIC_OR_PARTITION);
                }
            }
        }
        Map<TopicPartition, Errors> errors = new LinkedHashMap<>();
        if (transactionalId == null || transactionalId.isEmpty()) {
            partitions.forEach(p -> errors.put(topicPartition(p), Errors.INVALID_REQUEST));
            errors.putAll(unknown);
        } else if (!unknown.isEmpty()) {
            partitions.forEach(p -> errors.put(topicPartition(p), Errors.OPERATION_NOT_ATTEMPTED));
            errors.putAll(unknown);
        } else if (verifyOnly) {
            Errors notInTransaction = version >= TRANSACTION_ABORTABLE_VERSION
                    ? Errors.TRANSACTION_ABORTABLE : Errors.INVALID_TXN_STATE;
            coordinator.verifyPartitions(transactionalId, producerId, epoch, partitions, notInTransaction)
                    .forEach((p, error) -> errors.put(topicPartition(p), error));
        } else {
            Errors error = TransactionCoordinator.fenced(
                    coordinator.addPartitions(transactionalId, producerId, epoch, partitions), version,
                    PRODUCER_FENCED_VERSION);
            partitions.forEach(p -> errors.put(topicPartition(p), error));
        }
        return AddPartitionsToTxnResponse.resultForTransaction(resultId, errors);
    }

    private static TopicPartition topicPartition(PartitionId partition) {
        return new TopicPartition(partition.topic(), partition.partition());
    }
}
