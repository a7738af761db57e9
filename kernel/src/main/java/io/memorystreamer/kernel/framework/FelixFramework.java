package io.memorystreamer.kernel.framework;

import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import org.apache.felix.framework.FrameworkFactory;
import org.osgi.framework.Constants;
import org.osgi.framework.launch.Framework;
import org.osgi.service.cm.ConfigurationAdmin;

/**
 * Creates the embedded Felix framework with the kernel's settings.
 *
 * <p>Felix 7.0.5 on JDK 25 already exports every package of the boot layer (including
 * {@code sun.misc}) and declares {@code osgi.ee=JavaSE} up to the running version, so bundles
 * built by bnd 7 (which lists {@code java.*} packages in Import-Package) resolve without help.
 * What the kernel adds are the packages of its own class path that bundles share with it.
 */
public final class FelixFramework {

    private FelixFramework() {
    }

    /** A new, not yet initialized framework whose cache lives in {@code storage}, cleaned on first init. */
    public static Framework create(Path storage) {
        Map<String, Object> properties = new HashMap<>();
        properties.put(Constants.FRAMEWORK_STORAGE, storage.toAbsolutePath().toString());
        properties.put(Constants.FRAMEWORK_STORAGE_CLEAN, Constants.FRAMEWORK_STORAGE_CLEAN_ONFIRSTINIT);
        properties.put(Constants.FRAMEWORK_SYSTEMPACKAGES_EXTRA, systemPackagesExtra());
        properties.put("felix.log.logger", new FelixLogBridge());
        properties.put("felix.log.level", "2");
        @SuppressWarnings({"unchecked", "rawtypes"})
        Map<String, String> config = (Map) properties;
        return new FrameworkFactory().newFramework(config);
    }

    /**
     * SLF4J (logging is configured once, by the kernel, and every bundle logs through it) and the
     * ConfigAdmin API (so the kernel can hand the configuration to the ConfigAdmin bundle).
     */
    static String systemPackagesExtra() {
        return ClassPathExports.of(org.slf4j.Logger.class) + "," + ClassPathExports.of(ConfigurationAdmin.class);
    }
}
