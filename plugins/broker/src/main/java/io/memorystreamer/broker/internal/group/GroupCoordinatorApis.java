package io.memorystreamer.broker.internal.group;

import io.memorystreamer.broker.internal.BrokerSettings;
import io.memorystreamer.broker.internal.admin.AdvertisedEndpoints;
import io.memorystreamer.broker.internal.api.ApiHandler;
import io.memorystreamer.broker.internal.topic.TopicCatalog;
import io.memorystreamer.broker.internal.txn.GroupOffsetSink;
import io.memorystreamer.broker.internal.txn.PendingOffsets;
import io.memorystreamer.spi.state.StateException;
import io.memorystreamer.spi.state.StateStore;
import java.util.ArrayList;
import java.util.Collections;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.LongSupplier;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.message.JoinGroupResponseData;
import org.apache.kafka.common.message.SyncGroupResponseData;
import org.apache.kafka.common.protocol.ApiKeys;
import org.apache.kafka.common.protocol.Errors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The group coordinator of this single node: Kafka's classic consumer group protocol
 * (FindCoordinator, JoinGroup, SyncGroup, Heartbeat, LeaveGroup, OffsetCommit, OffsetFetch,
 * ListGroups, DescribeGroups, DeleteGroups, OffsetDelete) and the consumer group protocol of
 * KIP-848 (ConsumerGroupHeartbeat, ConsumerGroupDescribe, with server-side assignors), unless
 * {@code group.coordinator.rebalance.protocols} leaves {@code consumer} out. Both kinds of groups
 * share one namespace of group ids and the committed offsets.
 *
 * <p>Threads: handlers run on broker request threads and hold one group's lock at a time (no
 * global lock). JoinGroup and SyncGroup return incomplete stages that complete when the rebalance
 * moves on, on whichever thread moves it (another request or a timer); no thread ever waits for
 * them. Timers (initial rebalance delay, rebalance and sync timeouts, session expiry, offset
 * retention every {@code offsets.retention.check.interval.ms}) run on the shared scheduler.
 *
 * <p>Durable state: committed offsets (namespace {@code group-offsets}) are stored before an
 * OffsetCommit is answered; each group's protocol type and generation (namespace {@code groups})
 * when it becomes Stable or Empty. After a restart groups come back empty with their offsets;
 * members rejoin as after any coordinator change.
 */
public final class GroupCoordinatorApis implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(GroupCoordinatorApis.class);

    private final AtomicBoolean closed = new AtomicBoolean();
    private final GroupServices services;
    private final Map<ApiKeys, ApiHandler> handlers;
    private final ScheduledFuture<?> retention;
    private final GroupOffsetSink transactionalOffsets;

    /**
     * @param pending the offsets of open transactions, for OffsetFetch with {@code require_stable}
     * @throws IllegalArgumentException naming the key of an invalid group setting
     */
    public GroupCoordinatorApis(TopicCatalog catalog, StateStore state, BrokerSettings settings,
            ScheduledExecutorService scheduler, PendingOffsets pending) {
        this(catalog, state, settings, scheduler, pending, System::currentTimeMillis);
    }

    /**
     * @param clock wall-clock milliseconds for commit timestamps and retention (tests move it)
     * @throws IllegalArgumentException naming the key of an invalid group setting
     */
    GroupCoordinatorApis(TopicCatalog catalog, StateStore state, BrokerSettings settings,
            ScheduledExecutorService scheduler, PendingOffsets pending, LongSupplier clock) {
        Objects.requireNonNull(catalog, "catalog");
        Objects.requireNonNull(pending, "pending");
        Objects.requireNonNull(state, "state");
        Objects.requireNonNull(settings, "settings");
        Objects.requireNonNull(scheduler, "scheduler");
        GroupConfig config = GroupConfig.from(settings.raw());
        ConsumerGroupConfig consumerConfig = ConsumerGroupConfig.from(settings.raw());
        GroupStore store = new GroupStore(state);
        GroupRegistry registry = new GroupRegistry(clock);
        GroupStore.Contents stored = store.load();
        registry.restore(stored);
        GroupTimers timers = new GroupTimers(scheduler);
        Rebalancer rebalancer = new Rebalancer(registry, timers, config, store, clock);
        ConsumerGroupRebalancer consumerRebalancer = new ConsumerGroupRebalancer(registry, timers, consumerConfig, store,
                catalog, clock);
        this.services = new GroupServices(catalog, registry, rebalancer, consumerRebalancer, store, config, clock, closed);
        AdvertisedEndpoints endpoints = AdvertisedEndpoints.parse(
                Optional.ofNullable(settings.raw().get("advertised.listeners")));

        Map<ApiKeys, ApiHandler> map = new EnumMap<>(ApiKeys.class);
        map.put(ApiKeys.FIND_COORDINATOR, new FindCoordinatorHandler(settings.nodeId(), endpoints, services::isActive));
        map.put(ApiKeys.JOIN_GROUP, new JoinGroupHandler(services));
        map.put(ApiKeys.SYNC_GROUP, new SyncGroupHandler(services));
        map.put(ApiKeys.HEARTBEAT, new HeartbeatHandler(services));
        map.put(ApiKeys.LEAVE_GROUP, new LeaveGroupHandler(services));
        map.put(ApiKeys.OFFSET_COMMIT, new OffsetCommitHandler(services));
        map.put(ApiKeys.OFFSET_FETCH, new OffsetFetchHandler(services, pending));
        map.put(ApiKeys.LIST_GROUPS, new ListGroupsHandler(services));
        map.put(ApiKeys.DESCRIBE_GROUPS, new DescribeGroupsHandler(services));
        map.put(ApiKeys.DELETE_GROUPS, new DeleteGroupsHandler(services));
        map.put(ApiKeys.OFFSET_DELETE, new OffsetDeleteHandler(services));
        if (consumerConfig.enabled()) {
            map.put(ApiKeys.CONSUMER_GROUP_HEARTBEAT, new ConsumerGroupHeartbeatHandler(services));
            map.put(ApiKeys.CONSUMER_GROUP_DESCRIBE, new ConsumerGroupDescribeHandler(services));
        }
        this.handlers = Collections.unmodifiableMap(map);
        this.transactionalOffsets = new TransactionalOffsetCommits(services);
        this.retention = timers.every(config.retentionCheckIntervalMs(), "offset retention", new OffsetRetention(services));
        LOG.info("Group coordinator ready: groups={} committedOffsets={} minSessionTimeoutMs={} maxSessionTimeoutMs={} "
                + "initialRebalanceDelayMs={} offsetsRetentionMs={}", registry.snapshot().size(),
                stored.offsets().values().stream().mapToInt(Map::size).sum(), config.minSessionTimeoutMs(),
                config.maxSessionTimeoutMs(), config.initialRebalanceDelayMs(), config.offsetsRetentionMs());
        LOG.info("Consumer group protocol (KIP-848) {}: assignors={} heartbeatIntervalMs={} sessionTimeoutMs={} maxSize={}",
                consumerConfig.enabled() ? "enabled" : "disabled", consumerConfig.assignors(),
                consumerConfig.heartbeatIntervalMs(), consumerConfig.sessionTimeoutMs(), consumerConfig.maxSize());
    }

    /** The handlers of the group APIs, by API key. */
    public Map<ApiKeys, ApiHandler> handlers() {
        return handlers;
    }

    /**
     * The group side of transactional offset commits, for the transaction coordinator: member
     * checks at TxnOffsetCommit, and the offsets of committed transactions.
     */
    public GroupOffsetSink transactionalOffsets() {
        return transactionalOffsets;
    }

    /**
     * Forgets every group's committed offsets of a deleted topic, as Kafka does; consumer groups
     * subscribed to it get a new target assignment.
     */
    public void onTopicDeleted(String topic) {
        services.registry().runOnEach("forgetting the offsets of deleted topic " + topic, g -> {
            List<TopicPartition> partitions = new ArrayList<>();
            for (TopicPartition partition : g.offsets().keySet()) {
                if (partition.topic().equals(topic)) {
                    partitions.add(partition);
                }
            }
            try {
                services.store().deleteOffsets(g.groupId(), partitions);
                partitions.forEach(g.offsets()::remove);
            } catch (StateException e) {
                LOG.warn("Could not delete the offsets of deleted topic {} for group {}: {}", topic, g.groupId(),
                        e.getMessage());
            }
            if (g instanceof ConsumerGroup consumerGroup) {
                services.consumerRebalancer().onTopicsChanged(consumerGroup);
            }
        });
    }

    /**
     * Stops serving: parked JoinGroup and SyncGroup requests are answered with NOT_COORDINATOR (so
     * clients look for the coordinator again), timers stop, and new requests get
     * COORDINATOR_NOT_AVAILABLE. Everything durable is already stored. Idempotent.
     */
    @Override
    public void close() {
        if (!closed.compareAndSet(false, true)) {
            return;
        }
        retention.cancel(false);
        services.registry().runOnEach("unloading", g -> {
            switch (g) {
                case ClassicGroup classic -> unload(classic);
                case ConsumerGroup consumer -> services.consumerRebalancer().unload(consumer);
            }
        });
        LOG.info("Group coordinator stopped");
    }

    private static void unload(ClassicGroup group) {
        group.joinTimer().cancel();
        group.syncTimer().cancel();
        for (GroupMember member : group.members()) {
            member.heartbeatTimer().cancel();
            group.completeJoin(member, new JoinGroupResponseData()
                    .setMemberId(member.memberId())
                    .setErrorCode(Errors.NOT_COORDINATOR.code()));
            group.completeSync(member, new SyncGroupResponseData()
                    .setErrorCode(Errors.NOT_COORDINATOR.code()));
        }
    }

    /** For tests: the shared services. */
    GroupServices services() {
        return services;
    }
}
