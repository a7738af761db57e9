package io.memorystreamer.broker.internal.support;

import io.memorystreamer.broker.internal.BrokerRuntime;
import io.memorystreamer.broker.internal.codec.Wire;
import io.memorystreamer.spi.storage.PartitionLogFactory;
import io.memorystreamer.spi.transport.ConnectionHandler;
import io.memorystreamer.spi.transport.Reply;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.UnaryOperator;
import org.apache.kafka.common.protocol.ApiKeys;
import org.apache.kafka.common.protocol.ApiMessage;
import org.apache.kafka.common.requests.AbstractResponse;

/**
 * A whole broker runtime (codec, dispatcher, topics, data plane) over the real storage and state
 * plugins in a test directory, talked to through one connection with requests encoded by
 * kafka-clients.
 */
public final class BrokerFixture implements AutoCloseable {

    public static final int NODE_ID = 1;

    private final Map<String, Object> configuration;
    private final UnaryOperator<PartitionLogFactory> storageView;
    private final AtomicInteger correlationIds = new AtomicInteger();
    private RealPlugins plugins;
    private BrokerRuntime runtime;
    private ConnectionHandler connection;

    private BrokerFixture(Map<String, Object> configuration, UnaryOperator<PartitionLogFactory> storageView) {
        this.configuration = configuration;
        this.storageView = storageView;
    }

    /** Starts a broker with data under {@code directory} and these server settings on top of the basics. */
    public static BrokerFixture start(Path directory, Map<String, String> overrides) {
        return start(directory, overrides, UnaryOperator.identity());
    }

    /**
     * Starts a broker whose runtime sees the real storage through {@code storageView} (applied on
     * every start).
     */
    public static BrokerFixture start(Path directory, Map<String, String> overrides,
            UnaryOperator<PartitionLogFactory> storageView) {
        Map<String, Object> configuration = new HashMap<>();
        configuration.put("node.id", String.valueOf(NODE_ID));
        configuration.put("log.dirs", directory.resolve("data").toString());
        configuration.put("num.io.threads", "2");
        configuration.putAll(overrides);
        BrokerFixture fixture = new BrokerFixture(configuration, storageView);
        fixture.startAll();
        return fixture;
    }

    public static BrokerFixture start(Path directory) {
        return start(directory, Map.of());
    }

    public BrokerRuntime runtime() {
        return runtime;
    }

    public RealPlugins plugins() {
        return plugins;
    }

    /** Sends a request at a version and returns the reply as the transport would get it. */
    public Reply sendRaw(ApiMessage request, short version) {
        return connection.handle(Wire.request(request, version, correlationIds.incrementAndGet()))
                .toCompletableFuture().join();
    }

    /** Sends a request at a version and parses the response as the client would. */
    public <T extends AbstractResponse> T send(ApiMessage request, short version) {
        int correlationId = correlationIds.incrementAndGet();
        Reply reply = connection.handle(Wire.request(request, version, correlationId)).toCompletableFuture().join();
        return Wire.response(reply, ApiKeys.forId(request.apiKey()), version, correlationId);
    }

    /** Sends a request at the latest stable version. */
    public <T extends AbstractResponse> T send(ApiMessage request) {
        return send(request, ApiKeys.forId(request.apiKey()).latestVersion(false));
    }

    /** The broker as the transport sees it: a frame handler that opens connections. */
    public io.memorystreamer.spi.transport.FrameHandler frameHandler() {
        return info -> runtime.open(info);
    }

    /** Stops the broker cleanly and starts it again on the same files. */
    public void restart() {
        close();
        startAll();
    }

    @Override
    public void close() {
        if (runtime != null) {
            runtime.close();
            runtime = null;
        }
        if (plugins != null) {
            plugins.close();
            plugins = null;
        }
    }

    private void startAll() {
        plugins = RealPlugins.start(configuration);
        runtime = BrokerRuntime.start(configuration, storageView.apply(plugins.logs()), plugins.state());
        connection = runtime.open(Wire.connection());
    }
}
