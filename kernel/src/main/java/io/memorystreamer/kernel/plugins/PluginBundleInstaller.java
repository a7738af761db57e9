package io.memorystreamer.kernel.plugins;

import io.memorystreamer.kernel.framework.BundleRefresher;
import io.memorystreamer.kernel.framework.BundleStartFailures;
import io.memorystreamer.kernel.framework.Bundles;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.jar.JarFile;
import java.util.jar.Manifest;
import org.osgi.framework.Bundle;
import org.osgi.framework.BundleContext;
import org.osgi.framework.BundleException;
import org.osgi.framework.Constants;
import org.osgi.framework.Version;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Installs, updates and uninstalls the bundle of one plugin jar, refreshing wiring so that no
 * stale class loader survives, and logs each outcome. A jar that is not a bundle or does not
 * resolve is reported with its file name and reason; nothing thrown here stops the kernel.
 */
final class PluginBundleInstaller {

    private static final Logger LOG = LoggerFactory.getLogger(PluginBundleInstaller.class);

    private final BundleContext context;
    private final BundleRefresher refresher;
    private final BundleStartFailures failures;

    PluginBundleInstaller(BundleContext context, BundleRefresher refresher, BundleStartFailures failures) {
        this.context = context;
        this.refresher = refresher;
        this.failures = failures;
    }

    /** Installs {@code jar} without starting it; empty (and an ERROR logged) if it cannot be installed. */
    Optional<Bundle> install(Path jar) {
        Optional<String> refusal = notABundle(jar);
        if (refusal.isPresent()) {
            LOG.error("Cannot install plugin {}: {}", jar, refusal.get());
            return Optional.empty();
        }
        try (InputStream in = Files.newInputStream(jar)) {
            Bundle bundle = context.installBundle(jar.toUri().toString(), in);
            LOG.info("Installed plugin bundle {} {} from {}", bundle.getSymbolicName(), bundle.getVersion(), jar);
            return Optional.of(bundle);
        } catch (BundleException | IOException | RuntimeException e) {
            LOG.error("Cannot install plugin {}: {}", jar, e.getMessage());
            return Optional.empty();
        }
    }

    /** Starts {@code bundle} unless it is a fragment; returns whether it is ACTIVE (or a fragment). */
    boolean start(Bundle bundle, Path jar) {
        return start(bundle, jar, true);
    }

    /** Starts {@code bundle} again after another plugin changed; a repeated failure is only a debug message. */
    boolean retryStart(Bundle bundle, Path jar) {
        return start(bundle, jar, false);
    }

    private boolean start(Bundle bundle, Path jar, boolean reportFailure) {
        if (Bundles.isFragment(bundle)) {
            return true;
        }
        try {
            bundle.start();
            failures.started(bundle);
            return true;
        } catch (BundleException | RuntimeException e) {
            failures.failed(bundle, e.getMessage());
            if (reportFailure) {
                LOG.error("Cannot start plugin bundle {} from {}: {}", Bundles.describe(bundle), jar, e.getMessage());
            } else {
                LOG.debug("Plugin bundle {} from {} still cannot start: {}", Bundles.describe(bundle), jar, e.getMessage());
            }
            return false;
        }
    }

    /** Replaces {@code bundle}'s content with {@code jar}, refreshes its wiring and starts it. */
    void update(Bundle bundle, Path jar) {
        Version before = bundle.getVersion();
        Optional<String> refusal = notABundle(jar);
        if (refusal.isPresent()) {
            LOG.error("Cannot update plugin bundle {} from {}: {}; version {} keeps running",
                    bundle.getSymbolicName(), jar, refusal.get(), before);
            return;
        }
        try (InputStream in = Files.newInputStream(jar)) {
            bundle.update(in);
        } catch (BundleException | IOException | RuntimeException e) {
            LOG.error("Cannot update plugin bundle {} from {}: {}", Bundles.describe(bundle), jar, e.getMessage());
            return;
        }
        refresh(bundle);
        LOG.info("Updated plugin bundle {} {} -> {}", bundle.getSymbolicName(), before, bundle.getVersion());
        if (bundle.getState() != Bundle.ACTIVE) {
            start(bundle, jar);
        }
    }

    /** Uninstalls {@code bundle} (stopping it) and refreshes the wiring of its dependents. */
    void uninstall(Bundle bundle) {
        String description = Bundles.describe(bundle);
        try {
            bundle.uninstall();
        } catch (BundleException | RuntimeException e) {
            LOG.error("Cannot uninstall plugin bundle {}: {}", description, e.getMessage());
            return;
        }
        refresh(bundle);
        LOG.info("Uninstalled plugin bundle {}", description);
    }

    private void refresh(Bundle bundle) {
        try {
            if (!refresher.refresh(List.of(bundle))) {
                LOG.warn("Refreshing the wiring of plugin bundle {} did not finish in time", bundle.getSymbolicName());
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** Why {@code jar} cannot be a bundle, checked before the framework sees it. */
    static Optional<String> notABundle(Path jar) {
        try (JarFile file = new JarFile(jar.toFile())) {
            Manifest manifest = file.getManifest();
            if (manifest == null) {
                return Optional.of("not an OSGi bundle: the jar has no META-INF/MANIFEST.MF");
            }
            if (manifest.getMainAttributes().getValue(Constants.BUNDLE_SYMBOLICNAME) == null) {
                return Optional.of("not an OSGi bundle: its manifest has no Bundle-SymbolicName");
            }
            return Optional.empty();
        } catch (IOException e) {
            return Optional.of("not a readable jar file (" + e.getMessage() + ")");
        }
    }
}
