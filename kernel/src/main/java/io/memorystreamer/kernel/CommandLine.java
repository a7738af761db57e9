package io.memorystreamer.kernel;

import java.nio.file.Path;

/**
 * The launcher's arguments: {@code [--home DIR] [--config FILE]}.
 *
 * @param home the distribution home ({@code --home}, else system property
 *     {@code memorystreamer.home}, else the working directory)
 * @param config the server configuration ({@code --config}, else {@code <home>/config/server.properties})
 * @param help whether usage was asked for
 */
record CommandLine(Path home, Path config, boolean help) {

    static final String USAGE = "Usage: java -cp 'lib/*' io.memorystreamer.kernel.Main [--home DIR] [--config FILE]";

    /** @throws IllegalArgumentException on an unknown option or a missing value */
    static CommandLine parse(String[] args) {
        Path home = null;
        Path config = null;
        boolean help = false;
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--home" -> home = Path.of(valueOf(args, ++i, "--home"));
                case "--config" -> config = Path.of(valueOf(args, ++i, "--config"));
                case "-h", "--help" -> help = true;
                default -> throw new IllegalArgumentException("unknown argument " + args[i]);
            }
        }
        if (home == null) {
            home = Path.of(System.getProperty("memorystreamer.home", ""));
        }
        home = home.toAbsolutePath().normalize();
        if (config == null) {
            config = home.resolve("config").resolve("server.properties");
        }
        return new CommandLine(home, config.toAbsolutePath().normalize(), help);
    }

    private static String valueOf(String[] args, int index, String option) {
        if (index >= args.length) {
            throw new IllegalArgumentException(option + " needs a value");
        }
        return args[index];
    }
}
