package io.memorystreamer.kernel.framework;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.CodeSource;
import java.util.jar.JarFile;
import java.util.jar.Manifest;

/**
 * The {@code Export-Package} header of the jar a class was loaded from. The kernel re-exports
 * libraries of its own class path (SLF4J, the ConfigAdmin API) through the system bundle with
 * the exact packages and versions their jars declare, so a version bump in the build needs no
 * change here.
 */
final class ClassPathExports {

    private ClassPathExports() {
    }

    /** The packages exported by the jar (or classes directory) that holds {@code anchor}. */
    static String of(Class<?> anchor) {
        CodeSource source = anchor.getProtectionDomain().getCodeSource();
        if (source == null) {
            throw new IllegalStateException("cannot locate the jar of " + anchor.getName());
        }
        try {
            Path location = Path.of(source.getLocation().toURI());
            Manifest manifest = Files.isDirectory(location) ? directoryManifest(location) : jarManifest(location);
            String exports = manifest == null ? null : manifest.getMainAttributes().getValue("Export-Package");
            if (exports == null) {
                throw new IllegalStateException(location + " (holding " + anchor.getName() + ") declares no Export-Package");
            }
            return exports;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the manifest of the jar holding " + anchor.getName(), e);
        } catch (URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }

    private static Manifest jarManifest(Path jar) throws IOException {
        try (JarFile file = new JarFile(jar.toFile())) {
            return file.getManifest();
        }
    }

    private static Manifest directoryManifest(Path directory) throws IOException {
        Path file = directory.resolve(JarFile.MANIFEST_NAME);
        if (!Files.exists(file)) {
            return null;
        }
        try (InputStream in = Files.newInputStream(file)) {
            return new Manifest(in);
        }
    }
}
