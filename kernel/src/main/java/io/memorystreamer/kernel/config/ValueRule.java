package io.memorystreamer.kernel.config;

import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.function.Predicate;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * What a configuration key accepts: a test on the (trimmed) text value and the sentence shown to
 * an operator when the test fails.
 *
 * @param description what is allowed, completing "expected ...", for example {@code an integer >= 1}
 * @param test accepts or refuses a value
 */
public record ValueRule(String description, Predicate<String> test) {

    /** Kafka's listener syntax: {@code NAME://host:port}, host empty for all interfaces, IPv6 in brackets. */
    private static final Pattern LISTENER =
            Pattern.compile("([A-Za-z][A-Za-z0-9_]*)://(\\[[0-9A-Fa-f:.]+]|[^:\\[\\]/\\s]*):(\\d{1,5})");
    private static final Pattern LISTENER_NAME = Pattern.compile("[A-Za-z][A-Za-z0-9_]*");
    private static final Set<String> SECURITY_PROTOCOLS = Set.of("PLAINTEXT", "SSL", "SASL_PLAINTEXT", "SASL_SSL");

    /** Whether {@code value} is allowed. */
    public boolean accepts(String value) {
        return test.test(value);
    }

    public static ValueRule intAtLeast(int min) {
        return new ValueRule("an integer >= " + min + " (at most " + Integer.MAX_VALUE + ")",
                v -> inRange(v, min, Integer.MAX_VALUE));
    }

    public static ValueRule longAtLeast(long min) {
        return new ValueRule("an integer >= " + min + " (at most " + Long.MAX_VALUE + ")",
                v -> inRange(v, min, Long.MAX_VALUE));
    }

    public static ValueRule longBetween(long min, long max) {
        return new ValueRule("an integer between " + min + " and " + max, v -> inRange(v, min, max));
    }

    public static ValueRule bool() {
        return new ValueRule("true or false", v -> v.equalsIgnoreCase("true") || v.equalsIgnoreCase("false"));
    }

    /** Exactly one of {@code allowed} (case-sensitive, as Kafka). */
    public static ValueRule oneOf(String... allowed) {
        List<String> values = List.of(allowed);
        return new ValueRule("one of " + String.join(", ", values), values::contains);
    }

    /** A non-empty comma-separated list whose every element is one of {@code allowed}. */
    public static ValueRule listOf(String... allowed) {
        List<String> values = List.of(allowed);
        return new ValueRule("a comma-separated list of " + String.join(", ", values),
                v -> !elements(v).isEmpty() && values.containsAll(elements(v)));
    }

    /** Any non-empty text. */
    public static ValueRule text() {
        return new ValueRule("a non-empty value", v -> !v.isEmpty());
    }

    /** A non-empty comma-separated list of paths. */
    public static ValueRule paths() {
        return new ValueRule("a comma-separated list of directories", v -> !elements(v).isEmpty());
    }

    /** Kafka's {@code listeners} syntax with unique listener names. */
    public static ValueRule listeners() {
        return new ValueRule("a comma-separated list of NAME://host:port with unique names and ports 0-65535, "
                + "for example PLAINTEXT://localhost:9092", ValueRule::isListenerList);
    }

    /** Kafka's {@code listener.security.protocol.map} syntax. */
    public static ValueRule protocolMap() {
        return new ValueRule("a comma-separated list of LISTENER_NAME:PROTOCOL with PROTOCOL one of "
                + "PLAINTEXT, SSL, SASL_PLAINTEXT, SASL_SSL", ValueRule::isProtocolMap);
    }

    /** The trimmed, non-empty elements of a comma-separated value. */
    public static List<String> elements(String value) {
        return Arrays.stream(value.split(",")).map(String::trim).filter(s -> !s.isEmpty()).toList();
    }

    /** The listener names of a value accepted by {@link #listeners()}. */
    public static List<String> listenerNames(String value) {
        return elements(value).stream().map(l -> l.substring(0, l.indexOf("://"))).toList();
    }

    private static boolean isListenerList(String value) {
        List<String> listeners = elements(value);
        Set<String> names = new HashSet<>();
        for (String listener : listeners) {
            Matcher m = LISTENER.matcher(listener);
            if (!m.matches() || Integer.parseInt(m.group(3)) > 65_535 || !names.add(m.group(1))) {
                return false;
            }
        }
        return !listeners.isEmpty() && value.split(",", -1).length == listeners.size();
    }

    private static boolean isProtocolMap(String value) {
        List<String> entries = elements(value);
        for (String entry : entries) {
            int colon = entry.indexOf(':');
            if (colon < 0 || !LISTENER_NAME.matcher(entry.substring(0, colon)).matches()
                    || !SECURITY_PROTOCOLS.contains(entry.substring(colon + 1))) {
                return false;
            }
        }
        return !entries.isEmpty();
    }

    private static boolean inRange(String value, long min, long max) {
        try {
            long n = Long.parseLong(value);
            return n >= min && n <= max;
        } catch (NumberFormatException e) {
            return false;
        }
    }
}
