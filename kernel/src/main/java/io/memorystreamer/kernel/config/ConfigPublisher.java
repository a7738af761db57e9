package io.memorystreamer.kernel.config;

import java.io.IOException;
import java.time.Duration;
import java.util.Dictionary;
import java.util.Hashtable;
import org.osgi.framework.BundleContext;
import org.osgi.service.cm.Configuration;
import org.osgi.service.cm.ConfigurationAdmin;
import org.osgi.util.tracker.ServiceTracker;

/**
 * Publishes the effective server configuration to ConfigAdmin under {@link ServerConfigSchema#PID}.
 *
 * <p>The kernel exports {@code org.osgi.service.cm} from its class path, so the ConfigAdmin bundle
 * and the kernel share one {@link ConfigurationAdmin} class. The configuration is bound to the
 * {@code ?} multi-location so that every bundle's components can receive it, not only the first
 * bundle that asks.
 */
public final class ConfigPublisher {

    private static final String ANY_BUNDLE = "?";

    private ConfigPublisher() {
    }

    /**
     * Waits up to {@code timeout} for ConfigAdmin, then replaces the configuration's properties.
     *
     * @throws IllegalStateException if no ConfigAdmin service appears in time
     */
    public static void publish(BundleContext context, ServerConfig config, Duration timeout) throws IOException {
        ServiceTracker<ConfigurationAdmin, ConfigurationAdmin> tracker = new ServiceTracker<>(context, ConfigurationAdmin.class, null);
        tracker.open();
        try {
            ConfigurationAdmin admin = tracker.waitForService(timeout.toMillis());
            if (admin == null) {
                throw new IllegalStateException("no ConfigurationAdmin service within " + timeout.toMillis()
                        + " ms: bundles/ must contain org.apache.felix.configadmin, wired to the kernel's org.osgi.service.cm");
            }
            Configuration configuration = admin.getConfiguration(ServerConfigSchema.PID, ANY_BUNDLE);
            Dictionary<String, Object> properties = new Hashtable<>(config.asMap());
            configuration.update(properties);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while waiting for ConfigurationAdmin", e);
        } finally {
            tracker.close();
        }
    }
}
