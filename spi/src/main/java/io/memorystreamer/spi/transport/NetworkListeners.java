package io.memorystreamer.spi.transport;

import java.util.List;
import org.osgi.annotation.versioning.ProviderType;

/**
 * Registered by a transport once its listeners are bound and accepting connections; unregistered
 * when it stops accepting. Thread-safe.
 */
@ProviderType
public interface NetworkListeners {

    /** The bound endpoints, in configuration order. */
    List<Endpoint> endpoints();
}
