package io.memorystreamer.kernel.config;

import java.util.Objects;

/**
 * One key of {@code server.properties}.
 *
 * @param name Kafka's key name, for example {@code log.dirs}
 * @param defaultValue the value used when the key is not set, or {@code null} when it has none
 *     (the key is then absent from the published configuration)
 * @param rule what the key accepts
 * @param directories whether the value is a comma-separated list of directories that the kernel
 *     resolves against the distribution home when relative
 */
public record ConfigKey(String name, String defaultValue, ValueRule rule, boolean directories) {

    public ConfigKey {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(rule, "rule");
    }

    static ConfigKey key(String name, String defaultValue, ValueRule rule) {
        return new ConfigKey(name, defaultValue, rule, false);
    }

    static ConfigKey directories(String name, String defaultValue) {
        return new ConfigKey(name, defaultValue, ValueRule.paths(), true);
    }
}
