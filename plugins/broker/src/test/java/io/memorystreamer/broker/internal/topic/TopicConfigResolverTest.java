package io.memorystreamer.broker.internal.topic;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.memorystreamer.broker.internal.ServerProperties;
import io.memorystreamer.spi.storage.LogConfig;
import java.util.Map;
import org.apache.kafka.common.errors.InvalidConfigurationException;
import org.apache.kafka.common.requests.DescribeConfigsResponse.ConfigSource;
import org.junit.jupiter.api.Test;

class TopicConfigResolverTest {

    private static TopicConfigResolver resolver(Map<String, String> broker) {
        return new TopicConfigResolver(ServerProperties.of(broker));
    }

    private static TopicConfigKey key(String name) {
        return TopicConfigKeys.find(name).orElseThrow();
    }

    @Test
    void withNothingSetTheLogConfigIsKafkasDefault() {
        assertThat(resolver(Map.of()).logConfig(Map.of())).isEqualTo(LogConfig.DEFAULT);
    }

    @Test
    void brokerKeysInOtherUnitsAreConvertedAndTheMostSpecificWins() {
        // Given hours and minutes set on the broker
        TopicConfigResolver resolver = resolver(Map.of("log.retention.hours", "24", "log.retention.minutes", "30",
                "log.roll.hours", "1", "log.flush.interval.messages", "1"));

        // When the log settings of a topic without overrides are resolved
        LogConfig config = resolver.logConfig(Map.of());

        // Then minutes win over hours, and values are in milliseconds
        assertThat(config.retentionMs()).isEqualTo(30 * 60_000L);
        assertThat(config.segmentMs()).isEqualTo(3_600_000L);
        assertThat(config.flushEveryAppend()).isTrue();
    }

    @Test
    void unlimitedRetentionStaysMinusOneInEveryUnit() {
        assertThat(resolver(Map.of("log.retention.hours", "-1")).logConfig(Map.of()).retentionMs()).isEqualTo(-1);
    }

    @Test
    void aTopicOverrideWinsAndIsReportedAsTopicConfigWithItsSynonyms() {
        // Given a broker that sets retention in hours, and a topic that overrides it
        TopicConfigResolver resolver = resolver(Map.of("log.retention.hours", "24"));

        // When retention.ms is resolved
        ResolvedConfig resolved = resolver.resolve(key("retention.ms"), Map.of("retention.ms", "1000"));

        // Then the topic value wins, followed by the broker's static value
        assertThat(resolved.value()).isEqualTo("1000");
        assertThat(resolved.source()).isEqualTo(ConfigSource.TOPIC_CONFIG);
        assertThat(resolved.synonyms()).extracting(ResolvedConfig.Synonym::name, ResolvedConfig.Synonym::value,
                        ResolvedConfig.Synonym::source)
                .containsExactly(
                        org.assertj.core.groups.Tuple.tuple("retention.ms", "1000", ConfigSource.TOPIC_CONFIG),
                        org.assertj.core.groups.Tuple.tuple("log.retention.hours", "86400000",
                                ConfigSource.STATIC_BROKER_CONFIG));
    }

    @Test
    void aBrokerValueEqualToKafkasDefaultIsReportedAsDefault() {
        ResolvedConfig resolved = resolver(Map.of("log.segment.bytes", "1073741824"))
                .resolve(key("segment.bytes"), Map.of());

        assertThat(resolved.source()).isEqualTo(ConfigSource.DEFAULT_CONFIG);
    }

    @Test
    void cleanupPolicyAndCompactionSettingsOfATopicMakeTheLogCleanup() {
        // Given a topic with a compact policy and its own compaction settings
        Map<String, String> overrides = TopicConfigKeys.validate(Map.of("cleanup.policy", "compact",
                "delete.retention.ms", "1000", "min.cleanable.dirty.ratio", "0.01", "min.compaction.lag.ms", "5",
                "max.compaction.lag.ms", "10"));

        // When its log settings are resolved
        LogConfig config = resolver(Map.of()).logConfig(overrides);

        // Then
        assertThat(config.cleanup()).isEqualTo(new LogConfig.Cleanup(false, true, 1000, 0.01, 5, 10));
    }

    @Test
    void theBrokerCleanerKeysAreTheTopicDefaults() {
        TopicConfigResolver resolver = resolver(Map.of("log.cleanup.policy", "compact,delete",
                "log.cleaner.delete.retention.ms", "5000", "log.cleaner.min.cleanable.ratio", "0.2",
                "log.cleaner.min.compaction.lag.ms", "7", "log.cleaner.max.compaction.lag.ms", "70"));

        assertThat(resolver.logConfig(Map.of()).cleanup()).isEqualTo(new LogConfig.Cleanup(true, true, 5000, 0.2, 7, 70));
        assertThat(resolver.resolve(key("min.cleanable.dirty.ratio"), Map.of()).source())
                .isEqualTo(ConfigSource.STATIC_BROKER_CONFIG);
    }

    @Test
    void theCompactionKeysAreEnforced() {
        assertThat(java.util.List.of("cleanup.policy", "delete.retention.ms", "min.cleanable.dirty.ratio",
                "min.compaction.lag.ms", "max.compaction.lag.ms")).allSatisfy(name -> assertThat(key(name).enforced()).isTrue());
    }

    @Test
    void aMinimumCompactionLagAboveTheMaximumIsInvalidConfig() {
        Map<String, String> overrides = TopicConfigKeys.validate(Map.of("min.compaction.lag.ms", "20",
                "max.compaction.lag.ms", "10"));

        assertThatThrownBy(() -> resolver(Map.of()).logConfig(overrides))
                .isInstanceOf(InvalidConfigurationException.class)
                .hasMessageContaining("min.compaction.lag.ms");
    }

    @Test
    void anEmptyCleanupPolicyIsInvalidConfig() {
        Map<String, String> overrides = TopicConfigKeys.validate(Map.of("cleanup.policy", ""));

        assertThatThrownBy(() -> resolver(Map.of()).logConfig(overrides))
                .isInstanceOf(InvalidConfigurationException.class)
                .hasMessageContaining("cleanup.policy");
    }

    @Test
    void effectiveConfigCarriesMaxMessageBytesAndTimestampType() {
        TopicConfigResolver resolver = resolver(Map.of("message.max.bytes", "2000", "log.message.timestamp.type",
                "LogAppendTime"));

        assertThat(resolver.effective(Map.of())).isEqualTo(new EffectiveTopicConfig(2000, true));
        assertThat(resolver.effective(Map.of("max.message.bytes", "500", "message.timestamp.type", "CreateTime")))
                .isEqualTo(new EffectiveTopicConfig(500, false));
    }

    @Test
    void effectiveConfigMarksCompactedTopics() {
        TopicConfigResolver resolver = resolver(Map.of());

        assertThat(resolver.effective(Map.of("cleanup.policy", "compact")).compacted()).isTrue();
        assertThat(resolver.effective(Map.of("cleanup.policy", "delete,compact")).compacted()).isTrue();
        assertThat(resolver.effective(Map.of()).compacted()).isFalse();
    }

    @Test
    void anInvalidBrokerDefaultFailsNamingTheKey() {
        assertThatThrownBy(() -> resolver(Map.of("log.segment.bytes", "lots")))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("log.segment.bytes");
    }

    @Test
    void unknownTopicKeysAreInvalidConfigNamingTheKey() {
        assertThatThrownBy(() -> TopicConfigKeys.validate(Map.of("retention.forever", "yes")))
                .isInstanceOf(InvalidConfigurationException.class)
                .hasMessage("Unknown topic config name: retention.forever");
    }

    @Test
    void badTopicValuesAreInvalidConfigNamingKeyAndValue() {
        assertThatThrownBy(() -> TopicConfigKeys.validate(Map.of("segment.ms", "0")))
                .isInstanceOf(InvalidConfigurationException.class)
                .hasMessage("Invalid value 0 for configuration segment.ms: Value must be at least 1");
        assertThatThrownBy(() -> TopicConfigKeys.validate(Map.of("cleanup.policy", "shred")))
                .isInstanceOf(InvalidConfigurationException.class)
                .hasMessageContaining("cleanup.policy");
    }

    @Test
    void valuesAreNormalised() {
        assertThat(TopicConfigKeys.validate(Map.of("retention.ms", " 42 ", "cleanup.policy", "compact, delete")))
                .containsExactly(Map.entry("cleanup.policy", "compact,delete"), Map.entry("retention.ms", "42"));
    }
}
