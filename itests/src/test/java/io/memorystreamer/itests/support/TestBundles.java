package io.memorystreamer.itests.support;

import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.jar.Attributes;
import java.util.jar.JarEntry;
import java.util.jar.JarOutputStream;
import java.util.jar.Manifest;

/** Writes small, harmless OSGi bundles for plugin-directory tests. */
public final class TestBundles {

    private TestBundles() {
    }

    /**
     * Writes a resource-only bundle and moves it into place atomically, as an operator's copy tool
     * would (write elsewhere, then rename).
     */
    public static void writeBundle(Path target, String symbolicName, String version) {
        Manifest manifest = new Manifest();
        Attributes main = manifest.getMainAttributes();
        main.put(Attributes.Name.MANIFEST_VERSION, "1.0");
        main.putValue("Bundle-ManifestVersion", "2");
        main.putValue("Bundle-SymbolicName", symbolicName);
        main.putValue("Bundle-Version", version);
        main.putValue("Bundle-Name", "Harmless test bundle");
        try {
            Path temp = Files.createTempFile(target.getParent(), "bundle", ".tmp");
            try (OutputStream file = Files.newOutputStream(temp);
                    JarOutputStream jar = new JarOutputStream(file, manifest)) {
                jar.putNextEntry(new JarEntry("harmless/version.txt"));
                jar.write(version.getBytes(StandardCharsets.UTF_8));
                jar.closeEntry();
            }
            Files.move(temp, target, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
