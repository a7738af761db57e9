package io.memorystreamer.broker.internal.admin;

import io.memorystreamer.broker.internal.topic.ResolvedConfig.Synonym;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.kafka.common.requests.DescribeConfigsResponse.ConfigSource;
import org.apache.kafka.common.requests.DescribeConfigsResponse.ConfigType;

/**
 * The broker configuration as DescribeConfigs shows it for a BROKER resource, built as Kafka
 * builds it from the configuration layers: for this node, every key with its effective value and
 * the synonyms of its group (dynamic broker, dynamic default, static, default); for the empty
 * name, only the dynamic cluster-wide defaults. Secrets are hidden; only dynamic keys are
 * writable.
 */
final class BrokerConfigs {

    /** One broker config entry; {@code value} is null for sensitive keys. */
    record Entry(String name, String value, ConfigSource source, ConfigType type, boolean sensitive,
            boolean readOnly, List<Synonym> synonyms) {
    }

    private BrokerConfigs() {
    }

    /** The entries of this broker's resource (its node id). */
    static List<Entry> ofBroker(BrokerConfigLayers layers) {
        Map<String, String> merged = layers.merged();
        List<Entry> entries = new ArrayList<>();
        for (String name : layers.keys()) {
            List<Synonym> synonyms = synonymsOf(layers, name);
            String value = merged.get(name);
            if (value == null) {
                value = synonyms.stream().filter(s -> s.name().equals(name)).map(Synonym::value).findFirst().orElse(null);
            }
            entries.add(entry(name, value, synonyms));
        }
        return entries;
    }

    /** The entries of the cluster-wide default resource (empty name): its dynamic configs only. */
    static List<Entry> ofClusterDefault(BrokerConfigLayers layers) {
        List<Entry> entries = new ArrayList<>();
        layers.dynamic(DynamicScope.CLUSTER_DEFAULT).forEach((name, value) -> {
            List<Synonym> synonyms = synonymsOf(layers, name).stream()
                    .filter(s -> s.source() == ConfigSource.DYNAMIC_DEFAULT_BROKER_CONFIG)
                    .toList();
            entries.add(entry(name, value, synonyms));
        });
        return entries;
    }

    private static Entry entry(String name, String value, List<Synonym> synonyms) {
        boolean sensitive = BrokerConfigKeys.isSensitive(name);
        ConfigSource source = synonyms.isEmpty() ? ConfigSource.DEFAULT_CONFIG : synonyms.getFirst().source();
        return new Entry(name, sensitive ? null : value, source, BrokerConfigKeys.typeOf(name), sensitive,
                !BrokerConfigKeys.isDynamic(name), synonyms);
    }

    /** Kafka drops the synonyms ahead of the key itself (more specific keys of its group). */
    private static List<Synonym> synonymsOf(BrokerConfigLayers layers, String name) {
        List<Synonym> all = layers.synonyms(BrokerConfigKeys.synonymsOf(name), BrokerConfigKeys.isSensitive(name));
        int first = 0;
        while (first < all.size() && !all.get(first).name().equals(name)) {
            first++;
        }
        return List.copyOf(all.subList(first, all.size()));
    }
}
