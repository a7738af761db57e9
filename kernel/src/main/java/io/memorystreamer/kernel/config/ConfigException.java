package io.memorystreamer.kernel.config;

import java.util.List;

/**
 * The server configuration cannot be used. The message names every offending key, its value,
 * where the value came from and what is allowed, one problem per line.
 */
public final class ConfigException extends Exception {

    private static final long serialVersionUID = 1L;

    private final List<String> problems;

    public ConfigException(List<String> problems, String hint) {
        super(format(problems, hint));
        this.problems = List.copyOf(problems);
    }

    public ConfigException(String problem) {
        this(List.of(problem), null);
    }

    /** One sentence per problem found. */
    public List<String> problems() {
        return problems;
    }

    private static String format(List<String> problems, String hint) {
        StringBuilder message = new StringBuilder("Invalid configuration, MemoryStreamer will not start:");
        for (String problem : problems) {
            message.append(System.lineSeparator()).append("  - ").append(problem);
        }
        if (hint != null) {
            message.append(System.lineSeparator()).append(hint);
        }
        return message.toString();
    }
}
