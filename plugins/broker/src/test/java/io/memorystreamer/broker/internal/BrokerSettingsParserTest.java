package io.memorystreamer.broker.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Map;
import org.junit.jupiter.api.Test;

class BrokerSettingsParserTest {

    @Test
    void absentKeysTakeKafkasDefaults() {
        BrokerSettings settings = BrokerSettingsParser.parse(ServerProperties.of(Map.of("node.id", "3")));

        assertThat(settings.nodeId()).isEqualTo(3);
        assertThat(settings.messageMaxBytes()).isEqualTo(1048588);
        assertThat(settings.logAppendTime()).isFalse();
        assertThat(settings.autoCreateTopics()).isTrue();
        assertThat(settings.numPartitions()).isEqualTo(1);
        assertThat(settings.numIoThreads()).isEqualTo(8);
        assertThat(settings.producerIdExpirationMs()).isEqualTo(86_400_000L);
    }

    @Test
    void valuesAreParsedAndComponentPropertiesDropped() {
        BrokerSettings settings = BrokerSettingsParser.parse(ServerProperties.of(Map.of(
                "node.id", "1", "message.max.bytes", "5000", "log.message.timestamp.type", "LogAppendTime",
                "auto.create.topics.enable", "false", "num.partitions", "6", "num.io.threads", "2",
                "component.name", "x", "service.pid", "y")));

        assertThat(settings.messageMaxBytes()).isEqualTo(5000);
        assertThat(settings.logAppendTime()).isTrue();
        assertThat(settings.autoCreateTopics()).isFalse();
        assertThat(settings.numPartitions()).isEqualTo(6);
        assertThat(settings.numIoThreads()).isEqualTo(2);
        assertThat(settings.raw()).doesNotContainKeys("component.name", "service.pid").containsKey("num.partitions");
    }

    @Test
    void anInvalidValueNamesItsKey() {
        assertThatThrownBy(() -> BrokerSettingsParser.parse(ServerProperties.of(Map.of("num.io.threads", "many"))))
                .hasMessageContaining("num.io.threads");
        assertThatThrownBy(() -> BrokerSettingsParser.parse(ServerProperties.of(Map.of("num.partitions", "0"))))
                .hasMessageContaining("num.partitions");
        assertThatThrownBy(() -> BrokerSettingsParser.parse(ServerProperties.of(
                Map.of("log.message.timestamp.type", "Whenever")))).hasMessageContaining("log.message.timestamp.type");
    }
}
