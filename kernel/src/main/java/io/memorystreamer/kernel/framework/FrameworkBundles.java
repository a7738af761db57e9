package io.memorystreamer.kernel.framework;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.osgi.framework.Bundle;
import org.osgi.framework.BundleContext;
import org.osgi.framework.BundleException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Installs and starts the framework bundles of {@code bundles/} (SCR, ConfigAdmin, OSGi utilities,
 * the SPI). They are not watched: they change only with the distribution.
 */
public final class FrameworkBundles {

    private static final Logger LOG = LoggerFactory.getLogger(FrameworkBundles.class);

    private FrameworkBundles() {
    }

    /**
     * Installs every jar of {@code directory} in name order, then starts them in the same order. A
     * bundle that fails to start is logged and recorded; the readiness report names it later.
     */
    public static List<Bundle> installAndStart(BundleContext context, Path directory, BundleStartFailures failures)
            throws IOException, BundleException {
        if (!Files.isDirectory(directory)) {
            throw new IOException("the framework bundle directory " + directory + " does not exist");
        }
        List<Bundle> installed = new ArrayList<>();
        try (Stream<Path> files = Files.list(directory)) {
            for (Path jar : files.filter(f -> f.getFileName().toString().endsWith(".jar")).sorted().toList()) {
                try (InputStream in = Files.newInputStream(jar)) {
                    installed.add(context.installBundle(jar.toUri().toString(), in));
                }
            }
        }
        for (Bundle bundle : installed) {
            if (Bundles.isFragment(bundle)) {
                continue;
            }
            try {
                bundle.start();
            } catch (BundleException e) {
                failures.failed(bundle, e.getMessage());
                LOG.error("Cannot start framework bundle {}: {}", Bundles.describe(bundle), e.getMessage());
            }
        }
        LOG.debug("Framework bundles: {}", installed.stream().map(Bundles::describe).toList());
        return installed;
    }
}
