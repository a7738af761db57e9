package io.memorystreamer.kernel.readiness;

import io.memorystreamer.kernel.framework.BundleStartFailures;
import io.memorystreamer.kernel.framework.Bundles;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import org.osgi.framework.Bundle;
import org.osgi.framework.BundleContext;

/**
 * Explains why the broker did not become ready: which capabilities are missing, which bundles are
 * not ACTIVE and why, and which components SCR could not satisfy.
 */
public final class StartupReport {

    private static final String NL = System.lineSeparator();

    private StartupReport() {
    }

    public static String notReady(BundleContext context, ReadinessCheck check, List<String> missing,
            Duration waited, BundleStartFailures failures) {
        StringBuilder report = new StringBuilder("MemoryStreamer did not become ready within ")
                .append(waited.toMillis()).append(" ms:");
        for (String service : missing) {
            report.append(NL).append("  - no ").append(check.capabilityOf(service))
                    .append(" plugin provides ").append(service);
        }
        appendInactiveBundles(report, context, failures);
        appendUnsatisfiedComponents(report, context);
        return report.toString();
    }

    private static void appendInactiveBundles(StringBuilder report, BundleContext context, BundleStartFailures failures) {
        List<Bundle> inactive = List.of(context.getBundles()).stream()
                .filter(b -> b.getState() != Bundle.ACTIVE && !Bundles.isFragment(b))
                .toList();
        report.append(NL).append("Bundles not ACTIVE:").append(inactive.isEmpty() ? " none" : "");
        for (Bundle bundle : inactive) {
            report.append(NL).append("  - ").append(Bundles.describe(bundle)).append(" (").append(Bundles.state(bundle)).append(")");
            failures.reason(bundle).ifPresent(reason -> report.append(": ").append(reason));
        }
    }

    private static void appendUnsatisfiedComponents(StringBuilder report, BundleContext context) {
        Optional<List<ComponentStatus>> components;
        try {
            components = ComponentDiagnostics.components(context);
        } catch (RuntimeException e) {
            report.append(NL).append("Components: cannot be inspected (").append(e.getMessage()).append(")");
            return;
        }
        if (components.isEmpty()) {
            report.append(NL).append("Components: Declarative Services (SCR) is not running, so no component can start;"
                    + " bundles/ must contain org.apache.felix.scr and its dependencies");
            return;
        }
        List<ComponentStatus> unsatisfied = components.get().stream().filter(c -> !c.satisfied()).toList();
        report.append(NL).append("Unsatisfied components:").append(unsatisfied.isEmpty() ? " none" : "");
        for (ComponentStatus component : unsatisfied) {
            report.append(NL).append("  - ").append(component);
        }
    }
}
