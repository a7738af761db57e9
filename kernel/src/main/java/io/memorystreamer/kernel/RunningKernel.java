package io.memorystreamer.kernel;

import io.memorystreamer.kernel.framework.Bundles;
import io.memorystreamer.kernel.plugins.PluginDirectoryWatcher;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;
import org.osgi.framework.Bundle;
import org.osgi.framework.BundleContext;
import org.osgi.framework.BundleException;
import org.osgi.framework.launch.Framework;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** A started kernel: its framework, its plugin watcher, and the orderly way to stop both. */
public final class RunningKernel {

    private static final Logger LOG = LoggerFactory.getLogger(RunningKernel.class);

    private final Framework framework;
    /** Null when startup failed before the plugins were installed. */
    private final PluginDirectoryWatcher watcher;
    private final Path temporaryStorage;
    private final Duration shutdownTimeout;
    private final List<String> endpoints;
    private boolean stopped;
    private boolean stoppedCleanly;

    RunningKernel(Framework framework, PluginDirectoryWatcher watcher, Path temporaryStorage, Duration shutdownTimeout,
            List<String> endpoints) {
        this.framework = framework;
        this.watcher = watcher;
        this.temporaryStorage = temporaryStorage;
        this.shutdownTimeout = shutdownTimeout;
        this.endpoints = List.copyOf(endpoints);
    }

    /** The system bundle's context, for inspecting or driving the framework in-process. */
    public BundleContext bundleContext() {
        return framework.getBundleContext();
    }

    /** The endpoints the transport reported at startup, in Kafka's listener syntax. */
    public List<String> endpoints() {
        return endpoints;
    }

    /** Blocks until the framework has stopped, whoever stopped it. */
    public void awaitStop() throws InterruptedException {
        framework.waitForStop(0);
    }

    /**
     * Stops the plugin watcher, then the plugin bundles newest first (so the transport stops
     * accepting and drains before the protocol and storage stop), then the framework, all within
     * {@code shutdown.timeout.ms}. Idempotent; returns whether everything stopped in time.
     */
    public synchronized boolean stop() {
        if (stopped) {
            return stoppedCleanly;
        }
        stopped = true;
        Thread stopper = new Thread(this::stopInOrder, "memorystreamer-shutdown");
        stopper.start();
        try {
            stopper.join(shutdownTimeout);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        if (stopper.isAlive()) {
            LOG.error("MemoryStreamer did not stop within {} ms (shutdown.timeout.ms); still stopping: {}",
                    shutdownTimeout.toMillis(), stillStopping());
            return false;
        }
        deleteTemporaryStorage();
        LOG.info("MemoryStreamer stopped");
        stoppedCleanly = true;
        return true;
    }

    private void stopInOrder() {
        try {
            List<Bundle> plugins = List.of();
            if (watcher != null) {
                watcher.close();
                plugins = watcher.bundlesInInstallOrder();
            }
            for (Bundle bundle : plugins.reversed()) {
                try {
                    bundle.stop();
                } catch (BundleException | RuntimeException e) {
                    LOG.warn("Plugin bundle {} did not stop cleanly: {}", Bundles.describe(bundle), e.toString());
                }
            }
            framework.stop();
            framework.waitForStop(0);
        } catch (BundleException | RuntimeException e) {
            LOG.error("Stopping the framework failed: {}", e.toString());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private List<String> stillStopping() {
        BundleContext context = framework.getBundleContext();
        if (context == null) {
            return List.of("the framework");
        }
        return Stream.of(context.getBundles())
                .filter(b -> b.getState() == Bundle.STOPPING || b.getState() == Bundle.ACTIVE)
                .map(Bundles::describe)
                .toList();
    }

    private void deleteTemporaryStorage() {
        if (temporaryStorage == null) {
            return;
        }
        try (Stream<Path> files = Files.walk(temporaryStorage)) {
            for (Path file : files.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(file);
            }
        } catch (IOException e) {
            LOG.warn("Cannot delete the temporary framework cache {}: {}", temporaryStorage, e.toString());
        } catch (UncheckedIOException e) {
            LOG.warn("Cannot delete the temporary framework cache {}: {}", temporaryStorage, e.getCause().toString());
        }
    }
}
