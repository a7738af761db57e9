package io.memorystreamer.kernel.framework;

import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import org.osgi.framework.Bundle;

/**
 * Why bundles failed to start, kept so the readiness report can say why a bundle is not ACTIVE.
 * Thread-safe: written by the boot thread and the plugin watcher.
 */
public final class BundleStartFailures {

    private final Map<Long, String> reasons = new ConcurrentHashMap<>();

    public void failed(Bundle bundle, String reason) {
        reasons.put(bundle.getBundleId(), reason);
    }

    public void started(Bundle bundle) {
        reasons.remove(bundle.getBundleId());
    }

    public Optional<String> reason(Bundle bundle) {
        return Optional.ofNullable(reasons.get(bundle.getBundleId()));
    }
}
