package io.memorystreamer.broker.internal.txn;

import io.memorystreamer.broker.internal.BrokerSettings;
import io.memorystreamer.broker.internal.api.ApiHandler;
import io.memorystreamer.broker.internal.produce.DataPlaneApis;
import io.memorystreamer.broker.internal.topic.TopicCatalog;
import io.memorystreamer.spi.state.StateStore;
import java.util.Collections;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.LongSupplier;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.protocol.ApiKeys;
import org.apache.kafka.common.protocol.Errors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The transaction coordinator's Kafka APIs: AddPartitionsToTxn, AddOffsetsToTxn, TxnOffsetCommit,
 * EndTxn, ListTransactions and DescribeTransactions; InitProducerId with a transactional id and
 * the verification of transactional batches come to it through the data plane, which it binds
 * itself to on construction.
 *
 * <p>Durable state: namespace {@code transactions} (one versioned record per transactional id).
 * After a restart, transactions that were being completed are completed again, open ones
 * continue (or time out).
 *
 * <p>Background work on the shared scheduler: every
 * {@code transaction.abort.timed.out.transaction.cleanup.interval.ms} open transactions past their
 * timeout are aborted (the producer is fenced) and prepared transactions whose markers could not
 * be written are retried; every
 * {@code transaction.remove.expired.transaction.cleanup.interval.ms} transactional ids idle longer
 * than {@code transactional.id.expiration.ms} are forgotten.
 *
 * <p>Consumer groups: committed transactions hand their offsets to the {@link GroupOffsetSink}
 * bound with {@link #bindGroupOffsets}; the group coordinator asks {@link #pendingOffsets()} for
 * {@code require_stable}.
 */
public final class TransactionApis implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(TransactionApis.class);

    /** Until a group coordinator is bound: offsets cannot be committed, so transactions keep them. */
    private static final GroupOffsetSink NO_GROUPS = new GroupOffsetSink() {
        @Override
        public Errors validateMember(String groupId, String memberId, String groupInstanceId, int generationId) {
            return Errors.COORDINATOR_NOT_AVAILABLE;
        }

        @Override
        public void commit(String groupId, Map<TopicPartition, PendingOffset> offsets) {
            throw new IllegalStateException("no group coordinator to commit the offsets of group " + groupId);
        }
    };

    private final TransactionCoordinator coordinator;
    private final AtomicReference<GroupOffsetSink> groups = new AtomicReference<>(NO_GROUPS);
    private final Map<ApiKeys, ApiHandler> handlers;
    private final List<ScheduledFuture<?>> timers;
    private final AtomicBoolean closed = new AtomicBoolean();

    /**
     * Loads the transactional ids, binds the coordinator to the data plane and starts its timers.
     *
     * @throws IllegalArgumentException naming the key of an invalid transaction setting
     */
    public TransactionApis(TopicCatalog catalog, StateStore state, BrokerSettings settings,
            ScheduledExecutorService scheduler, DataPlaneApis dataPlane) {
        this(catalog, state, settings, scheduler, dataPlane, System::currentTimeMillis);
    }

    TransactionApis(TopicCatalog catalog, StateStore state, BrokerSettings settings, ScheduledExecutorService scheduler,
            DataPlaneApis dataPlane, LongSupplier clock) {
        Objects.requireNonNull(catalog, "catalog");
        Objects.requireNonNull(scheduler, "scheduler");
        TransactionSettings config = TransactionSettings.from(settings.raw());
        TransactionStore store = new TransactionStore(state);
        TransactionCompleter completer = new TransactionCompleter(store, dataPlane.transactionMarkers(), groups::get,
                clock);
        this.coordinator = new TransactionCoordinator(store, config, completer, groups::get,
                dataPlane::allocateProducerId, clock);
        int loaded = coordinator.load();
        dataPlane.bindTransactionCoordinator(coordinator);

        TransactionListings listings = new TransactionListings(coordinator, clock);
        Map<ApiKeys, ApiHandler> map = new EnumMap<>(ApiKeys.class);
        map.put(ApiKeys.ADD_PARTITIONS_TO_TXN, new AddPartitionsToTxnHandler(coordinator, catalog));
        map.put(ApiKeys.ADD_OFFSETS_TO_TXN, new AddOffsetsToTxnHandler(coordinator));
        map.put(ApiKeys.TXN_OFFSET_COMMIT, new TxnOffsetCommitHandler(coordinator, catalog, clock));
        map.put(ApiKeys.END_TXN, new EndTxnHandler(coordinator));
        map.put(ApiKeys.LIST_TRANSACTIONS, listings.listHandler());
        map.put(ApiKeys.DESCRIBE_TRANSACTIONS, listings.describeHandler());
        this.handlers = Collections.unmodifiableMap(map);

        this.timers = List.of(
                // Prepared transactions left by a restart are completed right away.
                scheduler.scheduleWithFixedDelay(() -> safely("completing prepared transactions",
                        coordinator::completePrepared), 0, config.abortTimedOutIntervalMs(), TimeUnit.MILLISECONDS),
                scheduler.scheduleWithFixedDelay(() -> safely("aborting timed out transactions",
                        coordinator::abortTimedOut), config.abortTimedOutIntervalMs(),
                        config.abortTimedOutIntervalMs(), TimeUnit.MILLISECONDS),
                scheduler.scheduleWithFixedDelay(() -> safely("expiring transactional ids", this::expire),
                        config.removeExpiredIntervalMs(), config.removeExpiredIntervalMs(), TimeUnit.MILLISECONDS));
        LOG.info("Transaction coordinator ready: transactionalIds={} maxTimeoutMs={} idExpirationMs={} "
                + "partitionVerification={}", loaded, config.maxTimeoutMs(), config.idExpirationMs(),
                config.partitionVerification());
    }

    /** The handlers of the transaction APIs, by API key. */
    public Map<ApiKeys, ApiHandler> handlers() {
        return handlers;
    }

    /** Plugs in the group coordinator's side of transactional offset commits. */
    public void bindGroupOffsets(GroupOffsetSink sink) {
        groups.set(Objects.requireNonNull(sink, "sink"));
    }

    /** What OffsetFetch with {@code require_stable} asks. */
    public PendingOffsets pendingOffsets() {
        return coordinator::hasPendingOffset;
    }

    /** Stops the timers. Everything durable is already stored. Idempotent. */
    @Override
    public void close() {
        if (!closed.compareAndSet(false, true)) {
            return;
        }
        timers.forEach(timer -> timer.cancel(false));
        LOG.info("Transaction coordinator stopped");
    }

    /** For tests: the state machine. */
    TransactionCoordinator coordinator() {
        return coordinator;
    }

    /** Runs the periodic work now (tests move the clock, then call this). */
    void runTimers() {
        coordinator.completePrepared();
        coordinator.abortTimedOut();
        expire();
    }

    private void expire() {
        int removed = coordinator.expireIdle();
        if (removed > 0) {
            LOG.info("Expired idle transactional ids: count={}", removed);
        }
    }

    private static void safely(String what, Runnable task) {
        try {
            task.run();
        } catch (RuntimeException e) {
            // Must not escape: a periodic task that throws is never run again.
            LOG.warn("Failed {}, retrying next time: {}", what, e.getMessage());
        }
    }
}
