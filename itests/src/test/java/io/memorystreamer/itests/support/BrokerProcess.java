package io.memorystreamer.itests.support;

import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The built distribution running as a real broker process, started through its own
 * {@code bin/memorystreamer} script in a private copy of the distribution directory.
 */
public final class BrokerProcess implements AutoCloseable {

    private static final Pattern STARTED = Pattern.compile("MemoryStreamer started .*listeners: (\\S+)://(\\S+):(\\d+)");

    private final Path home;
    private final Map<String, String> config;
    private Process process;
    private Path output;
    private String bootstrap;
    private int starts;

    private BrokerProcess(Path home, Map<String, String> config) {
        this.home = home;
        this.config = config;
    }

    /**
     * Copies the built distribution into {@code workDir} and starts it with a loopback listener on
     * an ephemeral port, data under the copy, and the given configuration overrides.
     */
    public static BrokerProcess start(Path workDir, Map<String, String> overrides) {
        Path home = Distribution.copyTo(workDir.resolve("memorystreamer"));
        Map<String, String> config = new LinkedHashMap<>();
        config.put("node.id", "1");
        config.put("listeners", "PLAINTEXT://127.0.0.1:0");
        config.put("log.dirs", home.resolve("data").toString());
        config.putAll(overrides);
        BrokerProcess broker = new BrokerProcess(home, config);
        broker.restart();
        return broker;
    }

    public static BrokerProcess start(Path workDir) {
        return start(workDir, Map.of());
    }

    /** Starts the broker (again) on the same home and data; a new ephemeral port is chosen. */
    public void restart() {
        if (process != null && process.isAlive()) {
            throw new IllegalStateException("broker is still running");
        }
        writeConfig();
        starts++;
        output = home.resolve("logs").resolve("console-" + starts + ".log");
        try {
            Files.createDirectories(output.getParent());
            ProcessBuilder builder = new ProcessBuilder(
                    home.resolve("bin/memorystreamer").toString(), "start",
                    "--config", home.resolve("config/server.properties").toString());
            builder.environment().put("JAVA_HOME", System.getProperty("java.home"));
            builder.environment().put("MEMORYSTREAMER_HEAP_OPTS", "-Xms256m -Xmx768m");
            builder.redirectErrorStream(true);
            builder.redirectOutput(output.toFile());
            process = builder.start();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(100)).until(() -> {
            if (!process.isAlive()) {
                throw new AssertionError("broker exited with " + process.exitValue() + ":\n" + log());
            }
            return startedLine().isPresent();
        });
        Matcher m = startedLine().orElseThrow();
        bootstrap = m.group(2) + ":" + m.group(3);
    }

    private Optional<Matcher> startedLine() {
        Matcher m = STARTED.matcher(log());
        return m.find() ? Optional.of(m) : Optional.empty();
    }

    private void writeConfig() {
        try (Writer w = Files.newBufferedWriter(home.resolve("config/server.properties"), StandardCharsets.UTF_8)) {
            for (Map.Entry<String, String> e : config.entrySet()) {
                w.write(e.getKey() + "=" + e.getValue() + "\n");
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** host:port of the PLAINTEXT listener. */
    public String bootstrap() {
        return bootstrap;
    }

    public Path home() {
        return home;
    }

    public Path dataDir() {
        return Path.of(config.get("log.dirs"));
    }

    public long pid() {
        return process.pid();
    }

    public boolean isAlive() {
        return process != null && process.isAlive();
    }

    /** Everything the process printed since its last start. */
    public String log() {
        try {
            return output == null || !Files.exists(output) ? "" : Files.readString(output, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The lines of the current log that contain {@code text}. */
    public List<String> logLines(String text) {
        List<String> lines = new ArrayList<>();
        for (String line : log().split("\n")) {
            if (line.contains(text)) {
                lines.add(line);
            }
        }
        return lines;
    }

    /** SIGTERM, then waits for a graceful exit; returns the exit code. */
    public int stop() {
        process.destroy();
        return waitForExit();
    }

    /** SIGKILL: no shutdown hooks, no flush. */
    public void kill9() {
        process.destroyForcibly();
        waitForExit();
    }

    private int waitForExit() {
        try {
            if (!process.waitFor(90, TimeUnit.SECONDS)) {
                process.destroyForcibly();
                throw new AssertionError("broker did not stop within 90 s:\n" + log());
            }
            return process.exitValue();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
    }

    @Override
    public void close() {
        if (process != null && process.isAlive()) {
            process.destroyForcibly();
            try {
                process.waitFor(30, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }
}
