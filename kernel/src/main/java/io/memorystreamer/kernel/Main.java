package io.memorystreamer.kernel;

import io.memorystreamer.kernel.config.ConfigException;
import io.memorystreamer.kernel.config.ServerConfig;
import io.memorystreamer.kernel.config.ServerConfigLoader;
import java.nio.file.Files;
import java.nio.file.Path;
import org.slf4j.ILoggerFactory;
import org.slf4j.LoggerFactory;

/**
 * The command-line launcher. Exit codes: 0 stopped normally, 1 bad arguments or a failure to set
 * up the framework, 2 invalid configuration, 3 the broker's services did not all start.
 */
public final class Main {

    static final int EXIT_FAILED = 1;
    static final int EXIT_BAD_CONFIG = 2;
    static final int EXIT_NOT_READY = 3;

    private Main() {
    }

    public static void main(String[] args) {
        CommandLine cli;
        try {
            cli = CommandLine.parse(args);
        } catch (IllegalArgumentException e) {
            System.err.println("memorystreamer: " + e.getMessage());
            System.err.println(CommandLine.USAGE);
            System.exit(EXIT_FAILED);
            return;
        }
        if (cli.help()) {
            System.out.println(CommandLine.USAGE);
            return;
        }
        useLogbackConfiguration(cli.home());

        ServerConfig config;
        try {
            config = new ServerConfigLoader(cli.home()).load(cli.config(), System.getenv());
        } catch (ConfigException e) {
            System.err.println(e.getMessage());
            System.exit(EXIT_BAD_CONFIG);
            return;
        }

        RunningKernel kernel;
        try {
            kernel = Kernel.start(KernelOptions.forHome(cli.home(), config));
        } catch (StartupException e) {
            flushLogs();
            System.exit(e.kind() == StartupException.Kind.NOT_READY ? EXIT_NOT_READY : EXIT_FAILED);
            return;
        }

        // SIGTERM and SIGINT mean "stop cleanly": handled here so a clean stop exits with 0
        // (the JVM's default would exit with 143). The hook covers every other way out.
        TerminationSignals.onTermination(() -> stopAndExit(kernel));
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            kernel.stop();
            flushLogs();
        }, "memorystreamer-shutdown-hook"));

        try {
            kernel.awaitStop();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        stopAndExit(kernel);
    }

    private static void stopAndExit(RunningKernel kernel) {
        boolean clean = kernel.stop();
        flushLogs();
        System.exit(clean ? 0 : EXIT_FAILED);
    }

    /** Points logback at {@code <home>/config/logback.xml} unless told otherwise; must run before any logging. */
    private static void useLogbackConfiguration(Path home) {
        Path file = home.resolve("config").resolve("logback.xml");
        if (System.getProperty("logback.configurationFile") == null && Files.isRegularFile(file)) {
            System.setProperty("logback.configurationFile", file.toString());
        }
    }

    /** Stops logback so buffered appenders write out before the JVM exits. */
    private static void flushLogs() {
        ILoggerFactory factory = LoggerFactory.getILoggerFactory();
        if (factory instanceof ch.qos.logback.classic.LoggerContext logback) {
            logback.stop();
        }
    }
}
