package io.memorystreamer.broker.internal.produce;

import io.memorystreamer.broker.internal.api.ApiHandler;
import io.memorystreamer.broker.internal.api.ApiResponse;
import io.memorystreamer.broker.internal.api.RequestContext;
import io.memorystreamer.broker.internal.fetch.DelayedFetches;
import io.memorystreamer.broker.internal.topic.EffectiveTopicConfig;
import io.memorystreamer.broker.internal.topic.TopicCatalog;
import io.memorystreamer.broker.internal.topic.TopicInfo;
import io.memorystreamer.spi.storage.CorruptBatchException;
import io.memorystreamer.spi.storage.PartitionLog;
import io.memorystreamer.spi.storage.StorageException;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import org.apache.kafka.common.message.ProduceRequestData;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.message.ProduceResponseData;
import org.apache.kafka.common.message.ProduceResponseData.BatchIndexAndErrorMessage;
import org.apache.kafka.common.protocol.ApiMessage;
import org.apache.kafka.common.protocol.Errors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Produce: validates each partition's batch, appends it under the partition's lock, advances the
 * high watermark and wakes fetches waiting for the partition. On a single node acks=-1 is
 * acknowledged like acks=1, once the append returned (which applies the log's flush policy).
 * Topics are named (v3-v12) or identified by topic id (v13+). A transactional batch needs the
 * request's transactional id and is appended only if its partition is part of the producer's
 * open transaction (see {@link TransactionCoordination}).
 */
final class ProduceHandler implements ApiHandler {

    private static final Logger LOG = LoggerFactory.getLogger(ProduceHandler.class);
    private static final short FIRST_TOPIC_ID_VERSION = 13;
    /** Produce v8 added per-record errors (KIP-467). */
    private static final short FIRST_RECORD_ERRORS_VERSION = 8;

    private final TopicCatalog catalog;
    private final PartitionWriters writers;
    private final DelayedFetches delayedFetches;

    ProduceHandler(TopicCatalog catalog, PartitionWriters writers, DelayedFetches delayedFetches) {
        this.catalog = catalog;
        this.writers = writers;
        this.delayedFetches = delayedFetches;
    }

    /** A throw here reaches the dispatcher, which answers with the API's error response. */
    @Override
    public CompletionStage<ApiResponse> handle(RequestContext context, ApiMessage message) {
        ProduceRequestData request = (ProduceRequestData) message;
        short acks = request.acks();
        boolean validAcks = acks == 0 || acks == 1 || acks == -1;
        boolean byId = context.apiVersion() >= FIRST_TOPIC_ID_VERSION;
        ProduceResponseData response = new ProduceResponseData();
        for (ProduceRequestData.TopicProduceData topicData : request.topicData()) {
            ProduceResponseData.TopicProduceResponse topicResponse = new ProduceResponseData.TopicProduceResponse()
                    .setName(topicData.name())
                    .setTopicId(topicData.topicId());
            Optional<TopicInfo> topic = byId ? catalog.topic(topicData.topicId()) : catalog.topic(topicData.name());
            for (ProduceRequestData.PartitionProduceData partitionData : topicData.partitionData()) {
                AppendOutcome outcome = validAcks
                        ? produce(topic, byId, partitionData, context.apiVersion(), request.transactionalId())
                        : AppendOutcome.failed(Errors.INVALID_REQUIRED_ACKS, "acks must be -1, 0 or 1, got " + acks, -1L);
                topicResponse.partitionResponses().add(toResponse(partitionData.index(), outcome, context.apiVersion()));
            }
            response.responses().add(topicResponse);
        }
        return CompletableFuture.completedFuture(acks == 0 ? ApiResponse.none() : ApiResponse.of(response));
    }

    private AppendOutcome produce(Optional<TopicInfo> topic, boolean byId,
            ProduceRequestData.PartitionProduceData partitionData, short version, String transactionalId) {
        if (topic.isEmpty()) {
            return AppendOutcome.failed(byId ? Errors.UNKNOWN_TOPIC_ID : Errors.UNKNOWN_TOPIC_OR_PARTITION, null, -1L);
        }
        String name = topic.get().name();
        int index = partitionData.index();
        Optional<PartitionLog> log = catalog.log(name, index);
        if (log.isEmpty()) {
            return AppendOutcome.failed(Errors.UNKNOWN_TOPIC_OR_PARTITION, null, -1L);
        }
        try {
            EffectiveTopicConfig config = catalog.config(name);
            BatchValidator.Result validation = BatchValidator.validate(partitionData.records(), config,
                    new TopicPartition(name, index), version);
            if (validation instanceof BatchValidator.Invalid(Errors error, String reason, List<BatchIndexAndErrorMessage> records)) {
                LOG.debug("Refused produced batch: partition={}-{}, error={}, reason={}", name, index, error, reason);
                return AppendOutcome.failed(error, reason, log.get().logStartOffset(), records);
            }
            BatchValidator.Valid valid = (BatchValidator.Valid) validation;
            if (valid.header().isTransactional() && transactionalId == null) {
                // What Kafka answers: only a named transactional id can be authorized to write transactionally.
                return AppendOutcome.failed(Errors.TRANSACTIONAL_ID_AUTHORIZATION_FAILED,
                        "a transactional batch needs the request's transactional id", log.get().logStartOffset());
            }
            PartitionWriter writer = writers.writerFor(topic.get(), index, log.get());
            AppendOutcome outcome = writer.append(valid, config.logAppendTime(), transactionalId);
            if (outcome.appendedBytes() > 0) {
                delayedFetches.onAppend(writer.partition(), outcome.appendedBytes());
            }
            return outcome;
        } catch (CorruptBatchException e) {
            return AppendOutcome.failed(Errors.CORRUPT_MESSAGE, e.getMessage(), -1L);
        } catch (StorageException e) {
            LOG.warn("Append failed: partition={}-{}, reason={}", name, index, e.getMessage());
            return AppendOutcome.failed(Errors.KAFKA_STORAGE_ERROR, e.getMessage(), -1L);
        }
    }

    private static ProduceResponseData.PartitionProduceResponse toResponse(int index, AppendOutcome outcome,
            short version) {
        ProduceResponseData.PartitionProduceResponse response = new ProduceResponseData.PartitionProduceResponse()
                .setIndex(index)
                .setErrorCode(outcome.error().code())
                .setErrorMessage(outcome.message())
                .setBaseOffset(outcome.baseOffset())
                .setLogAppendTimeMs(outcome.logAppendTimeMs())
                .setLogStartOffset(outcome.logStartOffset());
        if (version >= FIRST_RECORD_ERRORS_VERSION) {
            response.setRecordErrors(outcome.recordErrors());
        }
        return response;
    }
}
