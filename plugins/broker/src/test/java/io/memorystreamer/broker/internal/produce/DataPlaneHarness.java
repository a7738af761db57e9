package io.memorystreamer.broker.internal.produce;

import io.memorystreamer.broker.internal.BrokerSettings;
import io.memorystreamer.broker.internal.api.ApiResponse;
import io.memorystreamer.broker.internal.fetch.TestCatalog;
import io.memorystreamer.broker.internal.fetch.TestStateStore;
import io.memorystreamer.broker.internal.fetch.Wire;
import io.memorystreamer.broker.internal.topic.TopicInfo;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.kafka.common.IsolationLevel;
import org.apache.kafka.common.message.FetchRequestData;
import org.apache.kafka.common.message.FetchResponseData;
import org.apache.kafka.common.message.InitProducerIdRequestData;
import org.apache.kafka.common.message.InitProducerIdResponseData;
import org.apache.kafka.common.message.ListOffsetsRequestData;
import org.apache.kafka.common.message.ListOffsetsResponseData;
import org.apache.kafka.common.message.ProduceRequestData;
import org.apache.kafka.common.message.ProduceResponseData;
import org.apache.kafka.common.protocol.ApiKeys;
import org.apache.kafka.common.protocol.ApiMessage;
import org.apache.kafka.common.record.internal.MemoryRecords;

/**
 * {@link DataPlaneApis} over real test logs and a state store, driven with requests that went
 * through the wire encoding, with a clock the test moves.
 */
public final class DataPlaneHarness implements AutoCloseable {

    public static final short PRODUCE_LATEST = ApiKeys.PRODUCE.latestVersion();
    public static final short FETCH_LATEST = ApiKeys.FETCH.latestVersion();
    public static final long EXPIRATION_MS = 60_000;

    public final TestCatalog catalog;
    public final TestStateStore state;
    public final AtomicLong clock = new AtomicLong(1_700_000_000_000L);
    private final ScheduledExecutorService scheduler = Executors.newSingleThreadScheduledExecutor();
    private DataPlaneApis apis;

    public DataPlaneHarness(Path directory) {
        this.catalog = new TestCatalog(directory.resolve("logs"));
        this.state = new TestStateStore(directory.resolve("state"));
        this.apis = newApis();
    }

    public DataPlaneApis apis() {
        return apis;
    }

    /** How many fetches wait for data now. */
    public int parkedFetches() {
        return apis.parkedFetches();
    }

    /** Closes the APIs (persisting producer state) and starts new ones on the same logs and store. */
    public void restart() {
        apis.close();
        apis = newApis();
    }

    /** Stops the APIs, the logs and the state store, and starts them all again from their files. */
    public void restartEverything() {
        apis.close();
        catalog.reopenStorage();
        state.reopen();
        apis = newApis();
    }

    /** Starts new APIs without closing the old ones, as after kill -9: only stored state survives. */
    public void crashAndRestart() {
        apis = newApis();
    }

    public ProduceResponseData.PartitionProduceResponse produce(TopicInfo topic, int partition, MemoryRecords records) {
        return produce(topic, partition, records, (short) 1, PRODUCE_LATEST);
    }

    public ProduceResponseData.PartitionProduceResponse produce(TopicInfo topic, int partition, MemoryRecords records,
            short acks, short version) {
        ProduceResponseData response = produce(produceRequest(topic, partition, records, acks, version), version);
        return response.responses().iterator().next().partitionResponses().getFirst();
    }

    public ProduceResponseData produce(ProduceRequestData request, short version) {
        ApiResponse response = call(ApiKeys.PRODUCE, Wire.roundTrip(request, version, ProduceRequestData::new), version).join();
        ApiMessage body = ((ApiResponse.Message) response).body();
        return Wire.roundTrip((ProduceResponseData) body, version, ProduceResponseData::new);
    }

    public CompletableFuture<ApiResponse> call(ApiKeys api, ApiMessage request, short version) {
        return apis.handlers().get(api).handle(Wire.context(api, version), request).toCompletableFuture();
    }

    public static ProduceRequestData produceRequest(TopicInfo topic, int partition, MemoryRecords records, short acks,
            short version) {
        ProduceRequestData.TopicProduceData topicData = new ProduceRequestData.TopicProduceData()
                .setPartitionData(List.of(new ProduceRequestData.PartitionProduceData()
                        .setIndex(partition)
                        .setRecords(records)));
        if (version >= 13) {
            topicData.setTopicId(topic.id());
        } else {
            topicData.setName(topic.name());
        }
        return new ProduceRequestData()
                .setAcks(acks)
                .setTimeoutMs(30_000)
                .setTopicData(new ProduceRequestData.TopicProduceDataCollection(List.of(topicData).iterator()));
    }

    /** Sends a fetch; the future completes when the broker answers (at once or after a wait). */
    public CompletableFuture<FetchResponseData> fetch(FetchRequestData request, short version) {
        return call(ApiKeys.FETCH, Wire.roundTrip(request, version, FetchRequestData::new), version)
                .thenApply(response -> Wire.decode((FetchResponseData) ((ApiResponse.Message) response).body(), version));
    }

    /** A fetch of one partition of each topic, in order. */
    public static FetchRequestData fetchRequest(short version, int maxWaitMs, int minBytes, int maxBytes,
            IsolationLevel isolation, List<FetchTarget> targets) {
        FetchRequestData request = new FetchRequestData()
                .setMaxWaitMs(maxWaitMs)
                .setMinBytes(minBytes)
                .setMaxBytes(maxBytes)
                .setIsolationLevel(isolation.id())
                .setSessionId(0)
                .setSessionEpoch(-1);
        for (FetchTarget target : targets) {
            FetchRequestData.FetchTopic topic = new FetchRequestData.FetchTopic()
                    .setPartitions(List.of(new FetchRequestData.FetchPartition()
                            .setPartition(target.partition())
                            .setFetchOffset(target.offset())
                            .setPartitionMaxBytes(target.partitionMaxBytes())));
            if (version >= 13) {
                topic.setTopicId(target.topic().id());
            } else {
                topic.setTopic(target.topic().name());
            }
            request.topics().add(topic);
        }
        return request;
    }

    /** One partition to fetch. */
    public record FetchTarget(TopicInfo topic, int partition, long offset, int partitionMaxBytes) {
    }

    public ListOffsetsResponseData.ListOffsetsPartitionResponse listOffsets(TopicInfo topic, int partition,
            long timestamp, IsolationLevel isolation) {
        return listOffsets(topic, partition, timestamp, isolation, ApiKeys.LIST_OFFSETS.latestVersion());
    }

    /** ListOffsets for one partition, request and response through the wire encoding of that version. */
    public ListOffsetsResponseData.ListOffsetsPartitionResponse listOffsets(TopicInfo topic, int partition,
            long timestamp, IsolationLevel isolation, short version) {
        ListOffsetsRequestData request = new ListOffsetsRequestData()
                .setReplicaId(-1)
                .setIsolationLevel(isolation.id())
                .setTopics(List.of(new ListOffsetsRequestData.ListOffsetsTopic()
                        .setName(topic.name())
                        .setPartitions(List.of(new ListOffsetsRequestData.ListOffsetsPartition()
                                .setPartitionIndex(partition)
                                .setTimestamp(timestamp)))));
        ApiResponse response = call(ApiKeys.LIST_OFFSETS, Wire.roundTrip(request, version, ListOffsetsRequestData::new),
                version).join();
        ListOffsetsResponseData body = Wire.roundTrip((ListOffsetsResponseData) ((ApiResponse.Message) response).body(),
                version, ListOffsetsResponseData::new);
        return body.topics().getFirst().partitions().getFirst();
    }

    public InitProducerIdResponseData initProducerId(String transactionalId) {
        short version = ApiKeys.INIT_PRODUCER_ID.latestVersion(true);
        InitProducerIdRequestData request = new InitProducerIdRequestData()
                .setTransactionalId(transactionalId)
                .setTransactionTimeoutMs(60_000);
        ApiResponse response = call(ApiKeys.INIT_PRODUCER_ID,
                Wire.roundTrip(request, version, InitProducerIdRequestData::new), version).join();
        return (InitProducerIdResponseData) ((ApiResponse.Message) response).body();
    }

    @Override
    public void close() throws InterruptedException {
        apis.close();
        scheduler.shutdownNow();
        scheduler.awaitTermination(10, TimeUnit.SECONDS);
        catalog.close();
        state.close();
    }

    private DataPlaneApis newApis() {
        BrokerSettings settings = new BrokerSettings(1, TestCatalog.DEFAULT_MAX_MESSAGE_BYTES, false, false, 1, 8,
                EXPIRATION_MS, Map.of());
        return new DataPlaneApis(catalog, state, settings, scheduler, clock::get);
    }
}
