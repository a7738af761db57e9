package io.memorystreamer.itests.support;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Runs a Kafka CLI tool's main class from the kafka-tools jar in its own JVM, as the
 * {@code kafka-*.sh} scripts do (the tools call {@code System.exit}), or any other command.
 */
public final class ToolRunner {

    /** The outcome of one tool run. */
    public record Result(int exitCode, String stdout, String stderr) {
    }

    private ToolRunner() {
    }

    public static Result run(Path workDir, String stdin, String mainClass, String... args) {
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        command.add("-Xmx256m");
        command.add("-cp");
        command.add(System.getProperty("java.class.path"));
        command.add(mainClass);
        command.addAll(List.of(args));
        return runCommand(workDir, stdin, command, Duration.ofSeconds(120));
    }

    /**
     * Runs any command with {@code stdin} (or nothing) as its input, its output and errors
     * collected in files under {@code workDir}; fails the test if it runs longer than {@code limit}.
     */
    public static Result runCommand(Path workDir, String stdin, List<String> command, Duration limit) {
        try {
            Path out = Files.createTempFile(workDir, "tool", ".out");
            Path err = Files.createTempFile(workDir, "tool", ".err");
            Path in = Files.createTempFile(workDir, "tool", ".in");
            Files.writeString(in, stdin == null ? "" : stdin, StandardCharsets.UTF_8);
            Process process = new ProcessBuilder(command)
                    .redirectInput(in.toFile())
                    .redirectOutput(out.toFile())
                    .redirectError(err.toFile())
                    .start();
            if (!process.waitFor(limit.toMillis(), TimeUnit.MILLISECONDS)) {
                process.destroyForcibly();
                throw new AssertionError(String.join(" ", command) + " did not finish within " + limit.toSeconds()
                        + " s: " + Files.readString(err));
            }
            return new Result(process.exitValue(), Files.readString(out), Files.readString(err));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
    }
}
