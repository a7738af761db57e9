/**
 * Durable key-value state: committed offsets, producer state, topic metadata, ACLs, credentials.
 *
 * <p>A state plugin registers one {@link io.memorystreamer.spi.state.StateStore} service. State is
 * kept in named namespaces; keys and values are opaque bytes whose format the owner versions.
 */
@org.osgi.annotation.versioning.Version("1.0.0")
package io.memorystreamer.spi.state;
