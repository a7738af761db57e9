package io.memorystreamer.transport.netty.internal;

import java.util.Map;

/** Reads typed values from the String-valued configuration, naming the key in every error. */
final class ConfigValues {

    private final Map<String, ?> properties;

    ConfigValues(Map<String, ?> properties) {
        this.properties = properties;
    }

    String string(String key, String defaultValue) {
        Object value = properties.get(key);
        return value == null ? defaultValue : value.toString().trim();
    }

    int integer(String key, int defaultValue, long min, String rule) {
        return (int) longValue(key, defaultValue, min, Integer.MAX_VALUE, rule);
    }

    long longValue(String key, long defaultValue, long min, long max, String rule) {
        String text = string(key, null);
        if (text == null) {
            return defaultValue;
        }
        long parsed;
        try {
            parsed = Long.parseLong(text);
        } catch (NumberFormatException e) {
            throw invalid(key, text, "not a number; " + rule);
        }
        if (parsed < min || parsed > max) {
            throw invalid(key, text, rule);
        }
        return parsed;
    }

    /** A socket buffer size: -1 leaves the operating system's default, otherwise at least 1. */
    int socketBuffer(String key, int defaultValue) {
        int value = integer(key, defaultValue, -1, "must be -1 (system default) or a size in bytes >= 1");
        if (value == 0) {
            throw invalid(key, "0", "must be -1 (system default) or a size in bytes >= 1");
        }
        return value;
    }

    static IllegalArgumentException invalid(String key, String value, String reason) {
        return new IllegalArgumentException(
                "Invalid value '" + value + "' for configuration key '" + key + "': " + reason);
    }
}
