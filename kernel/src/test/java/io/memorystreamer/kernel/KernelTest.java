package io.memorystreamer.kernel;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import ch.qos.logback.classic.Level;
import io.memorystreamer.kernel.config.ServerConfig;
import io.memorystreamer.kernel.config.ServerConfigLoader;
import io.memorystreamer.kernel.config.ServerConfigSchema;
import io.memorystreamer.kernel.readiness.ComponentDiagnostics;
import io.memorystreamer.kernel.readiness.ComponentStatus;
import io.memorystreamer.kernel.support.FrameworkBundleDirectory;
import io.memorystreamer.kernel.support.LogCapture;
import io.memorystreamer.kernel.support.TestBundles;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Supplier;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.osgi.framework.Bundle;
import org.osgi.framework.BundleContext;
import org.osgi.framework.BundleEvent;
import org.osgi.framework.ServiceReference;
import org.osgi.framework.SynchronousBundleListener;

/** The kernel booting the distribution's framework bundles (SCR, ConfigAdmin, SPI) with generated plugins. */
class KernelTest {

    private static final Map<String, String> PROBE_READY = Map.of("java.util.function.Supplier", "probe");

    @TempDir
    Path home;

    private Path plugins;
    private RunningKernel kernel;
    private LogCapture logs;

    @BeforeEach
    void setUp() {
        plugins = home.resolve("plugins");
        logs = new LogCapture();
    }

    @AfterEach
    void tearDown() {
        if (kernel != null) {
            kernel.stop();
        }
        logs.close();
    }

    private KernelOptions options(Map<String, String> settings, Map<String, String> requiredServices) throws Exception {
        Map<String, String> values = new HashMap<>(Map.of("listeners", "PLAINTEXT://127.0.0.1:0", "plugin.dir.poll.interval.ms", "100"));
        values.putAll(settings);
        ServerConfig config = new ServerConfigLoader(home).fromValues(values, "test");
        return new KernelOptions(FrameworkBundleDirectory.path(), plugins, null, config, requiredServices);
    }

    private void dropConfigProbe() {
        TestBundles.withComponents(plugins.resolve("probe.jar"), "test.probe",
                Map.of("probe.xml", TestBundles.configProbeComponent("config.probe", ServerConfigSchema.PID)));
    }

    @Test
    void publishesTheEffectiveConfigurationToComponents() throws Exception {
        // Given a plugin whose component requires the server configuration
        dropConfigProbe();

        // When the kernel starts
        kernel = Kernel.start(options(Map.of(), PROBE_READY));

        // Then the component was activated with every effective key, as text
        BundleContext context = kernel.bundleContext();
        ServiceReference<?> ref = context.getAllServiceReferences(Supplier.class.getName(), "(component.name=config.probe)")[0];
        @SuppressWarnings("unchecked")
        Map<String, Object> received = (Map<String, Object>) ((Supplier<?>) context.getService(ref)).get();
        assertThat(received)
                .containsEntry("listeners", "PLAINTEXT://127.0.0.1:0")
                .containsEntry("message.max.bytes", "1048588")
                .containsEntry("log.dirs", home.toAbsolutePath().resolve("data").toString());
        assertThat(ServerConfigSchema.keys()).filteredOn(key -> key.defaultValue() != null)
                .allSatisfy(key -> assertThat(received.get(key.name())).as(key.name()).isInstanceOf(String.class));

        // And every bundle is ACTIVE and every component satisfied
        assertThat(context.getBundles()).allSatisfy(b -> assertThat(b.getState()).as(b.getSymbolicName()).isEqualTo(Bundle.ACTIVE));
        assertThat(ComponentDiagnostics.components(context).orElseThrow())
                .extracting(ComponentStatus::name, ComponentStatus::state)
                .containsExactly(org.assertj.core.groups.Tuple.tuple("config.probe", "ACTIVE"));
        assertThat(logs.messages(Level.INFO)).anySatisfy(m -> assertThat(m).matches("MemoryStreamer started in \\d+ ms; listeners: none"));
    }

    @Test
    void refusesToStartWhenBrokerServicesAreMissingAndSaysWhy() throws Exception {
        // Given a component waiting for a storage service, and a plugin that cannot resolve
        TestBundles.withComponents(plugins.resolve("user.jar"), "test.user",
                Map.of("user.xml", TestBundles.componentNeeding("storage.user", "partitionLogFactory",
                        "io.memorystreamer.spi.storage.PartitionLogFactory")));
        TestBundles.manifestOnly(plugins.resolve("unresolvable.jar"), "test.unresolvable", "1.0.0",
                Map.of("Import-Package", "org.example.missing"));

        // When the kernel starts as a broker
        StartupException e = catchThrowableOfType(StartupException.class,
                () -> Kernel.start(options(Map.of("startup.timeout.ms", "300"), KernelOptions.BROKER_SERVICES)));

        // Then it refuses, naming each missing capability, the inactive bundle and the unsatisfied component
        assertThat(e.kind()).isEqualTo(StartupException.Kind.NOT_READY);
        assertThat(e.getMessage())
                .startsWith("MemoryStreamer did not become ready within 300 ms:")
                .contains("no storage plugin provides io.memorystreamer.spi.storage.PartitionLogFactory")
                .contains("no state plugin provides io.memorystreamer.spi.state.StateStore")
                .contains("no protocol plugin provides io.memorystreamer.spi.transport.FrameHandler")
                .contains("no transport plugin provides io.memorystreamer.spi.transport.NetworkListeners")
                .containsPattern("test.unresolvable 1\\.0\\.0 \\(INSTALLED\\): .*org\\.example\\.missing")
                .contains("test.user/storage.user (UNSATISFIED_REFERENCE): reference partitionLogFactory"
                        + " (io.memorystreamer.spi.storage.PartitionLogFactory) has no matching service");
        // And it logged the report and stopped the framework
        assertThat(logs.messages(Level.ERROR)).contains(e.getMessage());
        assertThat(logs.messages(Level.INFO)).contains("MemoryStreamer stopped");
    }

    @Test
    void stopsPluginsNewestFirstBeforeTheFrameworkBundles() throws Exception {
        // Given two plugins next to the probe
        TestBundles.manifestOnly(plugins.resolve("a.jar"), "test.a", "1.0.0");
        TestBundles.manifestOnly(plugins.resolve("b.jar"), "test.b", "1.0.0");
        dropConfigProbe();
        kernel = Kernel.start(options(Map.of(), PROBE_READY));
        List<String> stopping = new CopyOnWriteArrayList<>();
        kernel.bundleContext().addBundleListener((SynchronousBundleListener) event -> {
            if (event.getType() == BundleEvent.STOPPING) {
                stopping.add(event.getBundle().getSymbolicName());
            }
        });
        Bundle systemBundle = kernel.bundleContext().getBundle(0);

        // When the kernel stops
        boolean clean = kernel.stop();

        // Then plugins stopped in reverse installation order, before SCR and ConfigAdmin
        assertThat(clean).isTrue();
        assertThat(stopping).startsWith("test.probe", "test.b", "test.a");
        assertThat(Stream.of("org.apache.felix.scr", "org.apache.felix.configadmin"))
                .allSatisfy(framework -> assertThat(stopping.indexOf(framework)).isGreaterThan(stopping.indexOf("test.a")));
        assertThat(systemBundle.getState()).isEqualTo(Bundle.RESOLVED);
        assertThat(logs.messages(Level.INFO)).contains("MemoryStreamer stopped");
    }
}
