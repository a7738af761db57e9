package io.memorystreamer.broker.internal.group;

import io.memorystreamer.broker.internal.fetch.TestStateStore;
import io.memorystreamer.broker.internal.BrokerSettings;
import io.memorystreamer.broker.internal.api.ApiResponse;
import io.memorystreamer.broker.internal.api.RequestContext;
import io.memorystreamer.spi.transport.ConnectionInfo;
import io.memorystreamer.spi.transport.SecurityProtocol;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Supplier;
import org.apache.kafka.clients.consumer.ConsumerPartitionAssignor;
import org.apache.kafka.clients.consumer.internals.ConsumerProtocol;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.message.ConsumerGroupDescribeRequestData;
import org.apache.kafka.common.message.ConsumerGroupDescribeResponseData;
import org.apache.kafka.common.message.ConsumerGroupHeartbeatRequestData;
import org.apache.kafka.common.message.ConsumerGroupHeartbeatResponseData;
import org.apache.kafka.common.message.DescribeGroupsRequestData;
import org.apache.kafka.common.message.DescribeGroupsResponseData;
import org.apache.kafka.common.message.HeartbeatRequestData;
import org.apache.kafka.common.message.HeartbeatResponseData;
import org.apache.kafka.common.message.JoinGroupRequestData;
import org.apache.kafka.common.message.JoinGroupRequestData.JoinGroupRequestProtocol;
import org.apache.kafka.common.message.JoinGroupRequestData.JoinGroupRequestProtocolCollection;
import org.apache.kafka.common.message.JoinGroupResponseData;
import org.apache.kafka.common.message.OffsetCommitRequestData;
import org.apache.kafka.common.message.OffsetCommitResponseData;
import org.apache.kafka.common.message.OffsetFetchRequestData;
import org.apache.kafka.common.message.OffsetFetchResponseData;
import org.apache.kafka.common.message.RequestHeaderData;
import org.apache.kafka.common.message.SyncGroupRequestData;
import org.apache.kafka.common.message.SyncGroupResponseData;
import org.apache.kafka.common.protocol.ApiKeys;
import org.apache.kafka.common.protocol.ApiMessage;
import org.apache.kafka.common.protocol.ByteBufferAccessor;
import org.apache.kafka.common.protocol.Errors;
import org.apache.kafka.common.protocol.MessageUtil;

/**
 * The group coordinator over a real RocksDB state store, driven with requests and responses that
 * go through Kafka's wire encoding at the version under test, as the broker codec does.
 */
final class GroupHarness implements AutoCloseable {

    static final String CLIENT_ID = "consumer-1";
    static final int SESSION_MS = 30_000;
    static final int REBALANCE_MS = 30_000;
    static final long WAIT_SECONDS = 10;

    private static final ConnectionInfo CONNECTION = new ConnectionInfo("test-connection", "PLAINTEXT",
            SecurityProtocol.PLAINTEXT, new InetSocketAddress(InetAddress.getLoopbackAddress(), 9092),
            new InetSocketAddress(InetAddress.getLoopbackAddress(), 50_000));

    final TopicsInMemory topics = new TopicsInMemory();
    final TestStateStore state;
    final AtomicLong clock = new AtomicLong(1_700_000_000_000L);
    private final ScheduledExecutorService scheduler = Executors.newSingleThreadScheduledExecutor();
    private final Map<String, String> config = new HashMap<>();
    private GroupCoordinatorApis apis;

    /** Starts a coordinator with no initial rebalance delay and a 10 ms minimum session timeout, plus {@code overrides}. */
    GroupHarness(Path directory, Map<String, String> overrides) {
        config.put(GroupConfig.MIN_SESSION_TIMEOUT, "10");
        config.put(GroupConfig.INITIAL_REBALANCE_DELAY, "0");
        config.putAll(overrides);
        state = new TestStateStore(directory);
        apis = newApis();
    }

    GroupHarness(Path directory) {
        this(directory, Map.of());
    }

    GroupCoordinatorApis apis() {
        return apis;
    }

    /** Closes the coordinator and the store, then opens both again from disk. */
    void restart() {
        apis.close();
        state.reopen();
        apis = newApis();
    }

    // ---- generic calls ----

    /** Sends a request at a version and returns the stage of its response, both through the wire encoding. */
    @SuppressWarnings("unchecked")
    <R extends ApiMessage> CompletableFuture<R> call(ApiKeys api, ApiMessage request, short version, Supplier<R> empty) {
        ApiMessage decoded = roundTrip(request, version, () -> (ApiMessage) api.messageType.newRequest());
        RequestHeaderData header = new RequestHeaderData().setRequestApiKey(api.id).setRequestApiVersion(version)
                .setClientId(CLIENT_ID).setCorrelationId(1);
        RequestContext context = new RequestContext(CONNECTION, api, version, header, System.nanoTime());
        return apis.handlers().get(api).handle(context, decoded).toCompletableFuture()
                .thenApply(response -> roundTrip((R) ((ApiResponse.Message) response).body(), version, empty));
    }

    <R extends ApiMessage> R callNow(ApiKeys api, ApiMessage request, short version, Supplier<R> empty) {
        try {
            return call(api, request, version, empty).get(WAIT_SECONDS, TimeUnit.SECONDS);
        } catch (Exception e) {
            throw new AssertionError(api + " v" + version + " did not complete", e);
        }
    }

    static <T extends ApiMessage> T roundTrip(T message, short version, Supplier<T> empty) {
        ByteBuffer encoded = MessageUtil.toByteBufferAccessor(message, version).buffer();
        T decoded = empty.get();
        decoded.read(new ByteBufferAccessor(encoded), version);
        return decoded;
    }

    static <T> T await(CompletableFuture<T> future) {
        try {
            return future.get(WAIT_SECONDS, TimeUnit.SECONDS);
        } catch (Exception e) {
            throw new AssertionError("no response within " + WAIT_SECONDS + " s", e);
        }
    }

    // ---- membership ----

    /** Consumer-protocol metadata subscribing to {@code topics}, under the assignor name {@code protocol}. */
    static JoinGroupRequestProtocol consumerProtocol(String protocol, String... topics) {
        ByteBuffer subscription = ConsumerProtocol.serializeSubscription(
                new ConsumerPartitionAssignor.Subscription(List.of(topics)));
        byte[] bytes = new byte[subscription.remaining()];
        subscription.get(bytes);
        return new JoinGroupRequestProtocol().setName(protocol).setMetadata(bytes);
    }

    static JoinGroupRequestData joinRequest(String group, String memberId, String groupInstanceId, int sessionMs,
            JoinGroupRequestProtocol... protocols) {
        JoinGroupRequestProtocolCollection collection = new JoinGroupRequestProtocolCollection();
        for (JoinGroupRequestProtocol protocol : protocols) {
            collection.add(protocol.duplicate());
        }
        return new JoinGroupRequestData()
                .setGroupId(group)
                .setMemberId(memberId)
                .setGroupInstanceId(groupInstanceId)
                .setSessionTimeoutMs(sessionMs)
                .setRebalanceTimeoutMs(REBALANCE_MS)
                .setProtocolType(SubscribedTopics.CONSUMER_PROTOCOL_TYPE)
                .setProtocols(collection);
    }

    CompletableFuture<JoinGroupResponseData> join(JoinGroupRequestData request) {
        return call(ApiKeys.JOIN_GROUP, request, ApiKeys.JOIN_GROUP.latestVersion(), JoinGroupResponseData::new);
    }

    /**
     * Joins as a new dynamic member the way a current consumer does: the first JoinGroup gets
     * MEMBER_ID_REQUIRED and an id, the second one is parked until the join phase completes.
     */
    CompletableFuture<JoinGroupResponseData> joinNew(String group, int sessionMs, JoinGroupRequestProtocol... protocols) {
        JoinGroupResponseData first = await(join(joinRequest(group, "", null, sessionMs, protocols)));
        if (first.errorCode() != Errors.MEMBER_ID_REQUIRED.code()) {
            throw new AssertionError("expected MEMBER_ID_REQUIRED, got " + first);
        }
        return join(joinRequest(group, first.memberId(), null, sessionMs, protocols));
    }

    CompletableFuture<SyncGroupResponseData> sync(String group, String memberId, int generation,
            Map<String, byte[]> assignments) {
        SyncGroupRequestData request = new SyncGroupRequestData()
                .setGroupId(group)
                .setMemberId(memberId)
                .setGenerationId(generation)
                .setProtocolType(SubscribedTopics.CONSUMER_PROTOCOL_TYPE);
        assignments.forEach((member, assignment) -> request.assignments().add(
                new SyncGroupRequestData.SyncGroupRequestAssignment().setMemberId(member).setAssignment(assignment)));
        return call(ApiKeys.SYNC_GROUP, request, ApiKeys.SYNC_GROUP.latestVersion(), SyncGroupResponseData::new);
    }

    Errors heartbeat(String group, String memberId, int generation) {
        return heartbeat(group, memberId, null, generation);
    }

    Errors heartbeat(String group, String memberId, String groupInstanceId, int generation) {
        HeartbeatRequestData request = new HeartbeatRequestData().setGroupId(group).setMemberId(memberId)
                .setGroupInstanceId(groupInstanceId).setGenerationId(generation);
        return Errors.forCode(callNow(ApiKeys.HEARTBEAT, request, ApiKeys.HEARTBEAT.latestVersion(),
                HeartbeatResponseData::new).errorCode());
    }

    DescribeGroupsResponseData.DescribedGroup describe(String group) {
        return callNow(ApiKeys.DESCRIBE_GROUPS, new DescribeGroupsRequestData().setGroups(List.of(group)),
                ApiKeys.DESCRIBE_GROUPS.latestVersion(), DescribeGroupsResponseData::new).groups().getFirst();
    }

    // ---- consumer group protocol (KIP-848) ----

    ConsumerGroupHeartbeatResponseData consumerHeartbeat(ConsumerGroupHeartbeatRequestData request) {
        return callNow(ApiKeys.CONSUMER_GROUP_HEARTBEAT, request, ApiKeys.CONSUMER_GROUP_HEARTBEAT.latestVersion(),
                ConsumerGroupHeartbeatResponseData::new);
    }

    ConsumerGroupDescribeResponseData.DescribedGroup describeConsumerGroup(String group) {
        return callNow(ApiKeys.CONSUMER_GROUP_DESCRIBE, new ConsumerGroupDescribeRequestData().setGroupIds(List.of(group)),
                ApiKeys.CONSUMER_GROUP_DESCRIBE.latestVersion(), ConsumerGroupDescribeResponseData::new).groups().getFirst();
    }

    // ---- offsets ----

    OffsetCommitResponseData commit(String group, String memberId, int generation, TopicPartition partition,
            long offset, String metadata, short version) {
        OffsetCommitRequestData.OffsetCommitRequestTopic topic = new OffsetCommitRequestData.OffsetCommitRequestTopic()
                .setPartitions(List.of(new OffsetCommitRequestData.OffsetCommitRequestPartition()
                        .setPartitionIndex(partition.partition())
                        .setCommittedOffset(offset)
                        .setCommittedMetadata(metadata)));
        if (version >= 10) {
            topic.setTopicId(topics.topic(partition.topic()).orElseThrow().id());
        } else {
            topic.setName(partition.topic());
        }
        OffsetCommitRequestData request = new OffsetCommitRequestData()
                .setGroupId(group)
                .setMemberId(memberId)
                .setGenerationIdOrMemberEpoch(generation)
                .setTopics(List.of(topic));
        return callNow(ApiKeys.OFFSET_COMMIT, request, version, OffsetCommitResponseData::new);
    }

    /** The error of a one-partition commit at the latest version. */
    Errors commit(String group, String memberId, int generation, TopicPartition partition, long offset) {
        return Errors.forCode(commit(group, memberId, generation, partition, offset, "", ApiKeys.OFFSET_COMMIT.latestVersion())
                .topics().getFirst().partitions().getFirst().errorCode());
    }

    /** The committed offset of one partition (-1 when none) through the multi-group form. */
    long committed(String group, TopicPartition partition) {
        OffsetFetchRequestData request = new OffsetFetchRequestData().setGroups(List.of(
                new OffsetFetchRequestData.OffsetFetchRequestGroup().setGroupId(group).setTopics(List.of(
                        new OffsetFetchRequestData.OffsetFetchRequestTopics().setName(partition.topic())
                                .setPartitionIndexes(List.of(partition.partition()))))));
        OffsetFetchResponseData response = callNow(ApiKeys.OFFSET_FETCH, request, (short) 9, OffsetFetchResponseData::new);
        return response.groups().getFirst().topics().getFirst().partitions().getFirst().committedOffset();
    }

    @Override
    public void close() throws InterruptedException {
        apis.close();
        scheduler.shutdownNow();
        scheduler.awaitTermination(10, TimeUnit.SECONDS);
        state.close();
    }

    private GroupCoordinatorApis newApis() {
        BrokerSettings settings = new BrokerSettings(1, 1024 * 1024, false, false, 1, 8, 86_400_000L, config);
        // No transactions here: no offset is ever pending.
        return new GroupCoordinatorApis(topics, state, settings, scheduler, (group, partition) -> false, clock::get);
    }
}
