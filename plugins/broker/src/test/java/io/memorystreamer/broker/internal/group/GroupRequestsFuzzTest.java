package io.memorystreamer.broker.internal.group;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.junit.FuzzTest;
import io.memorystreamer.broker.internal.api.ApiResponse;
import io.memorystreamer.broker.internal.api.RequestContext;
import io.memorystreamer.spi.transport.ConnectionInfo;
import io.memorystreamer.spi.transport.SecurityProtocol;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.apache.kafka.common.errors.ApiException;
import org.apache.kafka.common.message.ConsumerGroupHeartbeatRequestData;
import org.apache.kafka.common.message.HeartbeatRequestData;
import org.apache.kafka.common.message.JoinGroupRequestData;
import org.apache.kafka.common.message.JoinGroupRequestData.JoinGroupRequestProtocolCollection;
import org.apache.kafka.common.message.OffsetCommitRequestData;
import org.apache.kafka.common.message.OffsetFetchRequestData;
import org.apache.kafka.common.message.RequestHeaderData;
import org.apache.kafka.common.message.SyncGroupRequestData;
import org.apache.kafka.common.protocol.ApiKeys;
import org.apache.kafka.common.protocol.ApiMessage;
import org.apache.kafka.common.protocol.ByteBufferAccessor;
import org.apache.kafka.common.protocol.Errors;
import org.apache.kafka.common.protocol.MessageUtil;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.provider.Arguments;

/**
 * Any group coordinator request that decodes, at any version, against one coordinator whose
 * groups live on from input to input (so the fuzzer reaches joined, syncing and stable groups):
 * each is answered within its bounded wait, or refused with a precise error, and the answer
 * encodes at that version. Timeouts in the requests are capped so that a rebalance or a parked
 * join ends within the wait. An input is the API's index in {@link #APIS}, the version, then the
 * request body in the wire format.
 */
class GroupRequestsFuzzTest {

    private static final List<ApiKeys> APIS = List.of(ApiKeys.JOIN_GROUP, ApiKeys.SYNC_GROUP, ApiKeys.HEARTBEAT,
            ApiKeys.LEAVE_GROUP, ApiKeys.OFFSET_COMMIT, ApiKeys.OFFSET_FETCH, ApiKeys.DESCRIBE_GROUPS,
            ApiKeys.LIST_GROUPS, ApiKeys.DELETE_GROUPS, ApiKeys.OFFSET_DELETE, ApiKeys.CONSUMER_GROUP_HEARTBEAT,
            ApiKeys.CONSUMER_GROUP_DESCRIBE);
    private static final int MAX_TIMEOUT_MS = 200;
    private static final ConnectionInfo CONNECTION = new ConnectionInfo("fuzz-connection", "PLAINTEXT",
            SecurityProtocol.PLAINTEXT, new InetSocketAddress(InetAddress.getLoopbackAddress(), 9092),
            new InetSocketAddress(InetAddress.getLoopbackAddress(), 50_000));

    private static Path directory;
    private static GroupHarness harness;

    @BeforeAll
    static void start() throws IOException {
        directory = Files.createTempDirectory("group-fuzz");
        harness = new GroupHarness(directory);
        harness.topics.create("orders", 3);
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
    void everyDecodableGroupRequestIsAnswered(byte[] input) throws Exception {
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
        capTimeouts(request);
        RequestHeaderData header = new RequestHeaderData().setRequestApiKey(api.id).setRequestApiVersion(version)
                .setClientId("fuzz").setCorrelationId(1);
        RequestContext context = new RequestContext(CONNECTION, api, version, header, System.nanoTime());

        ApiResponse response;
        try {
            response = harness.apis().handlers().get(api).handle(context, request).toCompletableFuture()
                    .get(10, TimeUnit.SECONDS);
        } catch (ExecutionException | CompletionException e) {
            assertPreciseRefusal(e.getCause());
            return;
        } catch (ApiException e) {
            assertPreciseRefusal(e);
            return;
        }

        if (response instanceof ApiResponse.Message message) {
            assertThat(message.body().apiKey()).isEqualTo(api.id);
            MessageUtil.toByteBufferAccessor(message.body(), version);
        }
    }

    private static void capTimeouts(ApiMessage request) {
        if (request instanceof JoinGroupRequestData join) {
            join.setSessionTimeoutMs(Math.floorMod(join.sessionTimeoutMs(), MAX_TIMEOUT_MS));
            join.setRebalanceTimeoutMs(Math.floorMod(join.rebalanceTimeoutMs(), MAX_TIMEOUT_MS));
        } else if (request instanceof ConsumerGroupHeartbeatRequestData heartbeat && heartbeat.rebalanceTimeoutMs() > 0) {
            heartbeat.setRebalanceTimeoutMs(Math.floorMod(heartbeat.rebalanceTimeoutMs(), MAX_TIMEOUT_MS));
        }
    }

    /** A refusal the dispatcher answers with its own error code; anything else would be UNKNOWN_SERVER_ERROR. */
    private static void assertPreciseRefusal(Throwable failure) {
        assertThat(failure).isInstanceOf(ApiException.class);
        assertThat(Errors.forException(failure)).isNotEqualTo(Errors.UNKNOWN_SERVER_ERROR);
    }

    /** Valid requests of the classic and the consumer protocol to start from. */
    static Stream<Arguments> everyDecodableGroupRequestIsAnswered() {
        JoinGroupRequestProtocolCollection protocols = new JoinGroupRequestProtocolCollection();
        protocols.add(GroupHarness.consumerProtocol("range", "orders"));
        short joinVersion = ApiKeys.JOIN_GROUP.latestVersion();
        return Stream.of(
                seed(ApiKeys.JOIN_GROUP, joinVersion, new JoinGroupRequestData().setGroupId("g").setMemberId("")
                        .setProtocolType("consumer").setProtocols(protocols).setSessionTimeoutMs(100)
                        .setRebalanceTimeoutMs(100)),
                seed(ApiKeys.SYNC_GROUP, ApiKeys.SYNC_GROUP.latestVersion(), new SyncGroupRequestData().setGroupId("g")
                        .setMemberId("m").setGenerationId(1).setProtocolType("consumer").setProtocolName("range")),
                seed(ApiKeys.HEARTBEAT, ApiKeys.HEARTBEAT.latestVersion(), new HeartbeatRequestData().setGroupId("g")
                        .setMemberId("m").setGenerationId(1)),
                seed(ApiKeys.OFFSET_COMMIT, (short) 8, new OffsetCommitRequestData().setGroupId("g")
                        .setGenerationIdOrMemberEpoch(-1).setMemberId("")
                        .setTopics(List.of(new OffsetCommitRequestData.OffsetCommitRequestTopic().setName("orders")
                                .setPartitions(List.of(new OffsetCommitRequestData.OffsetCommitRequestPartition()
                                        .setPartitionIndex(0).setCommittedOffset(5)))))),
                seed(ApiKeys.OFFSET_FETCH, (short) 7, new OffsetFetchRequestData().setGroupId("g").setTopics(null)),
                seed(ApiKeys.CONSUMER_GROUP_HEARTBEAT, ApiKeys.CONSUMER_GROUP_HEARTBEAT.latestVersion(),
                        new ConsumerGroupHeartbeatRequestData().setGroupId("c").setMemberId("member-0000000001")
                                .setMemberEpoch(0).setRebalanceTimeoutMs(100).setSubscribedTopicNames(List.of("orders"))
                                .setTopicPartitions(List.of())));
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
