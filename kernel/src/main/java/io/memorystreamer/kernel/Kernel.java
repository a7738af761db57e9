package io.memorystreamer.kernel;

import io.memorystreamer.kernel.config.ConfigPublisher;
import io.memorystreamer.kernel.config.ServerConfig;
import io.memorystreamer.kernel.config.ServerConfigSchema;
import io.memorystreamer.kernel.framework.BundleStartFailures;
import io.memorystreamer.kernel.framework.FelixFramework;
import io.memorystreamer.kernel.framework.FrameworkBundles;
import io.memorystreamer.kernel.plugins.PluginDirectoryWatcher;
import io.memorystreamer.kernel.readiness.ReadinessCheck;
import io.memorystreamer.kernel.readiness.StartupReport;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.osgi.framework.BundleContext;
import org.osgi.framework.BundleException;
import org.osgi.framework.launch.Framework;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Boots MemoryStreamer: starts Felix, the framework bundles, publishes the configuration, starts
 * and watches the plugin bundles, and waits until the broker's services are registered. Usable
 * in-process (tests embed it); {@link Main} is the command-line front.
 */
public final class Kernel {

    private static final Logger LOG = LoggerFactory.getLogger(Kernel.class);

    private Kernel() {
    }

    /**
     * Starts a kernel and returns once every required service is registered.
     *
     * @throws StartupException if something could not be set up ({@link StartupException.Kind#FAILED})
     *     or the services did not all appear within {@code startup.timeout.ms}
     *     ({@link StartupException.Kind#NOT_READY}); the framework is stopped again either way
     */
    public static RunningKernel start(KernelOptions options) throws StartupException {
        long startNanos = System.nanoTime();
        ServerConfig config = options.config();
        Duration startupTimeout = config.millis(ServerConfigSchema.STARTUP_TIMEOUT_MS);
        Duration shutdownTimeout = config.millis(ServerConfigSchema.SHUTDOWN_TIMEOUT_MS);
        Path temporaryStorage = null;
        Framework framework = null;
        PluginDirectoryWatcher watcher = null;
        try {
            Path storage = options.frameworkStorage();
            if (storage == null) {
                storage = temporaryStorage = Files.createTempDirectory("memorystreamer-felix-");
            }
            framework = FelixFramework.create(storage);
            framework.init();
            framework.start();
            BundleContext context = framework.getBundleContext();
            BundleStartFailures failures = new BundleStartFailures();

            FrameworkBundles.installAndStart(context, options.bundlesDirectory(), failures);
            ConfigPublisher.publish(context, config, startupTimeout);
            watcher = new PluginDirectoryWatcher(context, options.pluginsDirectory(),
                    config.millis(ServerConfigSchema.PLUGIN_DIR_POLL_INTERVAL_MS), startupTimeout, failures);
            watcher.installExisting();
            watcher.startWatching();

            ReadinessCheck readiness = new ReadinessCheck(context, options.requiredServices());
            List<String> missing = readiness.awaitServices(startupTimeout);
            if (!missing.isEmpty()) {
                String report = StartupReport.notReady(context, readiness, missing, startupTimeout, failures);
                LOG.error(report);
                new RunningKernel(framework, watcher, temporaryStorage, shutdownTimeout, List.of()).stop();
                throw new StartupException(StartupException.Kind.NOT_READY, report, null);
            }
            List<String> endpoints = readiness.endpoints();
            LOG.info("MemoryStreamer started in {} ms; listeners: {}",
                    TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - startNanos),
                    endpoints.isEmpty() ? "none" : String.join(",", endpoints));
            return new RunningKernel(framework, watcher, temporaryStorage, shutdownTimeout, endpoints);
        } catch (BundleException | IOException | RuntimeException e) {
            LOG.error("MemoryStreamer could not start: {}", e.getMessage(), e);
            abandon(framework, watcher, temporaryStorage, shutdownTimeout);
            throw new StartupException(StartupException.Kind.FAILED, "MemoryStreamer could not start: " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            abandon(framework, watcher, temporaryStorage, shutdownTimeout);
            throw new StartupException(StartupException.Kind.FAILED, "MemoryStreamer startup was interrupted", e);
        }
    }

    private static void abandon(Framework framework, PluginDirectoryWatcher watcher, Path temporaryStorage, Duration timeout) {
        if (framework != null) {
            new RunningKernel(framework, watcher, temporaryStorage, timeout, List.of()).stop();
        }
    }
}
