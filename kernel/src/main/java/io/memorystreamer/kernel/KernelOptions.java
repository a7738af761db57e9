package io.memorystreamer.kernel;

import io.memorystreamer.kernel.config.ServerConfig;
import java.nio.file.Path;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * What the kernel starts: where the bundles are, where Felix keeps its cache, the validated
 * configuration and the services that must appear before the broker counts as started.
 *
 * @param bundlesDirectory framework bundles, started first
 * @param pluginsDirectory capability bundles, started next and then watched
 * @param frameworkStorage Felix's cache directory (cleaned at startup), or {@code null} for a
 *     temporary one deleted at stop
 * @param config the effective server configuration
 * @param requiredServices service class name to the capability that provides it
 */
public record KernelOptions(Path bundlesDirectory, Path pluginsDirectory, Path frameworkStorage, ServerConfig config,
        Map<String, String> requiredServices) {

    /** What a broker needs: storage, state, the protocol and a bound network listener. */
    public static final Map<String, String> BROKER_SERVICES = brokerServices();

    public KernelOptions {
        Objects.requireNonNull(bundlesDirectory, "bundlesDirectory");
        Objects.requireNonNull(pluginsDirectory, "pluginsDirectory");
        Objects.requireNonNull(config, "config");
        requiredServices = Collections.unmodifiableMap(new LinkedHashMap<>(requiredServices));
    }

    /** The layout of a distribution: {@code bundles/}, {@code plugins/}, cache in {@code work/felix-cache}. */
    public static KernelOptions forHome(Path home, ServerConfig config) {
        return new KernelOptions(home.resolve("bundles"), home.resolve("plugins"), home.resolve("work").resolve("felix-cache"),
                config, BROKER_SERVICES);
    }

    /** The same options with Felix's cache in a temporary directory. */
    public KernelOptions withTemporaryFrameworkStorage() {
        return new KernelOptions(bundlesDirectory, pluginsDirectory, null, config, requiredServices);
    }

    /** The same options waiting for other services (an embedding that is not a full broker). */
    public KernelOptions withRequiredServices(Map<String, String> services) {
        return new KernelOptions(bundlesDirectory, pluginsDirectory, frameworkStorage, config, services);
    }

    private static Map<String, String> brokerServices() {
        Map<String, String> services = new LinkedHashMap<>();
        services.put("io.memorystreamer.spi.storage.PartitionLogFactory", "storage");
        services.put("io.memorystreamer.spi.state.StateStore", "state");
        services.put("io.memorystreamer.spi.transport.FrameHandler", "protocol");
        services.put("io.memorystreamer.spi.transport.NetworkListeners", "transport");
        return Collections.unmodifiableMap(services);
    }
}
