package io.memorystreamer.broker;

import io.memorystreamer.broker.internal.BrokerRuntime;
import io.memorystreamer.spi.state.StateStore;
import io.memorystreamer.spi.storage.PartitionLogFactory;
import io.memorystreamer.spi.transport.ConnectionHandler;
import io.memorystreamer.spi.transport.ConnectionInfo;
import io.memorystreamer.spi.transport.FrameHandler;
import java.util.Map;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.ConfigurationPolicy;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Reference;

/**
 * The Kafka protocol as a {@link FrameHandler} service: active once the server configuration, a
 * partition log factory and a state store are there. Replacing either of those restarts it (static
 * references), which flushes and reopens every log.
 */
@Component(
        service = FrameHandler.class,
        configurationPid = "io.memorystreamer.server",
        configurationPolicy = ConfigurationPolicy.REQUIRE)
public final class BrokerComponent implements FrameHandler {

    private final BrokerRuntime runtime;

    @Activate
    public BrokerComponent(
            @Reference(name = "logs") PartitionLogFactory logs,
            @Reference(name = "state") StateStore state,
            Map<String, Object> configuration) {
        this.runtime = BrokerRuntime.start(configuration, logs, state);
    }

    @Override
    public ConnectionHandler open(ConnectionInfo connection) {
        return runtime.open(connection);
    }

    @Override
    public void drain() {
        runtime.drain();
    }

    @Deactivate
    void deactivate() {
        runtime.close();
    }
}
