package io.memorystreamer.kernel.support;

import java.nio.file.Files;
import java.nio.file.Path;

/** The framework bundles a distribution ships in {@code bundles/}, copied there by the build. */
public final class FrameworkBundleDirectory {

    private FrameworkBundleDirectory() {
    }

    public static Path path() {
        String dir = System.getProperty("memorystreamer.test.framework-bundles");
        if (dir == null || !Files.isDirectory(Path.of(dir))) {
            throw new IllegalStateException("system property memorystreamer.test.framework-bundles must name the"
                    + " directory of framework bundles (run through Maven), was " + dir);
        }
        return Path.of(dir);
    }
}
