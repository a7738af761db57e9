package io.memorystreamer.broker.internal.topic;

import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.stream.Collectors;
import org.apache.kafka.common.errors.InvalidConfigurationException;

/**
 * Validates one configuration value and returns it normalised (trimmed, canonical spelling).
 * Messages follow Kafka's {@code Invalid value V for configuration K: reason}.
 */
@FunctionalInterface
public interface ConfigValueCheck {

    /**
     * @throws InvalidConfigurationException naming the key and the bad value
     */
    String check(String key, String value);

    static InvalidConfigurationException invalid(String key, String value, String reason) {
        return new InvalidConfigurationException("Invalid value " + value + " for configuration " + key + ": " + reason);
    }

    static ConfigValueCheck intAtLeast(int min) {
        return (key, value) -> {
            int v;
            try {
                v = Integer.parseInt(value.trim());
            } catch (NumberFormatException e) {
                throw invalid(key, value, "Not a number of type INT");
            }
            if (v < min) {
                throw invalid(key, value, "Value must be at least " + min);
            }
            return String.valueOf(v);
        };
    }

    static ConfigValueCheck longAtLeast(long min) {
        return (key, value) -> {
            long v;
            try {
                v = Long.parseLong(value.trim());
            } catch (NumberFormatException e) {
                throw invalid(key, value, "Not a number of type LONG");
            }
            if (v < min) {
                throw invalid(key, value, "Value must be at least " + min);
            }
            return String.valueOf(v);
        };
    }

    static ConfigValueCheck doubleBetween(double min, double max) {
        return (key, value) -> {
            double v;
            try {
                v = Double.parseDouble(value.trim());
            } catch (NumberFormatException e) {
                throw invalid(key, value, "Not a number of type DOUBLE");
            }
            if (v < min || v > max) {
                throw invalid(key, value, "Value must be between " + min + " and " + max);
            }
            return String.valueOf(v);
        };
    }

    static ConfigValueCheck bool() {
        return (key, value) -> {
            String v = value.trim().toLowerCase(Locale.ROOT);
            if (!v.equals("true") && !v.equals("false")) {
                throw invalid(key, value, "Expected value to be either true or false");
            }
            return v;
        };
    }

    /** One of a fixed set of strings, compared case-sensitively as Kafka does. */
    static ConfigValueCheck oneOf(String... allowed) {
        List<String> values = List.of(allowed);
        return (key, value) -> {
            String v = value.trim();
            if (!values.contains(v)) {
                throw invalid(key, value, "String must be one of: " + String.join(", ", values));
            }
            return v;
        };
    }

    /** A comma-separated list whose items are each one of a fixed set. */
    static ConfigValueCheck listOf(String... allowed) {
        Set<String> values = Set.of(allowed);
        return (key, value) -> {
            List<String> items = Arrays.stream(value.split(",")).map(String::trim).filter(s -> !s.isEmpty()).toList();
            for (String item : items) {
                if (!values.contains(item)) {
                    throw invalid(key, value, "Invalid value " + item + " for configuration " + key
                            + ": String must be one of: " + String.join(", ", allowed));
                }
            }
            return items.stream().distinct().collect(Collectors.joining(","));
        };
    }
}
