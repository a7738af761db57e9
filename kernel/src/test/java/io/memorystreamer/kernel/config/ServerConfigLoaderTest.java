package io.memorystreamer.kernel.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ServerConfigLoaderTest {

    @TempDir
    Path home;

    private Path configFile(String content) throws IOException {
        Path file = home.resolve("config").resolve("server.properties");
        Files.createDirectories(file.getParent());
        Files.writeString(file, content, StandardCharsets.UTF_8);
        return file;
    }

    private ServerConfig load(String content, Map<String, String> env) throws Exception {
        return new ServerConfigLoader(home).load(configFile(content), env);
    }

    @Test
    void fillsEveryDefaultAndResolvesLogDirsUnderHome() throws Exception {
        // Given an empty configuration file
        // When it is loaded
        ServerConfig config = load("", Map.of());

        // Then every key with a default is present, as Kafka's default
        assertThat(config.asMap())
                .containsEntry("node.id", "1")
                .containsEntry("listeners", "PLAINTEXT://localhost:9092")
                .containsEntry("message.max.bytes", "1048588")
                .containsEntry("log.retention.hours", "168")
                .containsEntry("log.flush.interval.messages", "9223372036854775807")
                .containsEntry("plugin.dir.poll.interval.ms", "2000")
                .containsEntry("log.dirs", home.toAbsolutePath().resolve("data").toString())
                .doesNotContainKeys("advertised.listeners", "log.retention.ms", "state.dir");
        assertThat(config.asMap()).hasSize((int) ServerConfigSchema.keys().stream().filter(k -> k.defaultValue() != null).count());
    }

    @Test
    void fileValuesReplaceDefaults() throws Exception {
        // Given a file that sets listeners, an absolute log dir and a retention
        ServerConfig config = load("""
                # a comment
                listeners = PLAINTEXT://127.0.0.1:0
                log.dirs=/var/lib/ms/a, /var/lib/ms/b
                log.retention.ms=-1
                """, Map.of());

        // Then they are the effective values, trimmed
        assertThat(config.asMap())
                .containsEntry("listeners", "PLAINTEXT://127.0.0.1:0")
                .containsEntry("log.dirs", "/var/lib/ms/a,/var/lib/ms/b")
                .containsEntry("log.retention.ms", "-1");
    }

    @Test
    void environmentOverridesTheFile() throws Exception {
        // Given a file value and an environment override for the same key
        ServerConfig config = load("log.dirs=from-file\n", Map.of(
                "MEMORYSTREAMER_LOG_DIRS", "/from/env",
                "MEMORYSTREAMER_NUM_IO_THREADS", "16",
                "MEMORYSTREAMER_HEAP_OPTS", "-Xmx1g",
                "PATH", "/usr/bin"));

        // Then the environment wins, and launcher variables are not mistaken for keys
        assertThat(config.get("log.dirs")).contains("/from/env");
        assertThat(config.get("num.io.threads")).contains("16");
    }

    @Test
    void logDirIsTheFallbackForLogDirs() throws Exception {
        ServerConfig config = load("log.dir=/single\n", Map.of());

        assertThat(config.get("log.dirs")).contains("/single");
    }

    @Test
    void unknownKeyIsRefusedWithItsSourceAndASuggestion() throws Exception {
        // Given a typo in the file
        Path file = configFile("log.dirz=/x\n");

        // When it is loaded
        ConfigException e = catchThrowableOfType(ConfigException.class,
                () -> new ServerConfigLoader(home).load(file, Map.of()));

        // Then the message names key, value, file and the likely intended key
        assertThat(e.problems()).singleElement().asString()
                .contains("unknown key log.dirz=/x")
                .contains("(from " + file.toAbsolutePath() + ")")
                .contains("did you mean log.dirs?");
        assertThat(e.getMessage()).contains("Known keys: node.id, listeners");
    }

    @Test
    void badValueIsRefusedNamingWhatIsAllowed() throws Exception {
        Path file = configFile("log.segment.bytes=ten\nnum.partitions=0\n");

        ConfigException e = catchThrowableOfType(ConfigException.class,
                () -> new ServerConfigLoader(home).load(file, Map.of()));

        assertThat(e.problems()).containsExactlyInAnyOrder(
                "log.segment.bytes=ten (from " + file.toAbsolutePath() + "): expected an integer >= 14 (at most 2147483647)",
                "num.partitions=0 (from " + file.toAbsolutePath() + "): expected an integer >= 1 (at most 2147483647)");
    }

    @Test
    void badEnvironmentValueNamesTheVariable() throws Exception {
        ConfigException e = catchThrowableOfType(ConfigException.class,
                () -> load("", Map.of("MEMORYSTREAMER_AUTO_CREATE_TOPICS_ENABLE", "yes")));

        assertThat(e.problems()).containsExactly(
                "auto.create.topics.enable=yes (from environment variable MEMORYSTREAMER_AUTO_CREATE_TOPICS_ENABLE):"
                        + " expected true or false");
    }

    @Test
    void unknownEnvironmentVariableIsRefused() {
        assertThatThrownBy(() -> load("", Map.of("MEMORYSTREAMER_LOG_DIRSS", "/x")))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("unknown key log.dirss=/x (from environment variable MEMORYSTREAMER_LOG_DIRSS)");
    }

    @Test
    void malformedListenersAreRefused() {
        for (String listeners : new String[] {"localhost:9092", "PLAINTEXT://localhost:99999", "PLAINTEXT://:1,PLAINTEXT://:2",
                "PLAINTEXT://host:1,", ""}) {
            assertThatThrownBy(() -> load("listeners=" + listeners + "\n", Map.of()))
                    .as(listeners)
                    .isInstanceOf(ConfigException.class)
                    .hasMessageContaining("expected a comma-separated list of NAME://host:port");
        }
    }

    @Test
    void wellFormedListenersAreAccepted() throws Exception {
        ServerConfig config = load("listeners=PLAINTEXT://:9092,SSL://[::1]:9093,SASL_SSL://0.0.0.0:0\n", Map.of());

        assertThat(config.get("listeners")).contains("PLAINTEXT://:9092,SSL://[::1]:9093,SASL_SSL://0.0.0.0:0");
    }

    @Test
    void listenerWithoutSecurityProtocolIsRefused() {
        assertThatThrownBy(() -> load("listeners=INTERNAL://:9092\n", Map.of()))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("listener name INTERNAL has no security protocol");
    }

    @Test
    void mappedListenerNameIsAccepted() throws Exception {
        ServerConfig config = load("""
                listeners=INTERNAL://:9092
                listener.security.protocol.map=INTERNAL:PLAINTEXT
                """, Map.of());

        assertThat(config.get("listeners")).contains("INTERNAL://:9092");
    }

    @Test
    void enumeratedValuesAreCheckedExactly() {
        assertThatThrownBy(() -> load("log.message.timestamp.type=createtime\nlog.cleanup.policy=delete,shred\n", Map.of()))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("expected one of CreateTime, LogAppendTime")
                .hasMessageContaining("expected a comma-separated list of delete, compact");
    }

    @Test
    void missingFileIsReported() {
        assertThatThrownBy(() -> new ServerConfigLoader(home).load(home.resolve("nope.properties"), Map.of()))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("nope.properties does not exist");
    }

    @Test
    void valuesGivenDirectlyAreValidatedToo() {
        assertThatThrownBy(() -> new ServerConfigLoader(home).fromValues(Map.of("startup.timeout.ms", "0"), "test"))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("startup.timeout.ms=0 (from test): expected an integer between 1 and 3600000");
    }
}
