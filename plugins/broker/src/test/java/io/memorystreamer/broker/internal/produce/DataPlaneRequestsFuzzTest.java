package io.memorystreamer.broker.internal.produce;

import com.code_intelligence.jazzer.junit.FuzzTest;
import io.memorystreamer.broker.internal.api.FuzzedRequest;
import io.memorystreamer.broker.internal.fetch.KafkaBatches;
import io.memorystreamer.broker.internal.topic.TopicInfo;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;
import org.apache.kafka.common.IsolationLevel;
import org.apache.kafka.common.compress.Compression;
import org.apache.kafka.common.message.FetchRequestData;
import org.apache.kafka.common.message.ListOffsetsRequestData;
import org.apache.kafka.common.protocol.ApiKeys;
import org.apache.kafka.common.protocol.ApiMessage;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.provider.Arguments;

/**
 * Any Produce, Fetch or ListOffsets request that decodes, at any version the broker advertises, on
 * the real log and state store: the handler answers (at once, or after a fetch's wait, here
 * capped) or refuses the request with a precise error, never fails, and its response encodes at
 * that version. Inputs are read by {@link FuzzedRequest}.
 */
class DataPlaneRequestsFuzzTest {

    private static final List<ApiKeys> APIS = List.of(ApiKeys.PRODUCE, ApiKeys.FETCH, ApiKeys.LIST_OFFSETS);
    private static final int MAX_FETCH_WAIT_MS = 10;

    @TempDir
    static Path directory;

    private static DataPlaneHarness harness;
    private static TopicInfo topic;

    @BeforeAll
    static void start() {
        harness = new DataPlaneHarness(directory);
        topic = harness.catalog.create("fuzz", 2);
        harness.produce(topic, 0, KafkaBatches.plain(Compression.NONE, 1_000L, "a", "b", "c"));
    }

    @AfterAll
    static void stop() throws InterruptedException {
        harness.close();
    }

    @FuzzTest(maxDuration = "30s")
    void everyDecodableRequestIsAnswered(byte[] input) throws Exception {
        Optional<FuzzedRequest> read = FuzzedRequest.read(input, APIS);
        if (read.isEmpty()) {
            return;
        }
        FuzzedRequest request = read.get();
        if (request.body() instanceof FetchRequestData fetch) {
            fetch.setMaxWaitMs(Math.min(Math.max(fetch.maxWaitMs(), 0), MAX_FETCH_WAIT_MS));
        }
        request.assertAnsweredOrRefused(() -> harness.call(request.api(), request.body(), request.version()));
    }

    /** Valid requests of each API to start from. */
    static Stream<Arguments> everyDecodableRequestIsAnswered() {
        short fetchVersion = ApiKeys.FETCH.latestVersion();
        short listVersion = ApiKeys.LIST_OFFSETS.latestVersion();
        short produceVersion = ApiKeys.PRODUCE.latestVersion();
        return Stream.of(
                seed(ApiKeys.PRODUCE, produceVersion, DataPlaneHarness.produceRequest(topic, 0,
                        KafkaBatches.plain(Compression.NONE, 1_000L, "x"), (short) 1, produceVersion)),
                seed(ApiKeys.FETCH, fetchVersion, DataPlaneHarness.fetchRequest(fetchVersion, 0, 1, 1 << 20,
                        IsolationLevel.READ_UNCOMMITTED, List.of(new DataPlaneHarness.FetchTarget(topic, 0, 0, 1 << 20)))),
                seed(ApiKeys.LIST_OFFSETS, listVersion, new ListOffsetsRequestData().setReplicaId(-1)
                        .setTopics(List.of(new ListOffsetsRequestData.ListOffsetsTopic().setName(topic.name())
                                .setPartitions(List.of(new ListOffsetsRequestData.ListOffsetsPartition()
                                        .setPartitionIndex(0).setTimestamp(-1L)))))));
    }

    private static Arguments seed(ApiKeys api, short version, ApiMessage request) {
        return Arguments.of((Object) FuzzedRequest.seed(APIS, api, version, request));
    }
}
