package io.memorystreamer.itests.support;

import io.memorystreamer.itests.support.ToolRunner.Result;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Runs kcat, the command-line client built on librdkafka (the C client behind the Python, Go,
 * .NET and many other Kafka clients), which negotiates its own protocol versions, often older
 * ones than the Java client's.
 */
public final class Kcat {

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
        List<String> command = new ArrayList<>(List.of("kcat", "-b", bootstrap));
        command.addAll(List.of(args));
        return ToolRunner.runCommand(workDir, stdin, command, Duration.ofSeconds(60));
    }
}
