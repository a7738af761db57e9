package io.memorystreamer.broker.internal.admin;

import io.memorystreamer.broker.internal.topic.ResolvedConfig.Synonym;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import org.apache.kafka.common.requests.DescribeConfigsResponse.ConfigSource;

/**
 * The broker configuration in Kafka's layers, highest precedence first: dynamic configs of this
 * broker, dynamic cluster-wide defaults, the static {@code server.properties}, and Kafka's
 * defaults. A static value equal to Kafka's default counts as the default. Immutable.
 */
final class BrokerConfigLayers {

    private final Map<String, String> staticConfig;
    private final Map<String, String> defaults;
    private final Map<String, String> clusterDefault;
    private final Map<String, String> broker;

    BrokerConfigLayers(Map<String, String> staticConfig, Map<String, String> clusterDefault,
            Map<String, String> broker) {
        this.staticConfig = Map.copyOf(staticConfig);
        this.defaults = Map.copyOf(BrokerConfigKeys.defaults());
        this.clusterDefault = Map.copyOf(clusterDefault);
        this.broker = Map.copyOf(broker);
    }

    /** The same layers with the dynamic configs of one scope replaced. */
    BrokerConfigLayers with(DynamicScope scope, Map<String, String> configs) {
        return scope == DynamicScope.BROKER
                ? new BrokerConfigLayers(staticConfig, clusterDefault, configs)
                : new BrokerConfigLayers(staticConfig, configs, broker);
    }

    /** The dynamic configs set in one scope, sorted by key. */
    Map<String, String> dynamic(DynamicScope scope) {
        return new TreeMap<>(scope == DynamicScope.BROKER ? broker : clusterDefault);
    }

    Map<String, String> staticConfig() {
        return staticConfig;
    }

    /** Every key with its effective value: static, overlaid by cluster defaults, then by this broker. */
    Map<String, String> merged() {
        Map<String, String> merged = new HashMap<>(staticConfig);
        merged.putAll(clusterDefault);
        merged.putAll(broker);
        return merged;
    }

    /** Every key that has a value in some layer, sorted. */
    Set<String> keys() {
        Set<String> keys = new TreeSet<>(defaults.keySet());
        keys.addAll(staticConfig.keySet());
        keys.addAll(clusterDefault.keySet());
        keys.addAll(broker.keySet());
        return keys;
    }

    /**
     * Where the keys of a synonym group get values, in Kafka's order: every dynamic broker value,
     * then every dynamic default, every static value, every Kafka default; within a layer in the
     * order of {@code names}.
     *
     * @param names a synonym group, most specific first
     * @param hideValues report null values (secrets)
     */
    List<Synonym> synonyms(List<String> names, boolean hideValues) {
        List<Synonym> synonyms = new ArrayList<>();
        addFrom(broker, ConfigSource.DYNAMIC_BROKER_CONFIG, names, hideValues, synonyms);
        addFrom(clusterDefault, ConfigSource.DYNAMIC_DEFAULT_BROKER_CONFIG, names, hideValues, synonyms);
        for (String name : names) {
            String value = staticConfig.get(name);
            if (value != null && !value.isEmpty() && !value.equals(defaults.get(name))) {
                synonyms.add(new Synonym(name, hideValues ? null : value, ConfigSource.STATIC_BROKER_CONFIG));
            }
        }
        addFrom(defaults, ConfigSource.DEFAULT_CONFIG, names, hideValues, synonyms);
        return synonyms;
    }

    private static void addFrom(Map<String, String> layer, ConfigSource source, List<String> names, boolean hide,
            List<Synonym> into) {
        for (String name : names) {
            String value = layer.get(name);
            if (value != null) {
                into.add(new Synonym(name, hide ? null : value, source));
            }
        }
    }
}
