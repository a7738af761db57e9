package io.memorystreamer.broker.internal.produce;

import io.memorystreamer.broker.internal.api.ApiHandler;
import io.memorystreamer.broker.internal.api.ApiResponse;
import io.memorystreamer.broker.internal.api.RequestContext;
import io.memorystreamer.broker.internal.topic.TopicCatalog;
import io.memorystreamer.broker.internal.topic.TopicInfo;
import io.memorystreamer.spi.storage.PartitionLog;
import io.memorystreamer.spi.storage.StorageException;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import org.apache.kafka.common.message.DescribeProducersRequestData;
import org.apache.kafka.common.message.DescribeProducersResponseData;
import org.apache.kafka.common.protocol.ApiMessage;
import org.apache.kafka.common.protocol.Errors;

/**
 * DescribeProducers (used by {@code kafka-transactions describe-producers}): per partition the
 * producers with state there, with epoch, last sequence and timestamp, and the start offset of
 * their open transaction.
 */
final class DescribeProducersHandler implements ApiHandler {

    private final TopicCatalog catalog;
    private final PartitionWriters writers;

    DescribeProducersHandler(TopicCatalog catalog, PartitionWriters writers) {
        this.catalog = catalog;
        this.writers = writers;
    }

    @Override
    public CompletionStage<ApiResponse> handle(RequestContext context, ApiMessage message) {
        DescribeProducersRequestData request = (DescribeProducersRequestData) message;
        DescribeProducersResponseData response = new DescribeProducersResponseData().setThrottleTimeMs(0);
        for (DescribeProducersRequestData.TopicRequest topic : request.topics()) {
            DescribeProducersResponseData.TopicResponse topicResponse =
                    new DescribeProducersResponseData.TopicResponse().setName(topic.name());
            Optional<TopicInfo> info = catalog.topic(topic.name());
            for (int partition : topic.partitionIndexes()) {
                topicResponse.partitions().add(describe(info, topic.name(), partition));
            }
            response.topics().add(topicResponse);
        }
        return CompletableFuture.completedFuture(ApiResponse.of(response));
    }

    private DescribeProducersResponseData.PartitionResponse describe(Optional<TopicInfo> topic, String name,
            int partition) {
        DescribeProducersResponseData.PartitionResponse response =
                new DescribeProducersResponseData.PartitionResponse().setPartitionIndex(partition);
        Optional<PartitionLog> log = catalog.log(name, partition);
        if (topic.isEmpty() || log.isEmpty()) {
            return response.setErrorCode(Errors.UNKNOWN_TOPIC_OR_PARTITION.code());
        }
        try {
            for (ProducerView producer : writers.writerFor(topic.get(), partition, log.get()).producers()) {
                response.activeProducers().add(new DescribeProducersResponseData.ProducerState()
                        .setProducerId(producer.producerId())
                        .setProducerEpoch(producer.epoch())
                        .setLastSequence(producer.lastSequence())
                        .setLastTimestamp(producer.lastTimestamp())
                        .setCoordinatorEpoch(producer.coordinatorEpoch())
                        .setCurrentTxnStartOffset(producer.currentTxnStartOffset()));
            }
            return response.setErrorCode(Errors.NONE.code());
        } catch (StorageException e) {
            return response.setErrorCode(Errors.KAFKA_STORAGE_ERROR.code()).setErrorMessage(e.getMessage());
        }
    }
}
