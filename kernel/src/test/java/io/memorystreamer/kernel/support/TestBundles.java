package io.memorystreamer.kernel.support;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.jar.Attributes;
import java.util.jar.JarEntry;
import java.util.jar.JarOutputStream;
import java.util.jar.Manifest;

/** Writes small bundles at test time, moving each into place atomically as an operator's copy would. */
public final class TestBundles {

    private static final String PROBE_CLASS = ConfigProbe.class.getName().replace('.', '/') + ".class";

    private TestBundles() {
    }

    /** A bundle with a manifest and nothing else. */
    public static Path manifestOnly(Path target, String symbolicName, String version) {
        return manifestOnly(target, symbolicName, version, Map.of());
    }

    /** A bundle with a manifest (plus {@code extraHeaders}) and nothing else. */
    public static Path manifestOnly(Path target, String symbolicName, String version, Map<String, String> extraHeaders) {
        write(target, manifest(symbolicName, version, extraHeaders), Map.of());
        return target;
    }

    /**
     * A bundle holding {@link ConfigProbe} and one Declarative Services descriptor per entry of
     * {@code components} (file name to XML).
     */
    public static Path withComponents(Path target, String symbolicName, Map<String, String> components) {
        Map<String, byte[]> entries = new LinkedHashMap<>();
        entries.put(PROBE_CLASS, probeClassBytes());
        components.forEach((file, xml) -> entries.put("OSGI-INF/" + file, xml.getBytes(StandardCharsets.UTF_8)));
        String descriptors = String.join(",", components.keySet().stream().map(f -> "OSGI-INF/" + f).toList());
        write(target, manifest(symbolicName, "1.0.0", Map.of("Service-Component", descriptors)), entries);
        return target;
    }

    /** A component that requires the server configuration and publishes it as a {@code Supplier} service. */
    public static String configProbeComponent(String name, String pid) {
        return component(name, "configuration-policy=\"require\" configuration-pid=\"" + pid + "\" immediate=\"true\"",
                "<service><provide interface=\"java.util.function.Supplier\"/></service>");
    }

    /** A component that cannot be satisfied until a service of {@code interfaceName} appears. */
    public static String componentNeeding(String name, String referenceName, String interfaceName) {
        return component(name, "immediate=\"true\"",
                "<reference name=\"" + referenceName + "\" interface=\"" + interfaceName + "\" cardinality=\"1..1\"/>");
    }

    /** A valid jar whose manifest has no OSGi headers. */
    public static Path plainJar(Path target) {
        Manifest manifest = new Manifest();
        manifest.getMainAttributes().put(Attributes.Name.MANIFEST_VERSION, "1.0");
        write(target, manifest, Map.of("readme.txt", "not a bundle".getBytes(StandardCharsets.UTF_8)));
        return target;
    }

    /** Bytes that are not a zip file at all. */
    public static Path garbage(Path target) {
        write(target, null, Map.of());
        return target;
    }

    private static String component(String name, String attributes, String body) {
        return "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
                + "<scr:component xmlns:scr=\"http://www.osgi.org/xmlns/scr/v1.4.0\" name=\"" + name + "\" "
                + attributes + ">\n"
                + "  <implementation class=\"" + ConfigProbe.class.getName() + "\"/>\n"
                + "  " + body + "\n"
                + "</scr:component>\n";
    }

    private static Manifest manifest(String symbolicName, String version, Map<String, String> extraHeaders) {
        Manifest manifest = new Manifest();
        Attributes main = manifest.getMainAttributes();
        main.put(Attributes.Name.MANIFEST_VERSION, "1.0");
        main.putValue("Bundle-ManifestVersion", "2");
        main.putValue("Bundle-SymbolicName", symbolicName);
        main.putValue("Bundle-Version", version);
        extraHeaders.forEach(main::putValue);
        return manifest;
    }

    private static void write(Path target, Manifest manifest, Map<String, byte[]> entries) {
        try {
            Files.createDirectories(target.getParent());
            Path temp = Files.createTempFile(target.getParent(), "bundle", ".tmp");
            try (OutputStream file = Files.newOutputStream(temp)) {
                if (manifest == null) {
                    file.write("this is not a jar".getBytes(StandardCharsets.UTF_8));
                } else {
                    try (JarOutputStream jar = new JarOutputStream(file, manifest)) {
                        for (Map.Entry<String, byte[]> entry : entries.entrySet()) {
                            jar.putNextEntry(new JarEntry(entry.getKey()));
                            jar.write(entry.getValue());
                            jar.closeEntry();
                        }
                    }
                }
            }
            Files.move(temp, target, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static byte[] probeClassBytes() {
        try (InputStream in = ConfigProbe.class.getClassLoader().getResourceAsStream(PROBE_CLASS)) {
            return in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
