package io.memorystreamer.broker.internal.produce;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.junit.FuzzTest;
import io.memorystreamer.broker.internal.api.ApiResponse;
import io.memorystreamer.broker.internal.fetch.KafkaBatches;
import io.memorystreamer.broker.internal.topic.TopicInfo;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.apache.kafka.common.IsolationLevel;
import org.apache.kafka.common.compress.Compression;
import org.apache.kafka.common.errors.ApiException;
import org.apache.kafka.common.message.FetchRequestData;
import org.apache.kafka.common.message.ListOffsetsRequestData;
import org.apache.kafka.common.protocol.ApiKeys;
import org.apache.kafka.common.protocol.ApiMessage;
import org.apache.kafka.common.protocol.ByteBufferAccessor;
import org.apache.kafka.common.protocol.Errors;
import org.apache.kafka.common.protocol.MessageUtil;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.provider.Arguments;

/**
 * Any Produce, Fetch or ListOffsets request that decodes, at any version the broker advertises, on
 * the real log and state store: the handler answers (at once, or after a fetch's wait, here
 * capped) or refuses the request with a precise error, never fails, and its response encodes at
 * that version. An input is the API's index
 * in {@link #APIS}, the version, then the request body in the wire format.
 */
class DataPlaneRequestsFuzzTest {

    private static final List<ApiKeys> APIS = List.of(ApiKeys.PRODUCE, ApiKeys.FETCH, ApiKeys.LIST_OFFSETS);
    private static final int MAX_FETCH_WAIT_MS = 10;

    private static Path directory;
    private static DataPlaneHarness harness;
    private static TopicInfo topic;

    @BeforeAll
    static void start() throws IOException {
        directory = Files.createTempDirectory("data-plane-fuzz");
        harness = new DataPlaneHarness(directory);
        topic = harness.catalog.create("fuzz", 2);
        harness.produce(topic, 0, KafkaBatches.plain(Compression.NONE, 1_000L, "a", "b", "c"));
    }

    @AfterAll
    static void stop() throws Exception {
        harness.close();
        try (Stream<Path> files = Files.walk(directory)) {
            for (Path file : files.sorted(Comparator.reverseOrder()).toList()) {
                Files.delete(file);
            }
        }
    }

    @FuzzTest(maxDuration = "30s")
    void everyDecodableRequestIsAnswered(byte[] input) throws Exception {
        if (input.length < 2) {
            return;
        }
        ApiKeys api = APIS.get(Math.floorMod(input[0], APIS.size()));
        short version = (short) (api.oldestVersion() + Math.floorMod(input[1], api.latestVersion() - api.oldestVersion() + 1));
        ApiMessage request = api.messageType.newRequest();
        try {
            request.read(new ByteBufferAccessor(ByteBuffer.wrap(input, 2, input.length - 2)), version);
        } catch (RuntimeException malformed) {
            return; // the dispatcher closes such a connection before any handler sees it
        }
        if (request instanceof FetchRequestData fetch) {
            fetch.setMaxWaitMs(Math.min(Math.max(fetch.maxWaitMs(), 0), MAX_FETCH_WAIT_MS));
        }

        ApiResponse response;
        try {
            response = harness.call(api, request, version).get(10, TimeUnit.SECONDS);
        } catch (ExecutionException | CompletionException e) {
            assertPreciseRefusal(e.getCause());
            return;
        } catch (RuntimeException e) {
            assertPreciseRefusal(e);
            return;
        }

        if (response instanceof ApiResponse.Message message) {
            assertThat(message.body().apiKey()).isEqualTo(api.id);
            MessageUtil.toByteBufferAccessor(message.body(), version);
        }
    }

    /**
     * A handler may refuse a request by failing with an {@link ApiException}, which the dispatcher
     * answers with that exception's error code; any other failure would be answered
     * UNKNOWN_SERVER_ERROR, the broker's fault rather than the request's.
     */
    private static void assertPreciseRefusal(Throwable failure) {
        assertThat(failure).isInstanceOf(ApiException.class);
        assertThat(Errors.forException(failure)).isNotEqualTo(Errors.UNKNOWN_SERVER_ERROR);
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
        ByteBuffer body = MessageUtil.toByteBufferAccessor(request, version).buffer();
        byte[] input = new byte[2 + body.remaining()];
        input[0] = (byte) APIS.indexOf(api);
        input[1] = (byte) (version - api.oldestVersion());
        body.get(input, 2, body.remaining());
        return Arguments.of((Object) input);
    }
}
