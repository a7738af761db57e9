package io.memorystreamer.kernel.config;

import java.io.IOException;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.Set;
import java.util.TreeMap;
import java.util.stream.Collectors;

/**
 * Reads {@code server.properties}, applies {@code MEMORYSTREAMER_<KEY>} environment overrides
 * (key upper-cased, dots as underscores), validates every value against
 * {@link ServerConfigSchema} and fills in defaults.
 */
public final class ServerConfigLoader {

    /** Prefix of the environment variables that override configuration keys. */
    public static final String ENV_PREFIX = "MEMORYSTREAMER_";

    /** Variables read by {@code bin/memorystreamer} itself; they are not configuration keys. */
    private static final Set<String> LAUNCHER_VARIABLES =
            Set.of("MEMORYSTREAMER_HOME", "MEMORYSTREAMER_HEAP_OPTS", "MEMORYSTREAMER_OPTS");

    private final Path home;

    /** @param home the distribution home, against which relative directories are resolved */
    public ServerConfigLoader(Path home) {
        this.home = home.toAbsolutePath().normalize();
    }

    /** Loads {@code file}, then applies the overrides found in {@code environment}. */
    public ServerConfig load(Path file, Map<String, String> environment) throws ConfigException {
        List<SourcedValue> values = new ArrayList<>(readFile(file));
        values.addAll(fromEnvironment(environment));
        return resolve(values);
    }

    /** Validates values given directly (for embedding the kernel); {@code source} names their origin. */
    public ServerConfig fromValues(Map<String, String> values, String source) throws ConfigException {
        List<SourcedValue> sourced = new ArrayList<>();
        values.forEach((k, v) -> sourced.add(new SourcedValue(k, v.trim(), source)));
        return resolve(sourced);
    }

    private static List<SourcedValue> readFile(Path file) throws ConfigException {
        Properties properties = new Properties();
        try (Reader reader = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            properties.load(reader);
        } catch (NoSuchFileException e) {
            throw new ConfigException("configuration file " + file.toAbsolutePath() + " does not exist");
        } catch (IOException | IllegalArgumentException e) {
            throw new ConfigException("cannot read configuration file " + file.toAbsolutePath() + ": " + e.getMessage());
        }
        String source = file.toAbsolutePath().normalize().toString();
        return properties.stringPropertyNames().stream().sorted()
                .map(k -> new SourcedValue(k.trim(), properties.getProperty(k).trim(), source))
                .toList();
    }

    private static List<SourcedValue> fromEnvironment(Map<String, String> environment) {
        return environment.entrySet().stream()
                .filter(e -> e.getKey().startsWith(ENV_PREFIX) && !LAUNCHER_VARIABLES.contains(e.getKey()))
                .sorted(Map.Entry.comparingByKey())
                .map(e -> new SourcedValue(
                        e.getKey().substring(ENV_PREFIX.length()).toLowerCase(Locale.ROOT).replace('_', '.'),
                        e.getValue().trim(),
                        "environment variable " + e.getKey()))
                .toList();
    }

    private ServerConfig resolve(List<SourcedValue> values) throws ConfigException {
        List<String> problems = new ArrayList<>();
        boolean unknownKeys = false;
        Map<String, SourcedValue> chosen = new LinkedHashMap<>();
        for (SourcedValue value : values) {
            Optional<ConfigKey> key = ServerConfigSchema.find(value.key());
            if (key.isEmpty()) {
                unknownKeys = true;
                problems.add("unknown key " + value.describe() + suggestion(value.key()));
            } else if (!key.get().rule().accepts(value.value())) {
                problems.add(value.describe() + ": expected " + key.get().rule().description());
            } else {
                chosen.put(value.key(), value);
            }
        }
        if (problems.isEmpty()) {
            checkListenersHaveProtocols(chosen, problems);
        }
        if (!problems.isEmpty()) {
            throw new ConfigException(problems, unknownKeys ? "Known keys: " + knownKeys() : null);
        }
        return new ServerConfig(effectiveValues(chosen));
    }

    private Map<String, String> effectiveValues(Map<String, SourcedValue> chosen) {
        Map<String, String> effective = new TreeMap<>();
        for (ConfigKey key : ServerConfigSchema.keys()) {
            SourcedValue set = chosen.get(key.name());
            String value = set != null ? set.value() : key.defaultValue();
            if (value != null) {
                effective.put(key.name(), key.directories() ? underHome(value) : value);
            }
        }
        // As in Kafka, log.dir is the fallback when log.dirs is not set.
        if (!chosen.containsKey(ServerConfigSchema.LOG_DIRS) && effective.containsKey(ServerConfigSchema.LOG_DIR)) {
            effective.put(ServerConfigSchema.LOG_DIRS, effective.get(ServerConfigSchema.LOG_DIR));
        }
        return effective;
    }

    /** Kafka refuses a listener whose name maps to no security protocol; so do we, before binding. */
    private static void checkListenersHaveProtocols(Map<String, SourcedValue> chosen, List<String> problems) {
        SourcedValue map = chosen.get(ServerConfigSchema.LISTENER_SECURITY_PROTOCOL_MAP);
        String mapValue = map != null ? map.value()
                : ServerConfigSchema.find(ServerConfigSchema.LISTENER_SECURITY_PROTOCOL_MAP).orElseThrow().defaultValue();
        Set<String> mapped = ValueRule.elements(mapValue).stream()
                .map(e -> e.substring(0, e.indexOf(':'))).collect(Collectors.toSet());
        for (String listenersKey : List.of(ServerConfigSchema.LISTENERS, ServerConfigSchema.ADVERTISED_LISTENERS)) {
            SourcedValue listeners = chosen.get(listenersKey);
            if (listeners == null) {
                continue;
            }
            for (String name : ValueRule.listenerNames(listeners.value())) {
                if (!mapped.contains(name)) {
                    problems.add(listeners.describe() + ": listener name " + name + " has no security protocol;"
                            + " expected a name mapped in " + ServerConfigSchema.LISTENER_SECURITY_PROTOCOL_MAP
                            + " (" + mapValue + ")");
                }
            }
        }
    }

    private String underHome(String directories) {
        return ValueRule.elements(directories).stream()
                .map(d -> home.resolve(d).normalize().toString())
                .collect(Collectors.joining(","));
    }

    private static String knownKeys() {
        return ServerConfigSchema.keys().stream().map(ConfigKey::name).collect(Collectors.joining(", "));
    }

    /** "; did you mean log.dirs?" for a near miss, else nothing. */
    private static String suggestion(String unknown) {
        return ServerConfigSchema.keys().stream()
                .map(ConfigKey::name)
                .min(Comparator.comparingInt(name -> editDistance(unknown, name)))
                .filter(name -> editDistance(unknown, name) <= 3)
                .map(name -> "; did you mean " + name + "?")
                .orElse("; it is not a MemoryStreamer setting");
    }

    private static int editDistance(String a, String b) {
        int[] previous = new int[b.length() + 1];
        int[] current = new int[b.length() + 1];
        for (int j = 0; j <= b.length(); j++) {
            previous[j] = j;
        }
        for (int i = 1; i <= a.length(); i++) {
            current[0] = i;
            for (int j = 1; j <= b.length(); j++) {
                int substitution = previous[j - 1] + (a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1);
                current[j] = Math.min(substitution, Math.min(previous[j], current[j - 1]) + 1);
            }
            int[] swap = previous;
            previous = current;
            current = swap;
        }
        return previous[b.length()];
    }

    /** A key as set by one source, for messages that say where a bad value came from. */
    private record SourcedValue(String key, String value, String source) {

        String describe() {
            return key + "=" + value + " (from " + source + ")";
        }
    }
}
