/**
 * The contract between a transport (sockets, TLS, framing) and a protocol handler.
 *
 * <p>A transport reads length-prefixed frames and hands each frame's body to the
 * {@link io.memorystreamer.spi.transport.FrameHandler} service as opaque bytes; it knows nothing of
 * the protocol inside. The handler answers with a {@link io.memorystreamer.spi.transport.Reply}
 * that the transport writes back, length prefix included, in request order.
 */
@org.osgi.annotation.versioning.Version("1.1.0")
package io.memorystreamer.spi.transport;
