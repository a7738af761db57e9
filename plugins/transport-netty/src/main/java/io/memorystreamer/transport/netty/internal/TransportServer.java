package io.memorystreamer.transport.netty.internal;

import io.memorystreamer.spi.transport.Endpoint;
import io.memorystreamer.spi.transport.FrameHandler;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.util.concurrent.DefaultThreadFactory;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The transport as plain Java: binds the configured listeners on Netty event loops and hands each
 * connection's frames to the {@link FrameHandler} the supplier returns at accept time. The OSGi
 * component wraps it; tests drive it directly.
 *
 * <p>{@link #start} and {@link #stop} are called by one thread at a time (they block while
 * binding and draining, so never on an event loop).
 */
public final class TransportServer {

    private static final Logger LOG = LoggerFactory.getLogger(TransportServer.class);
    /** Bound on waiting for sockets to close and threads to end once in-flight work is over. */
    private static final long CLOSE_TIMEOUT_MS = 5_000;

    private final TransportConfig config;
    private final Supplier<FrameHandler> frameHandlers;
    private final IoTransport io;
    private final ConnectionLimiter limiter;
    private final BusyConnections busyConnections = new BusyConnections();
    private final Set<Channel> openConnections = ConcurrentHashMap.newKeySet();
    private final AtomicLong connectionCounter = new AtomicLong();
    private final List<Channel> serverChannels = new ArrayList<>();
    private EventLoopGroup acceptorGroup;
    private EventLoopGroup networkGroup;
    private List<Endpoint> endpoints = List.of();
    private boolean started;

    /** A server on the best I/O transport for this machine. */
    public TransportServer(TransportConfig config, Supplier<FrameHandler> frameHandlers) {
        this(config, frameHandlers, IoTransport.best());
    }

    public TransportServer(TransportConfig config, Supplier<FrameHandler> frameHandlers, IoTransport io) {
        this.config = config;
        this.frameHandlers = frameHandlers;
        this.io = io;
        this.limiter = new ConnectionLimiter(config.maxConnections());
    }

    /**
     * Binds every listener.
     *
     * @return the bound endpoints, in configuration order, with the real ports
     * @throws IllegalStateException if a listener cannot be bound (nothing stays bound then)
     */
    public List<Endpoint> start() {
        if (started) {
            throw new IllegalStateException("already started");
        }
        started = true;
        LOG.info("Using the {} transport: {}", io.name().toLowerCase(java.util.Locale.ROOT), io.reason());
        acceptorGroup = new MultiThreadIoEventLoopGroup(1,
                new DefaultThreadFactory("memorystreamer-acceptor", true), io.ioHandlerFactory());
        networkGroup = new MultiThreadIoEventLoopGroup(config.networkThreads(),
                new DefaultThreadFactory("memorystreamer-network", true), io.ioHandlerFactory());
        List<Endpoint> bound = new ArrayList<>();
        try {
            for (ListenerConfig listener : config.listeners()) {
                bound.add(bind(listener));
            }
        } catch (RuntimeException e) {
            closeServerChannels();
            stopEventLoops();
            throw e;
        }
        endpoints = List.copyOf(bound);
        return endpoints;
    }

    private Endpoint bind(ListenerConfig listener) {
        ServerBootstrap bootstrap = new ServerBootstrap()
                .group(acceptorGroup, networkGroup)
                .channel(io.serverChannelClass())
                .option(ChannelOption.SO_REUSEADDR, true)
                .childOption(ChannelOption.TCP_NODELAY, true)
                .childOption(ChannelOption.SO_KEEPALIVE, true)
                // Reads are requested explicitly, one request at a time (RequestDispatcher).
                .childOption(ChannelOption.AUTO_READ, false)
                .childHandler(new ConnectionInitializer(listener, config, frameHandlers, limiter,
                        busyConnections, openConnections, connectionCounter));
        if (config.receiveBufferBytes() != -1) {
            // Set on the listening socket too so that windows above 64 KiB are negotiated.
            bootstrap.option(ChannelOption.SO_RCVBUF, config.receiveBufferBytes());
            bootstrap.childOption(ChannelOption.SO_RCVBUF, config.receiveBufferBytes());
        }
        if (config.sendBufferBytes() != -1) {
            bootstrap.childOption(ChannelOption.SO_SNDBUF, config.sendBufferBytes());
        }
        ChannelFuture bind;
        try {
            bind = bootstrap.bind(listener.bindAddress()).awaitUninterruptibly();
        } catch (RuntimeException e) {
            throw new IllegalStateException("Cannot bind listener " + listener + ": " + e, e);
        }
        if (!bind.isSuccess()) {
            throw new IllegalStateException("Cannot bind listener " + listener + ": " + bind.cause(), bind.cause());
        }
        Channel channel = bind.channel();
        serverChannels.add(channel);
        int port = ((InetSocketAddress) channel.localAddress()).getPort();
        return new Endpoint(listener.name(), listener.securityProtocol(), listener.reportedHost(), port);
    }

    /** The bound endpoints, in configuration order; empty before {@link #start}. */
    public List<Endpoint> endpoints() {
        return endpoints;
    }

    /**
     * Stops gracefully: stops accepting, runs {@code stoppedAccepting}, drains the frame handler,
     * waits up to {@code shutdown.timeout.ms} until every in-flight request has its reply flushed,
     * then closes the connections and stops the event loops. Idempotent.
     *
     * @param stoppedAccepting run once the listeners are closed (to withdraw their service)
     */
    public void stop(Runnable stoppedAccepting) {
        if (!started || acceptorGroup == null) {
            return;
        }
        LOG.info("Stopping the transport: closing {} listener(s)", serverChannels.size());
        closeServerChannels();
        LOG.info("Stopped accepting connections");
        stoppedAccepting.run();

        FrameHandler frameHandler = frameHandlers.get();
        if (frameHandler != null) {
            LOG.info("Draining the frame handler");
            try {
                frameHandler.drain();
            } catch (RuntimeException e) {
                LOG.warn("The frame handler failed to drain", e);
            }
        }

        long timeoutMs = config.shutdownTimeoutMs();
        LOG.info("Waiting up to {} ms for in-flight requests on {} connection(s)", timeoutMs, busyConnections.count());
        if (!awaitIdle(timeoutMs)) {
            LOG.warn("Requests still in flight on {} connection(s) after shutdown.timeout.ms={}; closing them",
                    busyConnections.count(), timeoutMs);
        }

        LOG.info("Closing {} connection(s)", openConnections.size());
        List<ChannelFuture> closing = new ArrayList<>();
        for (Channel channel : openConnections) {
            closing.add(channel.close());
        }
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(CLOSE_TIMEOUT_MS);
        for (ChannelFuture future : closing) {
            future.awaitUninterruptibly(Math.max(0, TimeUnit.NANOSECONDS.toMillis(deadline - System.nanoTime())));
        }

        LOG.info("Stopping network threads");
        stopEventLoops();
        LOG.info("Transport stopped");
    }

    private boolean awaitIdle(long timeoutMs) {
        try {
            return busyConnections.awaitIdle(timeoutMs);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    private void closeServerChannels() {
        for (Channel channel : serverChannels) {
            channel.close().awaitUninterruptibly(CLOSE_TIMEOUT_MS);
        }
        serverChannels.clear();
    }

    private void stopEventLoops() {
        acceptorGroup.shutdownGracefully(0, CLOSE_TIMEOUT_MS, TimeUnit.MILLISECONDS);
        networkGroup.shutdownGracefully(0, CLOSE_TIMEOUT_MS, TimeUnit.MILLISECONDS);
        acceptorGroup.terminationFuture().awaitUninterruptibly(CLOSE_TIMEOUT_MS);
        networkGroup.terminationFuture().awaitUninterruptibly(CLOSE_TIMEOUT_MS);
        acceptorGroup = null;
        networkGroup = null;
    }
}
