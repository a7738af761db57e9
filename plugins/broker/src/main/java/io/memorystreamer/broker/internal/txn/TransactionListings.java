package io.memorystreamer.broker.internal.txn;

import io.memorystreamer.broker.internal.api.ApiHandler;
import io.memorystreamer.broker.internal.api.ApiResponse;
import io.memorystreamer.spi.storage.PartitionId;
import java.util.HashSet;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.function.LongSupplier;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;
import org.apache.kafka.common.message.DescribeTransactionsRequestData;
import org.apache.kafka.common.message.DescribeTransactionsResponseData;
import org.apache.kafka.common.message.ListTransactionsRequestData;
import org.apache.kafka.common.message.ListTransactionsResponseData;
import org.apache.kafka.common.protocol.ApiMessage;
import org.apache.kafka.common.protocol.Errors;

/**
 * ListTransactions (v0-v2: filters by state, producer id, duration and transactional id pattern)
 * and DescribeTransactions, as {@code kafka-transactions list/describe} use them.
 */
final class TransactionListings {

    /** A Kafka state name this coordinator never enters, still a valid filter. */
    private static final String PREPARE_EPOCH_FENCE = "PrepareEpochFence";

    private final TransactionCoordinator coordinator;
    private final LongSupplier clock;

    TransactionListings(TransactionCoordinator coordinator, LongSupplier clock) {
        this.coordinator = coordinator;
        this.clock = clock;
    }

    ApiHandler listHandler() {
        return (context, message) -> respond(list((ListTransactionsRequestData) message));
    }

    ApiHandler describeHandler() {
        return (context, message) -> respond(describe((DescribeTransactionsRequestData) message));
    }

    private static CompletionStage<ApiResponse> respond(ApiMessage body) {
        return CompletableFuture.completedFuture(ApiResponse.of(body));
    }

    ListTransactionsResponseData list(ListTransactionsRequestData request) {
        ListTransactionsResponseData response = new ListTransactionsResponseData().setThrottleTimeMs(0)
                .setErrorCode(Errors.NONE.code());
        Set<TxnState> states = new HashSet<>();
        boolean stateFilter = !request.stateFilters().isEmpty();
        for (String name : request.stateFilters()) {
            Optional<TxnState> state = TxnState.ofKafkaName(name);
            if (state.isPresent()) {
                states.add(state.get());
            } else if (!PREPARE_EPOCH_FENCE.equals(name)) {
                response.unknownStateFilters().add(name);
            }
        }
        Set<Long> producerIds = new HashSet<>(request.producerIdFilters());
        Pattern pattern;
        try {
            String regex = request.transactionalIdPattern();
            pattern = regex == null || regex.isEmpty() ? null : Pattern.compile(regex);
        } catch (PatternSyntaxException e) {
            return response.setErrorCode(Errors.INVALID_REGULAR_EXPRESSION.code());
        }
        long now = clock.getAsLong();
        for (TransactionRecord record : coordinator.records()) {
            boolean matches = (!stateFilter || states.contains(record.state()))
                    && (producerIds.isEmpty() || producerIds.contains(record.producerId()))
                    && (request.durationFilter() < 0
                            || (record.startTimeMs() >= 0 && now - record.startTimeMs() > request.durationFilter()))
                    && (pattern == null || pattern.matcher(record.transactionalId()).matches());
            if (matches) {
                response.transactionStates().add(new ListTransactionsResponseData.TransactionState()
                        .setTransactionalId(record.transactionalId())
                        .setProducerId(record.producerId())
                        .setTransactionState(record.state().kafkaName()));
            }
        }
        return response;
    }

    DescribeTransactionsResponseData describe(DescribeTransactionsRequestData request) {
        DescribeTransactionsResponseData response = new DescribeTransactionsResponseData().setThrottleTimeMs(0);
        for (String transactionalId : request.transactionalIds()) {
            DescribeTransactionsResponseData.TransactionState state =
                    new DescribeTransactionsResponseData.TransactionState().setTransactionalId(transactionalId);
            Optional<TransactionRecord> record = transactionalId == null || transactionalId.isEmpty()
                    ? Optional.empty() : coordinator.record(transactionalId);
            if (transactionalId == null || transactionalId.isEmpty()) {
                state.setErrorCode(Errors.INVALID_REQUEST.code());
            } else if (record.isEmpty() || record.get().state() == TxnState.DEAD) {
                state.setErrorCode(Errors.TRANSACTIONAL_ID_NOT_FOUND.code());
            } else {
                TransactionRecord found = record.get();
                state.setErrorCode(Errors.NONE.code())
                        .setTransactionState(found.state().kafkaName())
                        .setTransactionTimeoutMs(found.timeoutMs())
                        .setTransactionStartTimeMs(found.startTimeMs())
                        .setProducerId(found.producerId())
                        .setProducerEpoch(found.producerEpoch());
                for (PartitionId partition : found.partitions()) {
                    DescribeTransactionsResponseData.TopicData topic = state.topics().find(partition.topic());
                    if (topic == null) {
                        topic = new DescribeTransactionsResponseData.TopicData().setTopic(partition.topic());
                        state.topics().add(topic);
                    }
                    topic.partitions().add(partition.partition());
                }
            }
            response.transactionStates().add(state);
        }
        return response;
    }
}
