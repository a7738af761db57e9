package io.memorystreamer.state.rocksdb;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.InstanceOfAssertFactories.BYTE_ARRAY;

import io.memorystreamer.spi.state.StateException;
import io.memorystreamer.spi.state.StateNamespace;
import io.memorystreamer.spi.state.WriteBatch;
import java.nio.file.Path;
import java.util.Map;
import org.assertj.core.api.ThrowableAssert.ThrowingCallable;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class RocksDbStateStoreTest {

    @TempDir
    Path directory;

    @Test
    void defaultDirectoryIsDotStateInTheFirstLogDir() {
        // Given
        Path first = directory.resolve("logs-1");
        Path second = directory.resolve("logs-2");
        RocksDbStateStore store = new RocksDbStateStore(Map.of("log.dirs", first + "," + second));
        // When
        store.namespace("offsets").put(bytes("k"), bytes("v"));
        store.deactivate();
        // Then
        assertThat(first.resolve(".state/CURRENT")).exists();
        assertThat(second).doesNotExist();
    }

    @Test
    void stateDirWinsOverLogDirs() {
        // Given
        Path state = directory.resolve("state");
        // When
        RocksDbStateStore store = new RocksDbStateStore(
                Map.of("state.dir", state.toString(), "log.dirs", directory.resolve("logs").toString()));
        store.deactivate();
        // Then
        assertThat(state.resolve("CURRENT")).exists();
        assertThat(directory.resolve("logs")).doesNotExist();
    }

    @Test
    void missingDirectoryConfigurationIsRejected() {
        assertThatThrownBy(() -> new RocksDbStateStore(Map.of()))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("state.dir");
    }

    @Test
    void everyOperationFailsClearlyAfterClose() {
        // Given
        RocksDbStateStore store = open();
        StateNamespace offsets = store.namespace("offsets");
        offsets.put(bytes("k"), bytes("v"));
        // When
        store.deactivate();
        // Then
        for (ThrowingCallable operation : new ThrowingCallable[] {
            () -> offsets.get(bytes("k")),
            () -> offsets.put(bytes("k"), bytes("v")),
            () -> offsets.delete(bytes("k")),
            () -> offsets.scan(new byte[0], (key, value) -> {}),
            () -> store.namespace("offsets"),
            store::namespaces,
            () -> store.write(new WriteBatch().put("offsets", bytes("k"), bytes("v"))),
            () -> store.write(new WriteBatch()),
        }) {
            assertThatThrownBy(operation).isInstanceOf(StateException.class).hasMessageContaining("is closed");
        }
    }

    @Test
    void closingTwiceIsHarmless() {
        // Given
        RocksDbStateStore store = open();
        // When
        store.deactivate();
        store.deactivate();
        // Then: the directory was released and opens again
        RocksDbStateStore reopened = open();
        assertThat(reopened.namespaces()).isEmpty();
        reopened.deactivate();
    }

    @Test
    void aSecondStoreOnTheSameDirectoryFailsNamingIt() {
        // Given
        RocksDbStateStore store = open();
        try {
            // When / Then
            assertThatThrownBy(this::open)
                    .isInstanceOf(StateException.class)
                    .hasMessageContaining(directory.toString())
                    .hasMessageContaining("lock");
        } finally {
            store.deactivate();
        }
    }

    @Test
    void unrelatedConfigurationChangesKeepTheStoreOpen() {
        // Given
        RocksDbStateStore store = open();
        // When
        store.modified(Map.of("state.dir", directory.resolve("elsewhere").toString(), "num.io.threads", "8"));
        // Then
        store.namespace("offsets").put(bytes("k"), bytes("v"));
        assertThat(store.namespace("offsets").get(bytes("k"))).get(BYTE_ARRAY).isEqualTo(bytes("v"));
        store.deactivate();
    }

    private RocksDbStateStore open() {
        return new RocksDbStateStore(Map.of("state.dir", directory.toString()));
    }

    private static byte[] bytes(String text) {
        return text.getBytes(UTF_8);
    }
}
