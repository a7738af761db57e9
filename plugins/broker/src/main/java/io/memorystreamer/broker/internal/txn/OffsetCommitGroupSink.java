package io.memorystreamer.broker.internal.txn;

import io.memorystreamer.broker.internal.api.ApiHandler;
import io.memorystreamer.broker.internal.api.ApiResponse;
import io.memorystreamer.broker.internal.api.RequestContext;
import io.memorystreamer.spi.transport.ConnectionInfo;
import io.memorystreamer.spi.transport.SecurityProtocol;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.message.OffsetCommitRequestData;
import org.apache.kafka.common.message.OffsetCommitResponseData;
import org.apache.kafka.common.message.RequestHeaderData;
import org.apache.kafka.common.protocol.ApiKeys;
import org.apache.kafka.common.protocol.Errors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A {@link GroupOffsetSink} over the group coordinator's OffsetCommit handler, for as long as the
 * group coordinator does not implement the sink itself. A committed transaction's offsets are
 * committed on behalf of the member that last sent TxnOffsetCommit for the group, with its
 * generation. Limits: the member checks happen only when the transaction commits (not at
 * TxnOffsetCommit), so offsets of a member that a rebalance removed in between are dropped with a
 * warning; after a restart the member is unknown and the commit succeeds only if the group has no
 * members. Thread-safe.
 */
public final class OffsetCommitGroupSink implements GroupOffsetSink {

    private static final Logger LOG = LoggerFactory.getLogger(OffsetCommitGroupSink.class);
    /** The last OffsetCommit version that names topics (v10 uses topic ids). */
    private static final short VERSION = 9;
    private static final ConnectionInfo INTERNAL = new ConnectionInfo("transaction-coordinator", "internal",
            SecurityProtocol.PLAINTEXT, new InetSocketAddress(InetAddress.getLoopbackAddress(), 0),
            new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));

    /** Who last sent offsets for a group. */
    private record Member(String memberId, String groupInstanceId, int generationId) {
    }

    private final ApiHandler offsetCommit;
    private final Map<String, Member> lastMembers = new ConcurrentHashMap<>();

    /** @param offsetCommit the group coordinator's OffsetCommit handler */
    public OffsetCommitGroupSink(ApiHandler offsetCommit) {
        this.offsetCommit = offsetCommit;
    }

    @Override
    public Errors validateMember(String groupId, String memberId, String groupInstanceId, int generationId) {
        lastMembers.put(groupId, new Member(memberId == null ? "" : memberId, groupInstanceId, generationId));
        return Errors.NONE;
    }

    @Override
    public void commit(String groupId, Map<TopicPartition, PendingOffset> offsets) {
        Member member = lastMembers.getOrDefault(groupId, new Member("", null, -1));
        OffsetCommitRequestData request = new OffsetCommitRequestData()
                .setGroupId(groupId)
                .setMemberId(member.memberId())
                .setGroupInstanceId(member.groupInstanceId())
                .setGenerationIdOrMemberEpoch(member.generationId())
                .setRetentionTimeMs(-1L);
        Map<String, OffsetCommitRequestData.OffsetCommitRequestTopic> topics = new LinkedHashMap<>();
        offsets.forEach((partition, offset) -> topics.computeIfAbsent(partition.topic(),
                name -> new OffsetCommitRequestData.OffsetCommitRequestTopic().setName(name))
                .partitions().add(new OffsetCommitRequestData.OffsetCommitRequestPartition()
                        .setPartitionIndex(partition.partition())
                        .setCommittedOffset(offset.offset())
                        .setCommittedLeaderEpoch(offset.leaderEpoch())
                        .setCommittedMetadata(offset.metadata())));
        request.topics().addAll(topics.values());
        Errors error = firstError(offsetCommit.handle(context(), request).toCompletableFuture().join());
        if (error == Errors.COORDINATOR_NOT_AVAILABLE || error == Errors.NOT_COORDINATOR
                || error == Errors.COORDINATOR_LOAD_IN_PROGRESS) {
            throw new IllegalStateException("the group coordinator cannot store offsets now: " + error);
        }
        if (error != Errors.NONE) {
            LOG.warn("Dropped the offsets of a committed transaction: group={}, member={}, generation={}, error={}",
                    groupId, member.memberId(), member.generationId(), error);
        }
    }

    private static Errors firstError(ApiResponse response) {
        if (!(response instanceof ApiResponse.Message(var body))) {
            return Errors.UNKNOWN_SERVER_ERROR;
        }
        for (OffsetCommitResponseData.OffsetCommitResponseTopic topic : ((OffsetCommitResponseData) body).topics()) {
            for (OffsetCommitResponseData.OffsetCommitResponsePartition partition : topic.partitions()) {
                if (partition.errorCode() != Errors.NONE.code()) {
                    return Errors.forCode(partition.errorCode());
                }
            }
        }
        return Errors.NONE;
    }

    private static RequestContext context() {
        RequestHeaderData header = new RequestHeaderData()
                .setRequestApiKey(ApiKeys.OFFSET_COMMIT.id)
                .setRequestApiVersion(VERSION)
                .setClientId("transaction-coordinator")
                .setCorrelationId(0);
        return new RequestContext(INTERNAL, ApiKeys.OFFSET_COMMIT, VERSION, header, System.nanoTime());
    }
}
