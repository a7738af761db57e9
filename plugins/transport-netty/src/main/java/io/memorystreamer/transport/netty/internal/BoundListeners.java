package io.memorystreamer.transport.netty.internal;

import io.memorystreamer.spi.transport.Endpoint;
import io.memorystreamer.spi.transport.NetworkListeners;
import java.util.List;

/**
 * The {@link NetworkListeners} service value: the endpoints a started transport is bound to.
 *
 * @param endpoints the bound endpoints, in configuration order
 */
public record BoundListeners(List<Endpoint> endpoints) implements NetworkListeners {

    public BoundListeners {
        endpoints = List.copyOf(endpoints);
    }
}
