package io.memorystreamer.broker.internal.admin;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.memorystreamer.spi.transport.ConnectionInfo;
import io.memorystreamer.spi.transport.SecurityProtocol;
import java.net.InetSocketAddress;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class AdvertisedEndpointsTest {

    private static ConnectionInfo connection(String listener) {
        return new ConnectionInfo("c", listener, SecurityProtocol.PLAINTEXT, new InetSocketAddress("127.0.0.1", 40000),
                new InetSocketAddress("127.0.0.1", 50000));
    }

    @Test
    void withoutAdvertisedListenersTheAddressTheClientReachedIsUsed() {
        AdvertisedEndpoints endpoints = AdvertisedEndpoints.parse(Optional.empty());

        assertThat(endpoints.endpointFor(connection("PLAINTEXT")))
                .isEqualTo(new AdvertisedEndpoints.HostPort("127.0.0.1", 40000));
    }

    @Test
    void theEntryOfTheConnectionsListenerIsUsed() {
        AdvertisedEndpoints endpoints = AdvertisedEndpoints.parse(
                Optional.of("PLAINTEXT://broker.example:9092, SSL://[::1]:9093"));

        assertThat(endpoints.endpointFor(connection("PLAINTEXT")))
                .isEqualTo(new AdvertisedEndpoints.HostPort("broker.example", 9092));
        assertThat(endpoints.endpointFor(connection("SSL"))).isEqualTo(new AdvertisedEndpoints.HostPort("::1", 9093));
    }

    @Test
    void wildcardHostsAndPortZeroAreFilledFromTheConnection() {
        AdvertisedEndpoints endpoints = AdvertisedEndpoints.parse(Optional.of("PLAINTEXT://0.0.0.0:0"));

        assertThat(endpoints.endpointFor(connection("PLAINTEXT")))
                .isEqualTo(new AdvertisedEndpoints.HostPort("127.0.0.1", 40000));
    }

    @Test
    void aMalformedEntryNamesTheKey() {
        assertThatThrownBy(() -> AdvertisedEndpoints.parse(Optional.of("broker:9092")))
                .hasMessageContaining("advertised.listeners");
    }
}
