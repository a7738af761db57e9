package io.memorystreamer.spi.transport;

import org.osgi.annotation.versioning.ConsumerType;

/**
 * The protocol side of the transport contract, registered as a service by a protocol plugin.
 *
 * <p>Thread-safe. When the service is replaced at runtime, existing connections keep the
 * {@link ConnectionHandler} they were given; new connections use the new service.
 */
@ConsumerType
public interface FrameHandler {

    /**
     * Creates the handler for a newly accepted connection. Called on a network event loop; must not
     * block.
     */
    ConnectionHandler open(ConnectionInfo connection);

    /**
     * Stops taking new work: frames that arrive after this are answered with a close, while stages
     * already returned complete normally. Used for graceful shutdown.
     */
    default void drain() {
    }
}
