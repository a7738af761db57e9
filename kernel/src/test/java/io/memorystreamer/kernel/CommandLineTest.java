package io.memorystreamer.kernel;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;

class CommandLineTest {

    @Test
    void configDefaultsToTheHomesServerProperties() {
        CommandLine cli = CommandLine.parse(new String[] {"--home", "/opt/ms"});

        assertThat(cli.home()).isEqualTo(Path.of("/opt/ms"));
        assertThat(cli.config()).isEqualTo(Path.of("/opt/ms/config/server.properties"));
        assertThat(cli.help()).isFalse();
    }

    @Test
    void configCanBeGivenExplicitly() {
        CommandLine cli = CommandLine.parse(new String[] {"--config", "/etc/ms/server.properties", "--home", "/opt/ms"});

        assertThat(cli.config()).isEqualTo(Path.of("/etc/ms/server.properties"));
    }

    @Test
    void unknownArgumentsAndMissingValuesAreRefused() {
        assertThatThrownBy(() -> CommandLine.parse(new String[] {"--daemon"}))
                .isInstanceOf(IllegalArgumentException.class).hasMessage("unknown argument --daemon");
        assertThatThrownBy(() -> CommandLine.parse(new String[] {"--config"}))
                .isInstanceOf(IllegalArgumentException.class).hasMessage("--config needs a value");
    }
}
