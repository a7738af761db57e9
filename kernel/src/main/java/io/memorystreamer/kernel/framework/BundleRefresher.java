package io.memorystreamer.kernel.framework;

import java.time.Duration;
import java.util.Collection;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.osgi.framework.Bundle;
import org.osgi.framework.BundleContext;
import org.osgi.framework.Constants;
import org.osgi.framework.FrameworkEvent;
import org.osgi.framework.wiring.FrameworkWiring;

/** Refreshes the wiring of bundles and waits for the framework to finish. */
public final class BundleRefresher {

    private final FrameworkWiring wiring;
    private final Duration timeout;

    public BundleRefresher(BundleContext context, Duration timeout) {
        this.wiring = context.getBundle(Constants.SYSTEM_BUNDLE_ID).adapt(FrameworkWiring.class);
        this.timeout = timeout;
    }

    /**
     * Refreshes {@code bundles} (and their dependents) so updated or uninstalled bundles release
     * their old class loaders; returns whether the refresh finished within the timeout.
     */
    public boolean refresh(Collection<Bundle> bundles) throws InterruptedException {
        CountDownLatch done = new CountDownLatch(1);
        wiring.refreshBundles(bundles, event -> {
            if (event.getType() == FrameworkEvent.PACKAGES_REFRESHED || event.getType() == FrameworkEvent.ERROR) {
                done.countDown();
            }
        });
        return done.await(timeout.toMillis(), TimeUnit.MILLISECONDS);
    }
}
