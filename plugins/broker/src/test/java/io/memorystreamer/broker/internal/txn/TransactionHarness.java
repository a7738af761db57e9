package io.memorystreamer.broker.internal.txn;

import io.memorystreamer.broker.internal.BrokerSettings;
import io.memorystreamer.broker.internal.api.ApiHandler;
import io.memorystreamer.broker.internal.api.ApiResponse;
import io.memorystreamer.broker.internal.fetch.TestCatalog;
import io.memorystreamer.broker.internal.fetch.Wire;
import io.memorystreamer.broker.internal.group.GroupCoordinatorApis;
import io.memorystreamer.broker.internal.produce.DataPlaneHarness;
import io.memorystreamer.broker.internal.topic.TopicInfo;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import org.apache.kafka.common.IsolationLevel;
import org.apache.kafka.common.compress.Compression;
import org.apache.kafka.common.message.AddOffsetsToTxnRequestData;
import org.apache.kafka.common.message.AddOffsetsToTxnResponseData;
import org.apache.kafka.common.message.AddPartitionsToTxnRequestData;
import org.apache.kafka.common.message.AddPartitionsToTxnResponseData;
import org.apache.kafka.common.message.EndTxnRequestData;
import org.apache.kafka.common.message.EndTxnResponseData;
import org.apache.kafka.common.message.FetchResponseData;
import org.apache.kafka.common.message.InitProducerIdRequestData;
import org.apache.kafka.common.message.InitProducerIdResponseData;
import org.apache.kafka.common.message.ProduceRequestData;
import org.apache.kafka.common.message.ProduceResponseData;
import org.apache.kafka.common.protocol.ApiKeys;
import org.apache.kafka.common.protocol.ApiMessage;
import org.apache.kafka.common.record.TimestampType;
import org.apache.kafka.common.record.internal.MemoryRecords;
import org.apache.kafka.common.record.internal.MemoryRecordsBuilder;
import org.apache.kafka.common.record.internal.Record;
import org.apache.kafka.common.record.internal.RecordBatch;

/**
 * The data plane, the transaction coordinator and the group coordinator over real logs and a real
 * state store, as the broker wires them, driven with requests that go through the wire encoding
 * at the version a test names. The clock is the data plane harness's, which tests move.
 */
final class TransactionHarness implements AutoCloseable {

    static final int TIMEOUT_MS = 60_000;
    static final int MAX_TIMEOUT_MS = 900_000;
    static final long ID_EXPIRATION_MS = 7L * 24 * 3600 * 1000;

    final DataPlaneHarness data;
    private final ScheduledExecutorService scheduler = Executors.newSingleThreadScheduledExecutor();
    private final Map<String, String> config;
    private TransactionApis transactions;
    private GroupCoordinatorApis groups;

    TransactionHarness(Path directory) {
        this(directory, Map.of());
    }

    TransactionHarness(Path directory, Map<String, String> overrides) {
        this.data = new DataPlaneHarness(directory);
        Map<String, String> settings = new HashMap<>(Map.of(
                TransactionSettings.MAX_TIMEOUT_MS, String.valueOf(MAX_TIMEOUT_MS),
                // Besides completing prepared transactions at start, the timers run when a test calls runTimers().
                TransactionSettings.ABORT_INTERVAL_MS, "3600000",
                TransactionSettings.REMOVE_INTERVAL_MS, "3600000",
                "group.initial.rebalance.delay.ms", "0"));
        settings.putAll(overrides);
        this.config = Map.copyOf(settings);
        start();
    }

    TestCatalog catalog() {
        return data.catalog;
    }

    TransactionApis transactions() {
        return transactions;
    }

    GroupCoordinatorApis groups() {
        return groups;
    }

    void advanceClock(long ms) {
        data.clock.addAndGet(ms);
    }

    /** Runs the coordinator's periodic work now. */
    void runTimers() {
        transactions.runTimers();
    }

    /** Stops the coordinators and the data plane (storing their state) and starts them again. */
    void restart() {
        stop();
        data.restart();
        start();
    }

    /** Also closes and reopens the logs and the state store. */
    void restartEverything() {
        stop();
        data.restartEverything();
        start();
    }

    // ---- requests --------------------------------------------------------------------------------

    InitProducerIdResponseData initProducerId(String transactionalId, int timeoutMs, long producerId, short epoch,
            short version) {
        InitProducerIdRequestData request = new InitProducerIdRequestData()
                .setTransactionalId(transactionalId)
                .setTransactionTimeoutMs(timeoutMs);
        if (version >= 3) {
            request.setProducerId(producerId).setProducerEpoch(epoch);
        }
        return call(ApiKeys.INIT_PRODUCER_ID, request, version, InitProducerIdRequestData::new,
                InitProducerIdResponseData::new);
    }

    InitProducerIdResponseData initProducerId(String transactionalId) {
        return initProducerId(transactionalId, TIMEOUT_MS, -1L, (short) -1, ApiKeys.INIT_PRODUCER_ID.latestVersion());
    }

    /** AddPartitionsToTxn as producers send it (v3); the error of the first partition. */
    short addPartitions(String transactionalId, long producerId, short epoch, TopicInfo topic, int... partitions) {
        return addPartitions((short) 3, transactionalId, producerId, epoch, topic, partitions);
    }

    short addPartitions(short version, String transactionalId, long producerId, short epoch, TopicInfo topic,
            int... partitions) {
        AddPartitionsToTxnRequestData.AddPartitionsToTxnTopicCollection topics = topics(topic.name(), partitions);
        AddPartitionsToTxnRequestData request = new AddPartitionsToTxnRequestData()
                .setV3AndBelowTransactionalId(transactionalId)
                .setV3AndBelowProducerId(producerId)
                .setV3AndBelowProducerEpoch(epoch)
                .setV3AndBelowTopics(topics);
        AddPartitionsToTxnResponseData response = call(ApiKeys.ADD_PARTITIONS_TO_TXN, request, version,
                AddPartitionsToTxnRequestData::new, AddPartitionsToTxnResponseData::new);
        return response.resultsByTopicV3AndBelow().iterator().next().resultsByPartition().iterator().next()
                .partitionErrorCode();
    }

    static AddPartitionsToTxnRequestData.AddPartitionsToTxnTopicCollection topics(String topic, int... partitions) {
        List<Integer> indexes = new ArrayList<>();
        for (int partition : partitions) {
            indexes.add(partition);
        }
        AddPartitionsToTxnRequestData.AddPartitionsToTxnTopicCollection topics =
                new AddPartitionsToTxnRequestData.AddPartitionsToTxnTopicCollection();
        topics.add(new AddPartitionsToTxnRequestData.AddPartitionsToTxnTopic().setName(topic).setPartitions(indexes));
        return topics;
    }

    AddPartitionsToTxnResponseData addPartitionsBatched(short version, AddPartitionsToTxnRequestData request) {
        return call(ApiKeys.ADD_PARTITIONS_TO_TXN, request, version, AddPartitionsToTxnRequestData::new,
                AddPartitionsToTxnResponseData::new);
    }

    short addOffsets(String transactionalId, long producerId, short epoch, String groupId) {
        AddOffsetsToTxnRequestData request = new AddOffsetsToTxnRequestData()
                .setTransactionalId(transactionalId)
                .setProducerId(producerId)
                .setProducerEpoch(epoch)
                .setGroupId(groupId);
        short version = ApiKeys.ADD_OFFSETS_TO_TXN.latestVersion();
        return call(ApiKeys.ADD_OFFSETS_TO_TXN, request, version, AddOffsetsToTxnRequestData::new,
                AddOffsetsToTxnResponseData::new).errorCode();
    }

    short endTxn(String transactionalId, long producerId, short epoch, boolean commit) {
        return endTxn(transactionalId, producerId, epoch, commit, (short) 4);
    }

    short endTxn(String transactionalId, long producerId, short epoch, boolean commit, short version) {
        EndTxnRequestData request = new EndTxnRequestData()
                .setTransactionalId(transactionalId)
                .setProducerId(producerId)
                .setProducerEpoch(epoch)
                .setCommitted(commit);
        return call(ApiKeys.END_TXN, request, version, EndTxnRequestData::new, EndTxnResponseData::new).errorCode();
    }

    /** A transactional batch of one producer, as a transactional producer sends it. */
    static MemoryRecords transactionalBatch(long producerId, short epoch, int baseSequence, String... values) {
        MemoryRecordsBuilder builder = MemoryRecords.builder(ByteBuffer.allocate(1024), RecordBatch.CURRENT_MAGIC_VALUE,
                Compression.NONE, TimestampType.CREATE_TIME, 0L, RecordBatch.NO_TIMESTAMP, producerId, epoch,
                baseSequence, true, RecordBatch.NO_PARTITION_LEADER_EPOCH);
        for (String value : values) {
            builder.append(1_000L, null, value.getBytes(StandardCharsets.UTF_8));
        }
        return builder.build();
    }

    ProduceResponseData.PartitionProduceResponse produce(String transactionalId, TopicInfo topic, int partition,
            MemoryRecords records) {
        short version = 11;
        ProduceRequestData request = DataPlaneHarness.produceRequest(topic, partition, records, (short) -1, version)
                .setTransactionalId(transactionalId);
        return data.produce(request, version).responses().iterator().next().partitionResponses().getFirst();
    }

    FetchResponseData.PartitionData fetch(TopicInfo topic, int partition, long offset, IsolationLevel isolation) {
        short version = DataPlaneHarness.FETCH_LATEST;
        return data.fetch(DataPlaneHarness.fetchRequest(version, 0, 1, 1 << 20, isolation,
                List.of(new DataPlaneHarness.FetchTarget(topic, partition, offset, 1 << 20))), version).join()
                .responses().getFirst().partitions().getFirst();
    }

    /** The values of the data records (not control records) a fetch returned, in order. */
    static List<String> values(FetchResponseData.PartitionData partition) {
        List<String> values = new ArrayList<>();
        for (RecordBatch batch : ((MemoryRecords) partition.records()).batches()) {
            if (batch.isControlBatch()) {
                continue;
            }
            for (Record record : batch) {
                values.add(StandardCharsets.UTF_8.decode(record.value()).toString());
            }
        }
        return values;
    }

    /** Sends a request to the handler the broker would use, both ways through the wire encoding. */
    <Q extends ApiMessage, R extends ApiMessage> R call(ApiKeys api, Q request, short version, Supplier<Q> emptyRequest,
            Supplier<R> emptyResponse) {
        ApiHandler handler = transactions.handlers().get(api);
        if (handler == null) {
            handler = groups.handlers().get(api);
        }
        if (handler == null) {
            handler = data.apis().handlers().get(api);
        }
        ApiResponse response = handler.handle(Wire.context(api, version), Wire.roundTrip(request, version, emptyRequest))
                .toCompletableFuture().join();
        @SuppressWarnings("unchecked")
        R body = (R) ((ApiResponse.Message) response).body();
        return Wire.roundTrip(body, version, emptyResponse);
    }

    @Override
    public void close() throws InterruptedException {
        stop();
        scheduler.shutdownNow();
        scheduler.awaitTermination(10, TimeUnit.SECONDS);
        data.close();
    }

    private void start() {
        BrokerSettings settings = new BrokerSettings(1, TestCatalog.DEFAULT_MAX_MESSAGE_BYTES, false, false, 1, 8,
                DataPlaneHarness.EXPIRATION_MS, config);
        transactions = new TransactionApis(data.catalog, data.state, settings, scheduler, data.apis(), data.clock::get);
        groups = new GroupCoordinatorApis(data.catalog, data.state, settings, scheduler, transactions.pendingOffsets());
        transactions.bindGroupOffsets(groups.transactionalOffsets());
    }

    private void stop() {
        transactions.close();
        groups.close();
    }
}
