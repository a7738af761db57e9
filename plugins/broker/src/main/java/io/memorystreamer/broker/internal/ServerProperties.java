package io.memorystreamer.broker.internal;

import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * Typed, validating access to the server configuration (Kafka key names, String values). Every
 * parse error names the offending key, so an operator can fix {@code server.properties} at once.
 */
public final class ServerProperties {

    private final Map<String, String> values;

    private ServerProperties(Map<String, String> values) {
        this.values = values;
    }

    /**
     * Copies a configuration as handed to a DS component: values are turned into Strings and
     * component bookkeeping keys ({@code component.*}, {@code service.*}, {@code osgi.*}) dropped.
     */
    public static ServerProperties of(Map<String, ?> properties) {
        Map<String, String> values = new TreeMap<>();
        properties.forEach((key, value) -> {
            if (value != null && !key.startsWith("component.") && !key.startsWith("service.")
                    && !key.startsWith("osgi.") && !key.startsWith("felix.")) {
                values.put(key, String.valueOf(value).trim());
            }
        });
        return new ServerProperties(values);
    }

    /** Every key with its value, sorted by key. */
    public Map<String, String> asMap() {
        return Map.copyOf(values);
    }

    /** The value when present and not blank. */
    public Optional<String> get(String key) {
        String value = values.get(key);
        return value == null || value.isEmpty() ? Optional.empty() : Optional.of(value);
    }

    public String getString(String key, String defaultValue) {
        return get(key).orElse(defaultValue);
    }

    public int getInt(String key, int defaultValue) {
        return get(key).map(v -> parseInt(key, v)).orElse(defaultValue);
    }

    public long getLong(String key, long defaultValue) {
        return get(key).map(v -> parseLong(key, v)).orElse(defaultValue);
    }

    public boolean getBoolean(String key, boolean defaultValue) {
        return get(key).map(v -> parseBoolean(key, v)).orElse(defaultValue);
    }

    /** Like {@link #getInt} but rejects values below {@code min}. */
    public int getInt(String key, int defaultValue, int min) {
        int value = getInt(key, defaultValue);
        if (value < min) {
            throw invalid(key, String.valueOf(value), "must be at least " + min);
        }
        return value;
    }

    public static int parseInt(String key, String value) {
        try {
            return Integer.parseInt(value.trim());
        } catch (NumberFormatException e) {
            throw invalid(key, value, "not a number of type INT");
        }
    }

    public static long parseLong(String key, String value) {
        try {
            return Long.parseLong(value.trim());
        } catch (NumberFormatException e) {
            throw invalid(key, value, "not a number of type LONG");
        }
    }

    public static boolean parseBoolean(String key, String value) {
        String v = value.trim();
        if (v.equalsIgnoreCase("true")) {
            return true;
        }
        if (v.equalsIgnoreCase("false")) {
            return false;
        }
        throw invalid(key, value, "expected true or false");
    }

    private static IllegalArgumentException invalid(String key, String value, String why) {
        return new IllegalArgumentException("Invalid value " + value + " for configuration " + key + ": " + why);
    }
}
