package io.memorystreamer.broker.internal.admin;

import io.memorystreamer.broker.internal.ServerProperties;
import io.memorystreamer.broker.internal.topic.TopicConfigKey;
import io.memorystreamer.broker.internal.topic.TopicConfigResolver;
import io.memorystreamer.spi.state.StateNamespace;
import io.memorystreamer.spi.state.StateStore;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.function.Consumer;
import java.util.function.Function;
import org.apache.kafka.common.errors.InvalidConfigurationException;
import org.apache.kafka.common.errors.InvalidRequestException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The dynamic broker configs that IncrementalAlterConfigs and AlterConfigs set on BROKER
 * resources: persisted in the state store (see {@link BrokerConfigRecordCodec}), overlaid on the
 * static configuration, and turned into the topic config resolver the topics use, so a change
 * applies without a restart.
 *
 * <p>Thread-safe: readers get an immutable snapshot; changes are serialised, and each is stored
 * and then applied before the next one starts.
 */
public final class DynamicBrokerConfigs {

    private static final Logger LOG = LoggerFactory.getLogger(DynamicBrokerConfigs.class);

    private record Snapshot(BrokerConfigLayers layers, TopicConfigResolver resolver) {
    }

    private final StateNamespace store;
    private final int nodeId;
    private final Object lock = new Object();
    private volatile Snapshot current;

    private DynamicBrokerConfigs(StateNamespace store, int nodeId, Snapshot initial) {
        this.store = store;
        this.nodeId = nodeId;
        this.current = initial;
    }

    /**
     * Reads the stored dynamic configs of this broker and the cluster-wide defaults. A stored value
     * that is no longer valid is skipped with a warning, so a tightened rule never stops a start.
     *
     * @throws IllegalArgumentException naming the key when the static configuration is invalid
     */
    public static DynamicBrokerConfigs load(ServerProperties properties, int nodeId, StateStore state) {
        StateNamespace store = state.namespace(BrokerConfigRecordCodec.NAMESPACE);
        Map<String, String> staticConfig = properties.asMap();
        Snapshot snapshot = new Snapshot(new BrokerConfigLayers(staticConfig, Map.of(), Map.of()),
                new TopicConfigResolver(properties));
        Map<String, String> clusterDefault = readValid(store, DynamicScope.CLUSTER_DEFAULT, nodeId, staticConfig);
        Map<String, String> broker = readValid(store, DynamicScope.BROKER, nodeId, staticConfig);
        if (!clusterDefault.isEmpty() || !broker.isEmpty()) {
            BrokerConfigLayers layers = new BrokerConfigLayers(staticConfig, clusterDefault, broker);
            try {
                snapshot = new Snapshot(layers, resolverOf(layers));
                LOG.info("Dynamic broker configs loaded: clusterDefault={} broker={}", clusterDefault, broker);
            } catch (InvalidRequestException e) {
                LOG.warn("Stored dynamic broker configs are not valid together, using the static configuration: {}",
                        e.getMessage());
            }
        }
        return new DynamicBrokerConfigs(store, nodeId, snapshot);
    }

    /** The resolver over the current effective configuration (static overlaid by dynamic). */
    public TopicConfigResolver resolver() {
        return current.resolver();
    }

    int nodeId() {
        return nodeId;
    }

    /** The current layers, for describing. */
    BrokerConfigLayers layers() {
        return current.layers();
    }

    /**
     * Replaces the dynamic configs of one scope: computes them from the current layers, checks
     * them, stores them, and hands the new resolver to {@code apply} (which reconfigures the
     * topics), all before the next change starts, so concurrent edits never lose one another.
     *
     * @param edit the complete new set of the scope's dynamic configs, from the current layers
     * @param validateOnly only check; nothing is stored or applied
     * @throws InvalidConfigurationException naming an unknown key
     * @throws InvalidRequestException for a key that cannot change at runtime or an invalid value
     */
    void alter(DynamicScope scope, Function<BrokerConfigLayers, Map<String, String>> edit, boolean validateOnly,
            Consumer<TopicConfigResolver> apply) {
        synchronized (lock) {
            Snapshot before = current;
            Map<String, String> normalised = validate(edit.apply(before.layers()), before.layers().staticConfig());
            BrokerConfigLayers layers = before.layers().with(scope, normalised);
            TopicConfigResolver resolver = resolverOf(layers);
            if (validateOnly) {
                return;
            }
            byte[] key = BrokerConfigRecordCodec.key(scope, nodeId);
            if (normalised.isEmpty()) {
                store.delete(key);
            } else {
                store.put(key, BrokerConfigRecordCodec.encode(normalised));
            }
            current = new Snapshot(layers, resolver);
            apply.accept(resolver);
            LOG.info("Dynamic broker configs altered: scope={} configs={}", scope, normalised);
        }
    }

    /**
     * Checks dynamic configs and returns them normalised, sorted by key. As Kafka, a value that is
     * well-formed but cannot be applied is an invalid request.
     */
    static Map<String, String> validate(Map<String, String> configs, Map<String, String> staticConfig) {
        for (String key : configs.keySet()) {
            if (!BrokerConfigKeys.isKnown(key, staticConfig)) {
                throw new InvalidConfigurationException("Unknown broker config name: " + key);
            }
        }
        List<String> notDynamic = configs.keySet().stream().filter(k -> !BrokerConfigKeys.isDynamic(k)).sorted().toList();
        if (!notDynamic.isEmpty()) {
            throw new InvalidRequestException("Cannot update these configs dynamically: " + notDynamic);
        }
        Map<String, String> normalised = new TreeMap<>();
        for (Map.Entry<String, String> e : configs.entrySet()) {
            if (e.getValue() == null) {
                throw new InvalidRequestException("Null value not supported for : " + e.getKey());
            }
            TopicConfigKey topicKey = BrokerConfigKeys.topicKeyOf(e.getKey()).orElseThrow();
            try {
                normalised.put(e.getKey(), topicKey.check().check(e.getKey(), e.getValue()));
            } catch (InvalidConfigurationException invalid) {
                throw new InvalidRequestException(invalid.getMessage());
            }
        }
        return normalised;
    }

    private static TopicConfigResolver resolverOf(BrokerConfigLayers layers) {
        try {
            return new TopicConfigResolver(ServerProperties.of(layers.merged()));
        } catch (IllegalArgumentException e) {
            throw new InvalidRequestException(e.getMessage());
        }
    }

    private static Map<String, String> readValid(StateNamespace store, DynamicScope scope, int nodeId,
            Map<String, String> staticConfig) {
        Optional<byte[]> stored = store.get(BrokerConfigRecordCodec.key(scope, nodeId));
        if (stored.isEmpty()) {
            return Map.of();
        }
        Map<String, String> valid = new TreeMap<>();
        BrokerConfigRecordCodec.decode(stored.get()).forEach((key, value) -> {
            try {
                valid.putAll(validate(Map.of(key, value), staticConfig));
            } catch (RuntimeException e) {
                LOG.warn("Stored dynamic broker config skipped: scope={} key={} reason={}", scope, key, e.getMessage());
            }
        });
        return valid;
    }
}
