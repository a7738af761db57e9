package io.memorystreamer.broker.internal;

import io.memorystreamer.broker.internal.admin.AdminApis;
import io.memorystreamer.broker.internal.admin.AdvertisedEndpoints;
import io.memorystreamer.broker.internal.admin.ApiVersionsHandler;
import io.memorystreamer.broker.internal.admin.DynamicBrokerConfigs;
import io.memorystreamer.broker.internal.api.ApiHandler;
import io.memorystreamer.broker.internal.codec.KafkaConnectionHandler;
import io.memorystreamer.broker.internal.codec.RequestDispatcher;
import io.memorystreamer.broker.internal.codec.SupportedApis;
import io.memorystreamer.broker.internal.group.GroupCoordinatorApis;
import io.memorystreamer.broker.internal.produce.DataPlaneApis;
import io.memorystreamer.broker.internal.topic.TopicConfigResolver;
import io.memorystreamer.broker.internal.topic.TopicManager;
import io.memorystreamer.broker.internal.txn.TransactionApis;
import io.memorystreamer.spi.state.StateStore;
import io.memorystreamer.spi.storage.PartitionLogFactory;
import io.memorystreamer.spi.transport.ConnectionHandler;
import io.memorystreamer.spi.transport.ConnectionInfo;
import java.time.Duration;
import java.util.EnumMap;
import java.util.EnumSet;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.kafka.common.protocol.ApiKeys;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The whole Kafka protocol side of the broker, independent of OSGi: settings, topics, request
 * threads, the data-plane, group coordinator and admin APIs, and the dispatcher. The DS component is a thin shell over
 * it, and tests build it directly over real storage and state.
 *
 * <p>Lifecycle: {@link #start} once, {@link #open} per connection, {@link #drain} to refuse new
 * requests, {@link #close} once (waits for in-flight requests, then closes the data plane and
 * flushes and closes every log).
 */
public final class BrokerRuntime implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(BrokerRuntime.class);
    /** How long close waits for in-flight requests (a long-poll fetch waits at most its max wait). */
    private static final Duration DRAIN_TIMEOUT = Duration.ofSeconds(30);

    private final BrokerSettings settings;
    private final TopicManager topics;
    private final ExecutorService requestExecutor;
    private final ScheduledExecutorService scheduler;
    private final DataPlaneApis dataPlane;
    private final GroupCoordinatorApis groups;
    private final TransactionApis transactions;
    private final SupportedApis supportedApis;
    private final RequestDispatcher dispatcher;

    private BrokerRuntime(BrokerSettings settings, TopicManager topics, ExecutorService requestExecutor,
            ScheduledExecutorService scheduler, DataPlaneApis dataPlane, GroupCoordinatorApis groups,
            TransactionApis transactions, SupportedApis supportedApis, RequestDispatcher dispatcher) {
        this.settings = settings;
        this.topics = topics;
        this.requestExecutor = requestExecutor;
        this.scheduler = scheduler;
        this.dataPlane = dataPlane;
        this.groups = groups;
        this.transactions = transactions;
        this.supportedApis = supportedApis;
        this.dispatcher = dispatcher;
    }

    /**
     * Parses the configuration, loads topics (opening and recovering their logs) and starts the
     * request threads.
     *
     * @param configuration the server configuration (Kafka keys; values as Strings or objects)
     * @throws IllegalArgumentException naming the key of an invalid setting
     */
    public static BrokerRuntime start(Map<String, ?> configuration, PartitionLogFactory logs, StateStore state) {
        ServerProperties properties = ServerProperties.of(configuration);
        BrokerSettings settings = BrokerSettingsParser.parse(properties);
        // Dynamic broker configs (stored by IncrementalAlterConfigs) overlay the static ones from the start.
        DynamicBrokerConfigs dynamicConfigs = DynamicBrokerConfigs.load(properties, settings.nodeId(), state);
        TopicConfigResolver resolver = dynamicConfigs.resolver();
        AdvertisedEndpoints endpoints = AdvertisedEndpoints.parse(properties.get("advertised.listeners"));
        TopicManager topics = new TopicManager(state, logs, resolver);
        ExecutorService requestExecutor = null;
        ScheduledExecutorService scheduler = null;
        DataPlaneApis dataPlane = null;
        GroupCoordinatorApis groups = null;
        TransactionApis transactions = null;
        try {
            topics.start();
            requestExecutor = Executors.newFixedThreadPool(settings.numIoThreads(), threads("broker-request-"));
            scheduler = Executors.newSingleThreadScheduledExecutor(threads("broker-scheduler-"));
            dataPlane = new DataPlaneApis(topics, state, settings, scheduler);
            topics.addDeletionListener(dataPlane::onTopicDeleted);
            transactions = new TransactionApis(topics, state, settings, scheduler, dataPlane);
            groups = new GroupCoordinatorApis(topics, state, settings, scheduler, transactions.pendingOffsets());
            topics.addDeletionListener(groups::onTopicDeleted);

            Map<ApiKeys, ApiHandler> handlers = new EnumMap<>(ApiKeys.class);
            handlers.putAll(dataPlane.handlers());
            handlers.putAll(groups.handlers());
            handlers.putAll(transactions.handlers());
            transactions.bindGroupOffsets(groups.transactionalOffsets());
            handlers.putAll(AdminApis.handlers(topics, settings, endpoints, dynamicConfigs, dataPlane));
            Set<ApiKeys> apis = EnumSet.copyOf(handlers.keySet());
            apis.add(ApiKeys.API_VERSIONS);
            SupportedApis supported = SupportedApis.of(apis, Map.of());
            handlers.put(ApiKeys.API_VERSIONS, new ApiVersionsHandler(supported));
            RequestDispatcher dispatcher = new RequestDispatcher(handlers, supported, requestExecutor);
            LOG.info("Kafka protocol ready: nodeId={} clusterId={} topics={} apis={}", settings.nodeId(),
                    topics.clusterId(), topics.topics().size(), supported.apis());
            return new BrokerRuntime(settings, topics, requestExecutor, scheduler, dataPlane, groups, transactions,
                    supported, dispatcher);
        } catch (RuntimeException e) {
            if (groups != null) {
                groups.close();
            }
            if (transactions != null) {
                transactions.close();
            }
            if (dataPlane != null) {
                dataPlane.close();
            }
            shutdown(requestExecutor);
            shutdown(scheduler);
            topics.close();
            throw e;
        }
    }

    public BrokerSettings settings() {
        return settings;
    }

    public TopicManager topics() {
        return topics;
    }

    public SupportedApis supportedApis() {
        return supportedApis;
    }

    /** The handler of a new connection. Cheap; safe on a network event loop. */
    public ConnectionHandler open(ConnectionInfo connection) {
        return new KafkaConnectionHandler(connection, dispatcher);
    }

    /** Frames that arrive from now on are answered with a close. */
    public void drain() {
        dispatcher.drain();
    }

    /**
     * Drains, releases parked group requests, waits for in-flight requests, closes the data plane,
     * then flushes and closes every log.
     */
    @Override
    public void close() {
        dispatcher.drain();
        try {
            // Parked JoinGroup/SyncGroup requests would otherwise hold shutdown for a rebalance timeout.
            groups.close();
        } catch (RuntimeException e) {
            LOG.warn("Closing the group coordinator failed", e);
        }
        transactions.close();
        try {
            if (!dispatcher.awaitIdle(DRAIN_TIMEOUT)) {
                LOG.warn("Requests still in flight after {}; closing anyway", DRAIN_TIMEOUT);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        try {
            dataPlane.close();
        } catch (RuntimeException e) {
            LOG.warn("Closing the data plane failed", e);
        }
        shutdown(requestExecutor);
        shutdown(scheduler);
        topics.close();
        LOG.info("Kafka protocol stopped: nodeId={}", settings.nodeId());
    }

    private static void shutdown(ExecutorService executor) {
        if (executor == null) {
            return;
        }
        executor.shutdown();
        try {
            if (!executor.awaitTermination(10, TimeUnit.SECONDS)) {
                executor.shutdownNow();
            }
        } catch (InterruptedException e) {
            executor.shutdownNow();
            Thread.currentThread().interrupt();
        }
    }

    private static ThreadFactory threads(String prefix) {
        AtomicInteger counter = new AtomicInteger();
        return runnable -> {
            Thread thread = new Thread(runnable, prefix + counter.incrementAndGet());
            thread.setDaemon(true);
            return thread;
        };
    }
}
