package io.memorystreamer.kernel.plugins;

import io.memorystreamer.kernel.framework.BundleRefresher;
import io.memorystreamer.kernel.framework.BundleStartFailures;
import io.memorystreamer.kernel.framework.Bundles;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Comparator;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.osgi.framework.Bundle;
import org.osgi.framework.BundleContext;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps the bundles of the plugin directory in step with its {@code *.jar} files: installs what is
 * there at startup, then polls on one daemon thread and installs, updates or uninstalls bundles as
 * jars appear, change or disappear (see {@link PluginChangeDetector} for when a change is acted on).
 */
public final class PluginDirectoryWatcher implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(PluginDirectoryWatcher.class);

    private final Path directory;
    private final Duration pollInterval;
    private final PluginBundleInstaller installer;
    private final PluginChangeDetector detector = new PluginChangeDetector();
    /** The bundle of each jar, guarded by {@code this}. */
    private final Map<Path, Bundle> bundles = new LinkedHashMap<>();
    private volatile boolean closing;
    private final ScheduledExecutorService poller = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread thread = new Thread(r, "memorystreamer-plugin-watcher");
        thread.setDaemon(true);
        return thread;
    });

    /**
     * @param refreshTimeout how long to wait for a wiring refresh after an update or uninstall
     */
    public PluginDirectoryWatcher(BundleContext context, Path directory, Duration pollInterval,
            Duration refreshTimeout, BundleStartFailures failures) {
        this.directory = directory.toAbsolutePath().normalize();
        this.pollInterval = pollInterval;
        this.installer = new PluginBundleInstaller(context, new BundleRefresher(context, refreshTimeout), failures);
    }

    /**
     * Installs every jar present now, then starts them in file name order. Installing all before
     * starting any lets plugins that depend on one another resolve together.
     */
    public synchronized void installExisting() throws IOException {
        Files.createDirectories(directory);
        Map<Path, JarFingerprint> snapshot = snapshot();
        for (Path jar : snapshot.keySet()) {
            detector.markApplied(jar, snapshot.get(jar));
            installer.install(jar).ifPresent(bundle -> bundles.put(jar, bundle));
        }
        bundles.forEach((jar, bundle) -> installer.start(bundle, jar));
    }

    /** Starts polling every {@code pollInterval}. */
    public void startWatching() {
        long millis = pollInterval.toMillis();
        poller.scheduleWithFixedDelay(this::pollSafely, millis, millis, TimeUnit.MILLISECONDS);
    }

    /** The plugin bundles, oldest installation first. */
    public synchronized List<Bundle> bundlesInInstallOrder() {
        return bundles.values().stream()
                .filter(b -> b.getState() != Bundle.UNINSTALLED)
                .sorted(Comparator.comparingLong(Bundle::getBundleId))
                .toList();
    }

    /** Stops polling and waits for a poll in progress to finish its current change. */
    @Override
    public void close() {
        // No interrupt: a bundle operation cut short by one leaves the framework's locks in doubt.
        closing = true;
        poller.shutdown();
        try {
            if (!poller.awaitTermination(1, TimeUnit.MINUTES)) {
                LOG.warn("The plugin directory watcher did not stop within a minute");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private void pollSafely() {
        try {
            poll();
        } catch (IOException | RuntimeException e) {
            // One bad poll (a vanished directory, an unreadable file) must not end watching.
            LOG.error("Cannot scan plugin directory {}: {}", directory, e.toString());
        }
    }

    synchronized void poll() throws IOException {
        List<PluginChange> changes = detector.poll(snapshot());
        Set<Path> touched = new HashSet<>();
        for (PluginChange change : changes) {
            if (closing) {
                return;
            }
            Path jar = change.jar();
            Bundle bundle = bundles.get(jar);
            switch (change.kind()) {
                case REMOVED -> {
                    if (bundles.remove(jar) != null) {
                        installer.uninstall(bundle);
                    }
                }
                case ADDED, CHANGED -> {
                    if (bundle != null && bundle.getState() != Bundle.UNINSTALLED) {
                        installer.update(bundle, jar);
                    } else {
                        bundle = installer.install(jar).orElse(null);
                        if (bundle != null) {
                            bundles.put(jar, bundle);
                            installer.start(bundle, jar);
                        }
                    }
                    touched.add(jar);
                }
            }
        }
        if (!touched.isEmpty()) {
            retryInactive(touched);
        }
    }

    /** A bundle that did not resolve may resolve now that another one arrived. */
    private void retryInactive(Set<Path> justTried) {
        bundles.forEach((jar, bundle) -> {
            boolean inactive = bundle.getState() == Bundle.INSTALLED || bundle.getState() == Bundle.RESOLVED;
            if (inactive && !justTried.contains(jar) && !Bundles.isFragment(bundle)) {
                if (installer.retryStart(bundle, jar)) {
                    LOG.info("Started plugin bundle {}", Bundles.describe(bundle));
                }
            }
        });
    }

    private Map<Path, JarFingerprint> snapshot() throws IOException {
        Map<Path, JarFingerprint> snapshot = new TreeMap<>(); // file name order
        try (Stream<Path> files = Files.list(directory)) {
            for (Path jar : (Iterable<Path>) files.filter(PluginDirectoryWatcher::isJar).sorted()::iterator) {
                try {
                    snapshot.put(jar, JarFingerprint.of(jar, detector.applied(jar)));
                } catch (NoSuchFileException e) {
                    // deleted between listing and reading: the next poll sees it gone
                }
            }
        }
        return snapshot;
    }

    private static boolean isJar(Path file) {
        return file.getFileName().toString().endsWith(".jar") && Files.isRegularFile(file);
    }
}
