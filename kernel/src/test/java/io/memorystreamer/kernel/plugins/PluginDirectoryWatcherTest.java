package io.memorystreamer.kernel.plugins;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import ch.qos.logback.classic.Level;
import io.memorystreamer.kernel.framework.BundleStartFailures;
import io.memorystreamer.kernel.framework.FelixFramework;
import io.memorystreamer.kernel.support.LogCapture;
import io.memorystreamer.kernel.support.TestBundles;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.osgi.framework.Bundle;
import org.osgi.framework.Version;
import org.osgi.framework.launch.Framework;

class PluginDirectoryWatcherTest {

    private static final Duration WAIT = Duration.ofSeconds(20);

    @TempDir
    Path work;

    private Path plugins;
    private Framework framework;
    private PluginDirectoryWatcher watcher;
    private LogCapture logs;

    @BeforeEach
    void startFramework() throws Exception {
        plugins = Files.createDirectories(work.resolve("plugins"));
        logs = new LogCapture();
        framework = FelixFramework.create(work.resolve("felix-cache"));
        framework.init();
        framework.start();
    }

    @AfterEach
    void stopFramework() throws Exception {
        if (watcher != null) {
            watcher.close();
        }
        framework.stop();
        framework.waitForStop(WAIT.toMillis());
        logs.close();
    }

    private void watch() throws Exception {
        watcher = new PluginDirectoryWatcher(framework.getBundleContext(), plugins, Duration.ofMillis(50),
                Duration.ofSeconds(10), new BundleStartFailures());
        watcher.installExisting();
        watcher.startWatching();
    }

    private Optional<Bundle> bundle(String symbolicName) {
        return Stream.of(framework.getBundleContext().getBundles())
                .filter(b -> symbolicName.equals(b.getSymbolicName()))
                .findFirst();
    }

    private boolean isActive(String symbolicName, String version) {
        return bundle(symbolicName)
                .filter(b -> b.getState() == Bundle.ACTIVE && b.getVersion().equals(Version.parseVersion(version)))
                .isPresent();
    }

    @Test
    void jarsPresentAtStartupAreInstalledAndStartedInNameOrder() throws Exception {
        // Given plugins already in the directory, written in no particular order
        for (String name : List.of("e", "c", "a", "d", "b")) {
            TestBundles.manifestOnly(plugins.resolve(name + ".jar"), "test." + name, "1.0.0");
        }

        // When the watcher starts
        watch();

        // Then all are ACTIVE at once, installed in file name order
        assertThat(watcher.bundlesInInstallOrder())
                .extracting(Bundle::getSymbolicName)
                .containsExactly("test.a", "test.b", "test.c", "test.d", "test.e");
        assertThat(watcher.bundlesInInstallOrder()).allSatisfy(b -> assertThat(b.getState()).isEqualTo(Bundle.ACTIVE));
    }

    @Test
    void droppedJarIsInstalledAndStarted() throws Exception {
        // Given a watched, empty plugin directory
        watch();

        // When a bundle is dropped in
        Path jar = TestBundles.manifestOnly(plugins.resolve("plugin.jar"), "test.plugin", "1.0.0");

        // Then it becomes ACTIVE and the installation is logged
        await().atMost(WAIT).until(() -> isActive("test.plugin", "1.0.0"));
        assertThat(logs.messages(Level.INFO)).contains("Installed plugin bundle test.plugin 1.0.0 from " + jar);
    }

    @Test
    void replacedJarUpdatesTheBundleInPlace() throws Exception {
        // Given an installed plugin
        Path jar = TestBundles.manifestOnly(plugins.resolve("plugin.jar"), "test.plugin", "1.0.0");
        watch();
        long id = bundle("test.plugin").orElseThrow().getBundleId();

        // When a newer version replaces its jar
        TestBundles.manifestOnly(jar, "test.plugin", "2.0.0");

        // Then the same bundle runs the new version
        await().atMost(WAIT).until(() -> isActive("test.plugin", "2.0.0"));
        assertThat(bundle("test.plugin").orElseThrow().getBundleId()).isEqualTo(id);
        await().atMost(WAIT).untilAsserted(() ->
                assertThat(logs.messages(Level.INFO)).contains("Updated plugin bundle test.plugin 1.0.0 -> 2.0.0"));
    }

    @Test
    void brokenJarsAreReportedAndTheOthersKeepRunning() throws Exception {
        // Given a running plugin
        TestBundles.manifestOnly(plugins.resolve("good.jar"), "test.good", "1.0.0");
        watch();

        // When three broken jars are dropped in
        Path garbage = TestBundles.garbage(plugins.resolve("garbage.jar"));
        Path plain = TestBundles.plainJar(plugins.resolve("plain.jar"));
        Path unresolvable = TestBundles.manifestOnly(plugins.resolve("unresolvable.jar"), "test.unresolvable", "1.0.0",
                Map.of("Import-Package", "org.example.missing"));

        // Then each is reported with its file and reason
        await().atMost(WAIT).untilAsserted(() -> assertThat(logs.messages(Level.ERROR))
                .anySatisfy(m -> assertThat(m).startsWith("Cannot install plugin " + garbage + ": not a readable jar file"))
                .anySatisfy(m -> assertThat(m).isEqualTo("Cannot install plugin " + plain
                        + ": not an OSGi bundle: its manifest has no Bundle-SymbolicName"))
                .anySatisfy(m -> assertThat(m)
                        .startsWith("Cannot start plugin bundle test.unresolvable 1.0.0 from " + unresolvable + ":")
                        .contains("org.example.missing")));

        // And the running plugin is unaffected, and new plugins are still installed
        assertThat(isActive("test.good", "1.0.0")).isTrue();
        TestBundles.manifestOnly(plugins.resolve("later.jar"), "test.later", "1.0.0");
        await().atMost(WAIT).until(() -> isActive("test.later", "1.0.0"));
    }

    @Test
    void deletedJarUninstallsTheBundle() throws Exception {
        // Given an installed plugin
        Path jar = TestBundles.manifestOnly(plugins.resolve("plugin.jar"), "test.plugin", "1.0.0");
        watch();

        // When its jar is deleted
        Files.delete(jar);

        // Then the bundle is gone
        await().atMost(WAIT).until(() -> bundle("test.plugin").isEmpty());
        await().atMost(WAIT).untilAsserted(() ->
                assertThat(logs.messages(Level.INFO)).contains("Uninstalled plugin bundle test.plugin 1.0.0"));
        assertThat(watcher.bundlesInInstallOrder()).isEmpty();
    }
}
