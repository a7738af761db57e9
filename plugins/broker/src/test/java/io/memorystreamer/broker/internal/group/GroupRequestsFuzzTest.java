package io.memorystreamer.broker.internal.group;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.junit.FuzzTest;
import io.memorystreamer.broker.internal.api.FuzzedRequest;
import io.memorystreamer.broker.internal.api.RequestContext;
import io.memorystreamer.broker.internal.fetch.Wire;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;
import org.apache.kafka.common.message.ConsumerGroupHeartbeatRequestData;
import org.apache.kafka.common.message.HeartbeatRequestData;
import org.apache.kafka.common.message.JoinGroupRequestData;
import org.apache.kafka.common.message.JoinGroupRequestData.JoinGroupRequestProtocolCollection;
import org.apache.kafka.common.message.OffsetCommitRequestData;
import org.apache.kafka.common.message.OffsetFetchRequestData;
import org.apache.kafka.common.message.SyncGroupRequestData;
import org.apache.kafka.common.protocol.ApiKeys;
import org.apache.kafka.common.protocol.ApiMessage;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.provider.Arguments;

/**
 * Any group coordinator request that decodes, at any version, against one coordinator whose
 * groups live on from input to input (so the fuzzer reaches joined, syncing and stable groups):
 * each is answered within its bounded wait, or refused with a precise error, and the answer
 * encodes at that version. Timeouts in the requests are capped so that a rebalance or a parked
 * join ends within the wait. No input may make the coordinator reset a group (which it does when an
 * operation fails half-way, answering COORDINATOR_NOT_AVAILABLE): that is a bug found. Inputs are
 * read by {@link FuzzedRequest}.
 */
class GroupRequestsFuzzTest {

    private static final List<ApiKeys> APIS = List.of(ApiKeys.JOIN_GROUP, ApiKeys.SYNC_GROUP, ApiKeys.HEARTBEAT,
            ApiKeys.LEAVE_GROUP, ApiKeys.OFFSET_COMMIT, ApiKeys.OFFSET_FETCH, ApiKeys.DESCRIBE_GROUPS,
            ApiKeys.LIST_GROUPS, ApiKeys.DELETE_GROUPS, ApiKeys.OFFSET_DELETE, ApiKeys.CONSUMER_GROUP_HEARTBEAT,
            ApiKeys.CONSUMER_GROUP_DESCRIBE);
    private static final int MAX_TIMEOUT_MS = 200;

    @TempDir
    static Path directory;

    private static GroupHarness harness;

    @BeforeAll
    static void start() {
        harness = new GroupHarness(directory);
        harness.topics.create("orders", 3);
    }

    @AfterAll
    static void stop() throws InterruptedException {
        harness.close();
    }

    @FuzzTest(maxDuration = "30s")
    void everyDecodableGroupRequestIsAnswered(byte[] input) throws Exception {
        Optional<FuzzedRequest> read = FuzzedRequest.read(input, APIS);
        if (read.isEmpty()) {
            return;
        }
        FuzzedRequest request = read.get();
        capTimeouts(request.body());
        RequestContext context = Wire.context(request.api(), request.version());
        request.assertAnsweredOrRefused(() -> harness.apis().handlers().get(request.api())
                .handle(context, request.body()).toCompletableFuture());
        assertThat(harness.apis().services().registry().resets()).as("groups reset after a failed operation").isZero();
    }

    private static void capTimeouts(ApiMessage request) {
        if (request instanceof JoinGroupRequestData join) {
            join.setSessionTimeoutMs(Math.floorMod(join.sessionTimeoutMs(), MAX_TIMEOUT_MS));
            join.setRebalanceTimeoutMs(Math.floorMod(join.rebalanceTimeoutMs(), MAX_TIMEOUT_MS));
        } else if (request instanceof ConsumerGroupHeartbeatRequestData heartbeat && heartbeat.rebalanceTimeoutMs() > 0) {
            heartbeat.setRebalanceTimeoutMs(Math.floorMod(heartbeat.rebalanceTimeoutMs(), MAX_TIMEOUT_MS));
        }
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
        return Arguments.of((Object) FuzzedRequest.seed(APIS, api, version, request));
    }
}
