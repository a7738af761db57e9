package io.memorystreamer.state.rocksdb;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.InstanceOfAssertFactories.BYTE_ARRAY;
import static org.awaitility.Awaitility.await;

import io.memorystreamer.spi.state.StateStore;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Hashtable;
import java.util.List;
import java.util.Map;
import java.util.ServiceLoader;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.osgi.framework.Bundle;
import org.osgi.framework.BundleContext;
import org.osgi.framework.Constants;
import org.osgi.framework.launch.Framework;
import org.osgi.framework.launch.FrameworkFactory;
import org.osgi.service.cm.ConfigurationAdmin;
import org.osgi.util.tracker.ServiceTracker;

/**
 * Boots the built bundle in Felix with SCR and ConfigAdmin: its manifest resolves against the
 * JDK, SLF4J and the SPI only, RocksDB's native library loads from inside the bundle, and the
 * component serves state once the broker configuration exists, also after a bundle update.
 */
class RocksDbBundleIT {

    private static final Duration TIMEOUT = Duration.ofSeconds(60);

    @TempDir
    Path directory;

    private Framework framework;
    private Bundle stateBundle;
    private ServiceTracker<StateStore, StateStore> stores;

    @BeforeEach
    void startFramework() throws Exception {
        // The test shares the SPI, ConfigAdmin API and SLF4J classes with the bundles, as the
        // kernel shares SLF4J, so that it can call the services it finds.
        framework = ServiceLoader.load(FrameworkFactory.class).findFirst().orElseThrow()
                .newFramework(Map.of(
                        Constants.FRAMEWORK_STORAGE, directory.resolve("felix-cache").toString(),
                        Constants.FRAMEWORK_STORAGE_CLEAN, Constants.FRAMEWORK_STORAGE_CLEAN_ONFIRSTINIT,
                        Constants.FRAMEWORK_SYSTEMPACKAGES_EXTRA,
                        "org.slf4j;version=2.0.20,io.memorystreamer.spi.state;version=1.0.0,"
                                + "org.osgi.service.cm;version=1.6.1",
                        "ds.loglevel", "warn"));
        framework.start();
        BundleContext context = framework.getBundleContext();
        List<Bundle> bundles = new ArrayList<>();
        try (Stream<Path> jars = Files.list(Path.of(System.getProperty("it.bundles")))) {
            for (Path jar : jars.sorted().toList()) {
                bundles.add(context.installBundle(jar.toUri().toString()));
            }
        }
        stateBundle = context.installBundle(Path.of(System.getProperty("state.bundle")).toUri().toString());
        bundles.add(stateBundle);
        for (Bundle bundle : bundles) {
            bundle.start();
        }
        stores = new ServiceTracker<>(context, StateStore.class, null);
        stores.open();
    }

    @AfterEach
    void stopFramework() throws Exception {
        stores.close();
        framework.stop();
        framework.waitForStop(TIMEOUT.toMillis());
    }

    @Test
    void theBundleServesDurableStateOnceConfigured() throws Exception {
        // Given
        assertThat(stateBundle.getState()).isEqualTo(Bundle.ACTIVE);
        assertThat(stateBundle.loadClass("org.rocksdb.RocksDB").getClassLoader())
                .as("RocksDB is loaded from inside the bundle, not from the class path")
                .isNotSameAs(RocksDbBundleIT.class.getClassLoader());
        assertThat(stores.getService()).as("no service before the configuration exists").isNull();
        // When
        configure(directory.resolve("logs"));
        StateStore store = stores.waitForService(TIMEOUT.toMillis());
        store.namespace("offsets").put(bytes("group"), bytes("42"));
        // Then
        assertThat(store.namespace("offsets").get(bytes("group"))).get(BYTE_ARRAY).isEqualTo(bytes("42"));
        assertThat(directory.resolve("logs/.state/CURRENT")).exists();
    }

    @Test
    void anUpdatedBundleReopensTheSameState() throws Exception {
        // Given
        configure(directory.resolve("logs"));
        StateStore before = stores.waitForService(TIMEOUT.toMillis());
        before.namespace("offsets").put(bytes("group"), bytes("42"));
        // When: a new bundle revision, with a new class loader loading the native library again
        stateBundle.update();
        await().atMost(TIMEOUT).until(() -> stores.getService() != null && stores.getService() != before);
        // Then
        StateStore after = stores.getService();
        assertThat(after.namespaces()).containsExactly("offsets");
        assertThat(after.namespace("offsets").get(bytes("group"))).get(BYTE_ARRAY).isEqualTo(bytes("42"));
    }

    private void configure(Path logDirs) throws Exception {
        BundleContext context = framework.getBundleContext();
        var reference = context.getServiceReference(ConfigurationAdmin.class);
        ConfigurationAdmin configurationAdmin = context.getService(reference);
        configurationAdmin.getConfiguration("io.memorystreamer.server", "?")
                .update(new Hashtable<>(Map.of("log.dirs", logDirs.toString())));
    }

    private static byte[] bytes(String text) {
        return text.getBytes(UTF_8);
    }
}
