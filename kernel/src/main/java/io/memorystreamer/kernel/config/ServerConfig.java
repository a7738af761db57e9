package io.memorystreamer.kernel.config;

import java.time.Duration;
import java.util.Collections;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * The effective server configuration: every key that is set or has a default, as text, after
 * environment overrides, validation and resolution of relative directories. Immutable.
 */
public final class ServerConfig {

    private final Map<String, String> values;

    ServerConfig(Map<String, String> values) {
        this.values = Collections.unmodifiableMap(new TreeMap<>(values));
    }

    /** All effective keys and values, sorted by key. */
    public Map<String, String> asMap() {
        return values;
    }

    public Optional<String> get(String key) {
        return Optional.ofNullable(values.get(key));
    }

    /** A key that has a default and an integer rule, as a duration in milliseconds. */
    public Duration millis(String key) {
        String value = values.get(key);
        if (value == null) {
            throw new IllegalArgumentException("no value and no default for " + key);
        }
        return Duration.ofMillis(Long.parseLong(value));
    }

    @Override
    public String toString() {
        return values.toString();
    }
}
