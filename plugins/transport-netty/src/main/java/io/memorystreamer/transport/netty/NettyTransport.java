package io.memorystreamer.transport.netty;

import io.memorystreamer.spi.transport.Endpoint;
import io.memorystreamer.spi.transport.FrameHandler;
import io.memorystreamer.spi.transport.NetworkListeners;
import io.memorystreamer.transport.netty.internal.BoundListeners;
import io.memorystreamer.transport.netty.internal.TransportConfig;
import io.memorystreamer.transport.netty.internal.TransportServer;
import java.util.Dictionary;
import java.util.Hashtable;
import java.util.List;
import java.util.Map;
import org.osgi.framework.BundleContext;
import org.osgi.framework.ServiceRegistration;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.ConfigurationPolicy;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicy;
import org.osgi.service.component.annotations.ReferencePolicyOption;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The Netty transport component: binds the {@code listeners} of the broker configuration, frames
 * connections and hands their frames to the {@link FrameHandler} service, then announces the
 * bound endpoints as a {@link NetworkListeners} service and with one log line per endpoint,
 * {@code Listening on PLAINTEXT://127.0.0.1:9092}.
 *
 * <p>The frame handler is a dynamic reference: when the protocol bundle is replaced, existing
 * connections keep the handler they were opened with and new connections use the new service.
 * A connection accepted while no frame handler is bound is closed.
 */
@Component(
        configurationPid = "io.memorystreamer.server",
        configurationPolicy = ConfigurationPolicy.REQUIRE,
        immediate = true)
public final class NettyTransport {

    /** Service property of {@link NetworkListeners}: the endpoints in {@code listeners} syntax. */
    public static final String ENDPOINTS_PROPERTY = "memorystreamer.endpoints";

    private static final Logger LOG = LoggerFactory.getLogger(NettyTransport.class);

    @Reference(
            cardinality = ReferenceCardinality.OPTIONAL,
            policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY)
    private volatile FrameHandler frameHandler;

    private TransportServer server;
    private ServiceRegistration<NetworkListeners> registration;

    @Activate
    void activate(BundleContext context, Map<String, Object> properties) {
        TransportConfig config;
        try {
            config = TransportConfig.parse(properties);
        } catch (IllegalArgumentException e) {
            LOG.error("Cannot start the transport: {}", e.getMessage());
            throw e;
        }
        TransportServer started = new TransportServer(config, this::currentFrameHandler);
        List<Endpoint> endpoints;
        try {
            endpoints = started.start();
        } catch (RuntimeException e) {
            LOG.error("Cannot start the transport: {}", e.getMessage());
            throw e;
        }
        server = started;
        Dictionary<String, Object> serviceProperties = new Hashtable<>();
        serviceProperties.put(ENDPOINTS_PROPERTY, endpoints.stream().map(Endpoint::toString).toArray(String[]::new));
        registration = context.registerService(NetworkListeners.class, new BoundListeners(endpoints), serviceProperties);
        for (Endpoint endpoint : endpoints) {
            LOG.info("Listening on {}", endpoint);
        }
    }

    @Deactivate
    void deactivate() {
        TransportServer stopping = server;
        server = null;
        if (stopping != null) {
            stopping.stop(this::withdrawListeners);
        }
        withdrawListeners();
    }

    private void withdrawListeners() {
        ServiceRegistration<NetworkListeners> current = registration;
        registration = null;
        if (current != null) {
            try {
                current.unregister();
                LOG.info("Unregistered the network listeners service");
            } catch (IllegalStateException e) {
                // Already gone with the stopping bundle.
            }
        }
    }

    /**
     * Read once per accepted connection (the volatile field may change at any moment); the
     * transport keeps what it got in a local for the rest of that connection's setup.
     */
    private FrameHandler currentFrameHandler() {
        return frameHandler;
    }
}
