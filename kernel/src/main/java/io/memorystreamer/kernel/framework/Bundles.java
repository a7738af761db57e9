package io.memorystreamer.kernel.framework;

import org.osgi.framework.Bundle;
import org.osgi.framework.Constants;

/** How bundles are named in logs and reports. */
public final class Bundles {

    private Bundles() {
    }

    /** {@code <symbolic name> <version>}. */
    public static String describe(Bundle bundle) {
        return bundle.getSymbolicName() + " " + bundle.getVersion();
    }

    /** Fragments are attached to a host and cannot be started. */
    public static boolean isFragment(Bundle bundle) {
        return bundle.getHeaders("").get(Constants.FRAGMENT_HOST) != null;
    }

    public static String state(Bundle bundle) {
        return switch (bundle.getState()) {
            case Bundle.UNINSTALLED -> "UNINSTALLED";
            case Bundle.INSTALLED -> "INSTALLED";
            case Bundle.RESOLVED -> "RESOLVED";
            case Bundle.STARTING -> "STARTING";
            case Bundle.STOPPING -> "STOPPING";
            case Bundle.ACTIVE -> "ACTIVE";
            default -> "state " + bundle.getState();
        };
    }
}
