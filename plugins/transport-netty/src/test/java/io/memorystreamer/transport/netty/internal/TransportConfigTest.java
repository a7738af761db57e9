package io.memorystreamer.transport.netty.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.memorystreamer.spi.transport.SecurityProtocol;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class TransportConfigTest {

    @Test
    void absentKeysTakeKafkasDefaults() {
        // When an empty configuration is parsed
        TransportConfig config = TransportConfig.parse(Map.of());

        // Then every setting has its Kafka default
        assertThat(config.listeners()).containsExactly(new ListenerConfig("PLAINTEXT", SecurityProtocol.PLAINTEXT, "", 9092));
        assertThat(config.networkThreads()).isEqualTo(3);
        assertThat(config.maxRequestBytes()).isEqualTo(104_857_600);
        assertThat(config.sendBufferBytes()).isEqualTo(102_400);
        assertThat(config.receiveBufferBytes()).isEqualTo(102_400);
        assertThat(config.maxConnections()).isEqualTo(Integer.MAX_VALUE);
        assertThat(config.idleTimeoutMs()).isEqualTo(600_000);
        assertThat(config.shutdownTimeoutMs()).isEqualTo(30_000);
    }

    @Test
    void settingsAreReadFromTheirKeys() {
        // When every key is set
        TransportConfig config = TransportConfig.parse(Map.of(
                "num.network.threads", "8",
                "socket.request.max.bytes", "1024",
                "socket.send.buffer.bytes", "-1",
                "socket.receive.buffer.bytes", "65536",
                "max.connections", "10",
                "connections.max.idle.ms", "-1",
                "shutdown.timeout.ms", "0"));

        // Then each is used
        assertThat(config).isEqualTo(new TransportConfig(config.listeners(), 8, 1024, -1, 65536, 10, -1, 0));
    }

    @Test
    void listenersAreParsedInOrderWithTheirProtocols() {
        // When listeners of every host form are configured, with custom names
        TransportConfig config = TransportConfig.parse(Map.of(
                "listeners", " plaintext://:9092 , INTERNAL://10.0.0.1:0,LOOPBACK6://[::1]:9094,NAMED://broker-1.example:9095",
                "listener.security.protocol.map", "PLAINTEXT:PLAINTEXT,INTERNAL:PLAINTEXT,LOOPBACK6:PLAINTEXT,NAMED:plaintext"));

        // Then names are upper case, an empty host means all interfaces, IPv6 brackets are removed
        assertThat(config.listeners()).containsExactly(
                new ListenerConfig("PLAINTEXT", SecurityProtocol.PLAINTEXT, "", 9092),
                new ListenerConfig("INTERNAL", SecurityProtocol.PLAINTEXT, "10.0.0.1", 0),
                new ListenerConfig("LOOPBACK6", SecurityProtocol.PLAINTEXT, "::1", 9094),
                new ListenerConfig("NAMED", SecurityProtocol.PLAINTEXT, "broker-1.example", 9095));
        assertThat(config.listeners().getFirst().reportedHost()).isEqualTo("0.0.0.0");
        assertThat(config.listeners().get(2)).hasToString("LOOPBACK6://[::1]:9094");
    }

    @ParameterizedTest(name = "{0}={1}")
    @CsvSource(delimiter = '|', value = {
        "num.network.threads         | abc",
        "num.network.threads         | 0",
        "socket.request.max.bytes    | -1",
        "socket.request.max.bytes    | 3000000000",
        "socket.send.buffer.bytes    | 0",
        "socket.receive.buffer.bytes | -2",
        "max.connections             | -1",
        "connections.max.idle.ms     | 0",
        "connections.max.idle.ms     | soon",
        "shutdown.timeout.ms         | -5",
        "listeners                   | PLAINTEXT://localhost",
        "listeners                   | PLAINTEXT://localhost:70000",
        "listeners                   | PLAINTEXT://localhost:port",
        "listeners                   | localhost:9092",
        "listeners                   | PLAINTEXT://::1:9092",
        "listeners                   | PLAINTEXT://[::1:9092",
        "listeners                   | ' , '",
        "listeners                   | 'PLAINTEXT://:9092,PLAINTEXT://:9093'",
        "listeners                   | 'PLAINTEXT://:9092,plaintext://:9093'",
        "listener.security.protocol.map | PLAINTEXT",
        "listener.security.protocol.map | PLAINTEXT:TLS",
    })
    void invalidValueIsRejectedNamingTheKey(String key, String value) {
        // When a configuration with one bad value is parsed
        // Then the error names the key and the value
        assertThatThrownBy(() -> TransportConfig.parse(Map.of(key, value)))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("'" + key + "'")
                .hasMessageContaining(value.trim());
    }

    @Test
    void twoListenersOnOnePortAreRejected() {
        assertThatThrownBy(() -> TransportConfig.parse(Map.of(
                "listeners", "A://:9092,B://127.0.0.1:9092",
                "listener.security.protocol.map", "A:PLAINTEXT,B:PLAINTEXT")))
                .hasMessageContaining("'listeners'")
                .hasMessageContaining("port 9092");
    }

    @Test
    void listenerWithoutAProtocolMappingIsRejectedNamingItAndTheMap() {
        // When a listener name has no entry in the protocol map
        // Then the error names the listener and the map's key
        assertThatThrownBy(() -> TransportConfig.parse(Map.of("listeners", "CLIENT://:9092")))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("CLIENT://:9092")
                .hasMessageContaining("'listener.security.protocol.map'");
    }

    @ParameterizedTest
    @CsvSource({"SSL://:9093", "SASL_PLAINTEXT://:9094", "SASL_SSL://:9095"})
    void listenerWithAnUnsupportedProtocolIsRejectedNamingIt(String listener) {
        // When a listener uses a security protocol this version does not support
        // Then activation fails with a message naming the listener and what is supported
        assertThatThrownBy(() -> TransportConfig.parse(Map.of("listeners", "PLAINTEXT://:9092," + listener)))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("Listener " + listener)
                .hasMessageContaining("supports only PLAINTEXT listeners");
    }

    @Test
    void customListenerMappedToSslIsRejected() {
        assertThatThrownBy(() -> TransportConfig.parse(Map.of(
                "listeners", "SECURE://:9093",
                "listener.security.protocol.map", "SECURE:SSL")))
                .hasMessageContaining("Listener SECURE://:9093")
                .hasMessageContaining("security protocol SSL");
    }
}
