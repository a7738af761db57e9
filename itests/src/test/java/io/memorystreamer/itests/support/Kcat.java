package io.memorystreamer.itests.support;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Runs kcat, the command-line client built on librdkafka (the C client behind the Python, Go,
 * .NET and many other Kafka clients), which negotiates its own protocol versions, often older
 * ones than the Java client's.
 */
public final class Kcat {

    /** The outcome of one kcat run. */
    public record Result(int exitCode, String stdout, String stderr) {

        public List<String> lines() {
            return stdout.lines().toList();
        }
    }

    private Kcat() {
    }

    /** True when kcat is on the PATH. */
    public static boolean installed() {
        try {
            Process process = new ProcessBuilder("kcat", "-V").redirectErrorStream(true).start();
            process.getInputStream().readAllBytes();
            return process.waitFor(30, TimeUnit.SECONDS) && process.exitValue() == 0;
        } catch (IOException e) {
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    /** Runs kcat against the broker with {@code stdin} as its input (or none). */
    public static Result run(Path workDir, String bootstrap, String stdin, String... args) {
        try {
            Path out = Files.createTempFile(workDir, "kcat", ".out");
            Path err = Files.createTempFile(workDir, "kcat", ".err");
            Path in = Files.createTempFile(workDir, "kcat", ".in");
            Files.writeString(in, stdin == null ? "" : stdin, StandardCharsets.UTF_8);
            List<String> command = new ArrayList<>(List.of("kcat", "-b", bootstrap));
            command.addAll(List.of(args));
            Process process = new ProcessBuilder(command)
                    .redirectInput(in.toFile())
                    .redirectOutput(out.toFile())
                    .redirectError(err.toFile())
                    .start();
            if (!process.waitFor(60, TimeUnit.SECONDS)) {
                process.destroyForcibly();
                throw new AssertionError("kcat " + args[0] + " did not finish within 60 s: " + Files.readString(err));
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
