package io.memorystreamer.broker.internal.produce;

import io.memorystreamer.broker.internal.BrokerSettings;
import io.memorystreamer.broker.internal.api.ApiHandler;
import io.memorystreamer.broker.internal.fetch.DelayedFetches;
import io.memorystreamer.broker.internal.fetch.FetchHandler;
import io.memorystreamer.broker.internal.fetch.ListOffsetsHandler;
import io.memorystreamer.broker.internal.topic.TopicCatalog;
import io.memorystreamer.broker.internal.topic.TopicInfo;
import io.memorystreamer.spi.state.StateStore;
import io.memorystreamer.spi.storage.PartitionLog;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.LongSupplier;
import org.apache.kafka.common.protocol.ApiKeys;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The data-plane Kafka APIs: Produce, Fetch, ListOffsets, InitProducerId and DescribeProducers,
 * with idempotent and transactional producer state, last stable offsets, the aborted-transaction
 * index and long-poll fetches. The transaction coordinator plugs in through
 * {@link #bindTransactionCoordinator} and writes its markers through {@link #transactionMarkers()}.
 *
 * <p>Handlers run on broker request threads and may block briefly on storage; a long-poll fetch
 * returns an incomplete stage that completes on the thread of the append that satisfied it, on
 * the scheduler when its wait runs out, or in {@link #close()}.
 *
 * <p>Durable state: producer ids come from a counter in the state store namespace
 * {@code producer-ids}; each partition's producer state is snapshotted to namespace
 * {@code producer-state} every {@value #MAINTENANCE_INTERVAL_MS} ms (when it changed) and on
 * {@link #close()}, together with new entries of the aborted-transaction index (namespace
 * {@code aborted-txns}), and rebuilt on first use from the snapshot plus the log after it.
 * Producers idle longer than {@code producer.id.expiration.ms} are forgotten (unless a transaction
 * of theirs is open); aborted transactions below the log start offset too.
 */
public final class DataPlaneApis implements AutoCloseable {

    /** How often producer state is expired and snapshotted. */
    static final long MAINTENANCE_INTERVAL_MS = 30_000;
    /** The most fetches parked at once; connections process one request at a time. */
    static final int MAX_PARKED_FETCHES = 10_000;

    private static final Logger LOG = LoggerFactory.getLogger(DataPlaneApis.class);

    private final BrokerSettings settings;
    private final DelayedFetches delayedFetches;
    private final PartitionWriters writers;
    private final ProducerIdAllocator producerIds;
    private final TransactionMarkers markers;
    private final AtomicReference<TransactionCoordination> coordination =
            new AtomicReference<>(TransactionCoordination.NONE);
    private final Map<ApiKeys, ApiHandler> handlers;
    private final ScheduledFuture<?> maintenance;
    private final AtomicBoolean closed = new AtomicBoolean();

    public DataPlaneApis(TopicCatalog catalog, StateStore state, BrokerSettings settings,
            ScheduledExecutorService scheduler) {
        this(catalog, state, settings, scheduler, System::currentTimeMillis);
    }

    DataPlaneApis(TopicCatalog catalog, StateStore state, BrokerSettings settings, ScheduledExecutorService scheduler,
            LongSupplier clock) {
        Objects.requireNonNull(catalog, "catalog");
        Objects.requireNonNull(state, "state");
        this.settings = Objects.requireNonNull(settings, "settings");
        Objects.requireNonNull(scheduler, "scheduler");
        this.delayedFetches = new DelayedFetches(scheduler, MAX_PARKED_FETCHES);
        this.writers = new PartitionWriters(new ProducerStateSnapshots(state), coordination::get, clock);
        this.producerIds = new ProducerIdAllocator(state);
        this.markers = new MarkerWriter(catalog, writers, delayedFetches);
        this.handlers = Map.of(
                ApiKeys.PRODUCE, new ProduceHandler(catalog, writers, delayedFetches),
                ApiKeys.FETCH, new FetchHandler(catalog, delayedFetches, writers),
                ApiKeys.LIST_OFFSETS, new ListOffsetsHandler(catalog, writers),
                ApiKeys.INIT_PRODUCER_ID, new InitProducerIdHandler(producerIds, coordination::get),
                ApiKeys.DESCRIBE_PRODUCERS, new DescribeProducersHandler(catalog, writers));
        this.maintenance = scheduler.scheduleWithFixedDelay(this::maintain, MAINTENANCE_INTERVAL_MS,
                MAINTENANCE_INTERVAL_MS, TimeUnit.MILLISECONDS);
    }

    /** The handlers of the data-plane APIs, by API key. */
    public Map<ApiKeys, ApiHandler> handlers() {
        return handlers;
    }

    /**
     * Plugs in the transaction coordinator: InitProducerId with a transactional id goes to it, and
     * it verifies every transactional batch before it is appended. Call before serving requests.
     */
    public void bindTransactionCoordinator(TransactionCoordination coordinator) {
        coordination.set(Objects.requireNonNull(coordinator, "coordinator"));
    }

    /** Where the transaction coordinator writes its COMMIT and ABORT markers. */
    public TransactionMarkers transactionMarkers() {
        return markers;
    }

    /**
     * A producer id never handed out before, from the same durable counter as idempotent
     * producers' ids.
     *
     * @throws io.memorystreamer.spi.state.StateException if a new block cannot be reserved
     */
    public long allocateProducerId() {
        return producerIds.allocate();
    }

    /**
     * DeleteRecords: advances a partition's log start offset under its write lock (storage
     * writes are serialised per partition), forgetting the producer state of deleted records.
     *
     * @return the new log start offset
     * @throws io.memorystreamer.spi.storage.OffsetOutOfRangeException if beyond the high watermark
     * @throws io.memorystreamer.spi.storage.StorageException if the log fails
     */
    public long deleteRecordsBefore(TopicInfo topic, int partition, PartitionLog log, long offset) {
        return writers.writerFor(topic, partition, log).deleteRecordsBefore(offset);
    }

    /** Answers fetches waiting on the topic and forgets its producer state. */
    public void onTopicDeleted(String topic) {
        delayedFetches.onTopicDeleted(topic);
        writers.forgetTopic(topic);
    }

    /** Answers waiting fetches and persists producer state. Idempotent. */
    @Override
    public void close() {
        if (!closed.compareAndSet(false, true)) {
            return;
        }
        maintenance.cancel(false);
        delayedFetches.close();
        try {
            writers.snapshotChanged();
        } catch (RuntimeException e) {
            LOG.warn("Could not persist producer state on close; it is rebuilt from the logs on start: {}",
                    e.getMessage());
        }
    }

    /** Expires idle producers and snapshots changed producer state now. */
    void maintain() {
        try {
            writers.maintain(settings.producerIdExpirationMs());
            writers.snapshotChanged();
        } catch (RuntimeException e) {
            // Must not escape: a periodic task that throws is never run again.
            LOG.warn("Producer state maintenance failed, retrying next time: {}", e.getMessage());
        }
    }

    /** How many fetches wait for data now. */
    int parkedFetches() {
        return delayedFetches.parkedCount();
    }
}
