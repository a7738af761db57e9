package io.memorystreamer.transport.netty.internal;

import io.memorystreamer.spi.transport.ConnectionHandler;
import io.memorystreamer.spi.transport.ConnectionInfo;
import io.memorystreamer.spi.transport.FrameHandler;
import io.netty.channel.Channel;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelPipeline;
import io.netty.handler.timeout.IdleStateHandler;
import java.net.InetSocketAddress;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Sets up each connection a listener accepts: enforces {@code max.connections}, asks the frame
 * handler bound at this moment for the connection's handler (kept for the connection's life, so
 * replacing the protocol bundle only affects new connections), and builds the pipeline.
 */
final class ConnectionInitializer extends ChannelInitializer<Channel> {

    private static final Logger LOG = LoggerFactory.getLogger(ConnectionInitializer.class);

    private final ListenerConfig listener;
    private final TransportConfig config;
    private final Supplier<FrameHandler> frameHandlers;
    private final ConnectionLimiter limiter;
    private final BusyConnections busyConnections;
    private final Set<Channel> openConnections;
    private final AtomicLong connectionCounter;

    ConnectionInitializer(ListenerConfig listener, TransportConfig config, Supplier<FrameHandler> frameHandlers,
            ConnectionLimiter limiter, BusyConnections busyConnections, Set<Channel> openConnections,
            AtomicLong connectionCounter) {
        this.listener = listener;
        this.config = config;
        this.frameHandlers = frameHandlers;
        this.limiter = limiter;
        this.busyConnections = busyConnections;
        this.openConnections = openConnections;
        this.connectionCounter = connectionCounter;
    }

    @Override
    protected void initChannel(Channel channel) {
        if (!(channel.localAddress() instanceof InetSocketAddress local)
                || !(channel.remoteAddress() instanceof InetSocketAddress remote)) {
            channel.close(); // the peer left before the connection was set up
            return;
        }
        if (!limiter.tryAcquire()) {
            LOG.warn("Closing connection from {} on listener {}: max.connections={} reached",
                    Addresses.format(remote), listener.name(), limiter.max());
            channel.close();
            return;
        }
        channel.closeFuture().addListener(closed -> limiter.release());
        ConnectionInfo info = new ConnectionInfo(
                Addresses.format(local) + "-" + Addresses.format(remote) + "-" + connectionCounter.getAndIncrement(),
                listener.name(), listener.securityProtocol(), local, remote);

        FrameHandler frameHandler = frameHandlers.get();
        if (frameHandler == null) {
            LOG.warn("Closing connection {} from {}: no frame handler service is available",
                    info.connectionId(), Addresses.format(remote));
            channel.close();
            return;
        }
        ConnectionHandler handler;
        try {
            handler = frameHandler.open(info);
        } catch (RuntimeException e) {
            LOG.warn("Closing connection {} from {}: the frame handler failed to open it",
                    info.connectionId(), Addresses.format(remote), e);
            channel.close();
            return;
        }
        if (handler == null) {
            LOG.warn("Closing connection {} from {}: the frame handler returned no connection handler",
                    info.connectionId(), Addresses.format(remote));
            channel.close();
            return;
        }

        RequestDispatcher dispatcher = new RequestDispatcher(info, handler, busyConnections);
        openConnections.add(channel);
        channel.closeFuture().addListener(closed -> {
            openConnections.remove(channel);
            dispatcher.connectionClosed();
        });
        ChannelPipeline pipeline = channel.pipeline();
        if (config.idleTimeoutMs() > 0) {
            pipeline.addLast("idle", new IdleStateHandler(0, 0, config.idleTimeoutMs(), TimeUnit.MILLISECONDS));
        }
        pipeline.addLast("frames", new FrameDecoder(info, config.maxRequestBytes()));
        pipeline.addLast("requests", dispatcher);
    }
}
