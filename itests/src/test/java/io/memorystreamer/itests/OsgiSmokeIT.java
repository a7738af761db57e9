package io.memorystreamer.itests;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import io.memorystreamer.itests.support.Distribution;
import io.memorystreamer.kernel.Kernel;
import io.memorystreamer.kernel.KernelOptions;
import io.memorystreamer.kernel.RunningKernel;
import io.memorystreamer.kernel.StartupException;
import io.memorystreamer.kernel.config.ServerConfig;
import io.memorystreamer.kernel.config.ServerConfigLoader;
import io.memorystreamer.kernel.readiness.ComponentDiagnostics;
import io.memorystreamer.kernel.readiness.ComponentStatus;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.osgi.framework.Bundle;
import org.osgi.framework.BundleContext;

/**
 * Boots the distribution's bundle set (bundles/ and plugins/) in-process with the kernel: every
 * bundle must be ACTIVE and every Declarative Services component satisfied. Wiring mistakes fail
 * here, in seconds, with the kernel's report of what is missing.
 */
class OsgiSmokeIT {

    @TempDir
    Path work;

    private RunningKernel kernel;

    @AfterEach
    void stop() {
        if (kernel != null) {
            assertThat(kernel.stop()).as("the kernel stopped within shutdown.timeout.ms").isTrue();
        }
    }

    @Test
    void everyBundleIsActiveAndEveryComponentSatisfied() throws Exception {
        // Given the distribution's bundles, data in a temporary directory and an ephemeral port
        Path home = Distribution.directory();
        ServerConfig config = new ServerConfigLoader(home).fromValues(Map.of(
                "listeners", "PLAINTEXT://127.0.0.1:0",
                "log.dirs", work.resolve("data").toString(),
                "state.dir", work.resolve("state").toString()), "OsgiSmokeIT");
        KernelOptions options = KernelOptions.forHome(home, config).withTemporaryFrameworkStorage();

        // When the kernel boots them
        try {
            kernel = Kernel.start(options);
        } catch (StartupException e) {
            fail("the distribution did not start:%n%s", e.getMessage());
        }

        // Then every bundle is ACTIVE
        BundleContext context = kernel.bundleContext();
        assertThat(context.getBundles())
                .allSatisfy(bundle -> assertThat(bundle.getState())
                        .as("state of %s %s", bundle.getSymbolicName(), bundle.getVersion())
                        .isEqualTo(Bundle.ACTIVE));

        // And every component is satisfied
        List<ComponentStatus> components = ComponentDiagnostics.components(context)
                .orElseThrow(() -> new AssertionError("Declarative Services (SCR) is not running"));
        assertThat(components).as("components").isNotEmpty();
        assertThat(components).allSatisfy(component -> assertThat(component.satisfied()).as(component.toString()).isTrue());

        // And the transport reports the port it bound
        assertThat(kernel.endpoints()).singleElement().asString().matches("PLAINTEXT://127\\.0\\.0\\.1:\\d+")
                .doesNotEndWith(":0");
    }
}
