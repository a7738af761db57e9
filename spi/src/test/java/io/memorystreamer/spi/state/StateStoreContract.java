package io.memorystreamer.spi.state;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.InstanceOfAssertFactories.BYTE_ARRAY;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The behaviour every {@link StateStore} implementation must show. An implementation's test
 * extends this class and says how to open a store on a directory and how to close it.
 *
 * <p>Each test starts with a fresh, empty store on its own temporary directory.
 */
public abstract class StateStoreContract {

    private static final HexFormat HEX = HexFormat.of().withUpperCase();

    @TempDir
    Path directory;

    private StateStore store;

    protected StateStoreContract() {}

    /** Opens (creating if needed) a store kept in {@code directory}. */
    protected abstract StateStore open(Path directory);

    /** Closes a store opened by {@link #open}, releasing its directory. */
    protected abstract void close(StateStore store);

    @BeforeEach
    void openStore() {
        store = open(directory);
    }

    @AfterEach
    void closeStore() {
        if (store != null) {
            close(store);
        }
    }

    // --- get / put / delete ---------------------------------------------------------------

    @Test
    void getReturnsTheValueLastPut() {
        // Given
        StateNamespace offsets = store.namespace("offsets");
        offsets.put(utf8("group-1"), utf8("first"));
        // When
        offsets.put(utf8("group-1"), utf8("second"));
        // Then
        assertThat(offsets.get(utf8("group-1"))).get(BYTE_ARRAY).isEqualTo(utf8("second"));
    }

    @Test
    void getOfAnAbsentKeyIsEmpty() {
        assertThat(store.namespace("offsets").get(utf8("missing"))).isEmpty();
    }

    @Test
    void emptyValueIsStoredAndDistinctFromAbsence() {
        // Given
        StateNamespace flags = store.namespace("flags");
        // When
        flags.put(utf8("set"), new byte[0]);
        // Then
        assertThat(flags.get(utf8("set"))).get(BYTE_ARRAY).isEmpty();
    }

    @Test
    void deleteRemovesTheKey() {
        // Given
        StateNamespace offsets = store.namespace("offsets");
        offsets.put(utf8("group-1"), utf8("42"));
        // When
        offsets.delete(utf8("group-1"));
        // Then
        assertThat(offsets.get(utf8("group-1"))).isEmpty();
    }

    @Test
    void deleteOfAnAbsentKeyDoesNothing() {
        // Given
        StateNamespace offsets = store.namespace("offsets");
        offsets.put(utf8("kept"), utf8("1"));
        // When
        offsets.delete(utf8("absent"));
        // Then
        assertThat(keys(offsets, new byte[0])).containsExactly(hex(utf8("kept")));
    }

    @Test
    void concurrentWritersAreAllApplied() throws Exception {
        // Given
        StateNamespace counters = store.namespace("counters");
        int writers = 4;
        int keysPerWriter = 50;
        List<Future<?>> done = new ArrayList<>();
        // When
        try (ExecutorService pool = Executors.newFixedThreadPool(writers)) {
            for (int w = 0; w < writers; w++) {
                int writer = w;
                done.add(pool.submit(() -> {
                    for (int k = 0; k < keysPerWriter; k++) {
                        counters.put(bytes(writer, k), bytes(k));
                    }
                }));
            }
            for (Future<?> future : done) {
                future.get();
            }
        }
        // Then
        assertThat(keys(counters, new byte[0])).hasSize(writers * keysPerWriter);
        assertThat(counters.get(bytes(3, 49))).get(BYTE_ARRAY).isEqualTo(bytes(49));
    }

    // --- binary keys and scans --------------------------------------------------------------

    @Test
    void scanVisitsBinaryKeysInUnsignedOrder() {
        // Given
        StateNamespace ns = store.namespace("binary");
        for (byte[] key : List.of(bytes(0xFF), bytes(0x80), bytes(0x01, 0x00), bytes(0x7F),
                bytes(0x00), bytes(0x01))) {
            ns.put(key, key);
        }
        // When
        List<String> visited = keys(ns, new byte[0]);
        // Then
        assertThat(visited).containsExactly("00", "01", "0100", "7F", "80", "FF");
    }

    @Test
    void scanPassesEachKeyWithItsValue() {
        // Given
        StateNamespace ns = store.namespace("pairs");
        ns.put(bytes(1), utf8("one"));
        ns.put(bytes(2), utf8("two"));
        List<String> pairs = new ArrayList<>();
        // When
        ns.scan(new byte[0], (key, value) -> pairs.add(hex(key) + "=" + new String(value, UTF_8)));
        // Then
        assertThat(pairs).containsExactly("01=one", "02=two");
    }

    @Test
    void scanVisitsOnlyKeysStartingWithThePrefix() {
        // Given
        StateNamespace ns = store.namespace("prefixed");
        for (byte[] key : List.of(bytes(0x00, 0xFF), bytes(0x01), bytes(0x01, 0x00),
                bytes(0x01, 0xFF, 0xFF), bytes(0x02), bytes(0x02, 0x00))) {
            ns.put(key, key);
        }
        // When
        List<String> visited = keys(ns, bytes(0x01));
        // Then
        assertThat(visited).containsExactly("01", "0100", "01FFFF");
    }

    @Test
    void scanWithAPrefixEndingInFfStopsBeforeTheNextPrefix() {
        // Given
        StateNamespace ns = store.namespace("carry");
        for (byte[] key : List.of(bytes(0x01, 0xFE), bytes(0x01, 0xFF), bytes(0x01, 0xFF, 0x00),
                bytes(0x02), bytes(0x02, 0x00))) {
            ns.put(key, key);
        }
        // When
        List<String> visited = keys(ns, bytes(0x01, 0xFF));
        // Then
        assertThat(visited).containsExactly("01FF", "01FF00");
    }

    @Test
    void scanWithAnAllOnesPrefixReachesTheEndOfTheNamespace() {
        // Given
        StateNamespace ns = store.namespace("top");
        for (byte[] key : List.of(bytes(0xFF), bytes(0xFF, 0xFE), bytes(0xFF, 0xFF),
                bytes(0xFF, 0xFF, 0x00), bytes(0xFF, 0xFF, 0xFF, 0xFF))) {
            ns.put(key, key);
        }
        // When
        List<String> visited = keys(ns, bytes(0xFF, 0xFF));
        // Then
        assertThat(visited).containsExactly("FFFF", "FFFF00", "FFFFFFFF");
    }

    @Test
    void scanWithAnEmptyPrefixVisitsTheWholeNamespace() {
        // Given
        StateNamespace ns = store.namespace("all");
        ns.put(bytes(0x00), bytes(1));
        ns.put(bytes(0xFF, 0xFF), bytes(2));
        // When
        List<String> visited = keys(ns, new byte[0]);
        // Then
        assertThat(visited).containsExactly("00", "FFFF");
    }

    @Test
    void scanOfAnEmptyNamespaceVisitsNothing() {
        assertThat(keys(store.namespace("empty"), new byte[0])).isEmpty();
    }

    @Test
    void scanSeesTheStateAsOfItsStart() {
        // Given
        StateNamespace ns = store.namespace("snapshot");
        ns.put(bytes(1), bytes(1));
        ns.put(bytes(3), bytes(3));
        List<String> visited = new ArrayList<>();
        // When: the first visit changes keys the scan has not reached yet
        ns.scan(new byte[0], (key, value) -> {
            if (visited.isEmpty()) {
                ns.put(bytes(2), bytes(2));
                ns.delete(bytes(3));
            }
            visited.add(hex(key));
        });
        // Then
        assertThat(visited).containsExactly("01", "03");
        assertThat(keys(ns, new byte[0])).containsExactly("01", "02");
    }

    // --- namespaces -------------------------------------------------------------------------

    @Test
    void aFreshStoreHasNoNamespaces() {
        assertThat(store.namespaces()).isEmpty();
    }

    @Test
    void namespacesListsEveryNamespaceCreated() {
        // Given
        store.namespace("offsets");
        store.namespace("acls");
        // When
        var names = store.namespaces();
        // Then
        assertThat(names).containsExactlyInAnyOrder("offsets", "acls");
        assertThat(store.namespace("acls").name()).isEqualTo("acls");
    }

    @Test
    void namespacesAreIsolated() {
        // Given
        StateNamespace a = store.namespace("a");
        StateNamespace b = store.namespace("b");
        // When
        a.put(utf8("key"), utf8("in-a"));
        b.put(utf8("key"), utf8("in-b"));
        b.put(utf8("only-b"), utf8("x"));
        // Then
        assertThat(a.get(utf8("key"))).get(BYTE_ARRAY).isEqualTo(utf8("in-a"));
        assertThat(b.get(utf8("key"))).get(BYTE_ARRAY).isEqualTo(utf8("in-b"));
        assertThat(keys(a, new byte[0])).containsExactly(hex(utf8("key")));
        assertThat(store.namespace("c").get(utf8("key"))).isEmpty();
    }

    @ParameterizedTest
    @ValueSource(strings = {"", " ", "a b", "a/b", "a:b", "a\\b", "caf\u00e9", "tab\t",
        "sixty-five-characters-xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx"})
    void invalidNamespaceNamesAreRejected(String name) {
        assertThatThrownBy(() -> store.namespace(name)).isInstanceOf(IllegalArgumentException.class);
        assertThat(store.namespaces()).isEmpty();
    }

    @ParameterizedTest
    @ValueSource(strings = {"a", "Z", "0", "default", "group.offsets_v1-2", "__consumer_offsets",
        "sixty-four-characters-xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx"})
    void validNamespaceNamesAreAccepted(String name) {
        // When
        store.namespace(name).put(utf8("k"), utf8("v"));
        // Then
        assertThat(store.namespaces()).containsExactly(name);
    }

    // --- write batches ----------------------------------------------------------------------

    @Test
    void writeBatchAppliesEveryOperationAcrossNamespaces() {
        // Given
        store.namespace("a").put(utf8("old"), utf8("1"));
        WriteBatch batch = new WriteBatch()
                .put("a", utf8("k1"), utf8("v1"))
                .put("b", utf8("k2"), utf8("v2"))
                .delete("a", utf8("old"));
        // When
        store.write(batch);
        // Then
        assertThat(store.namespace("a").get(utf8("k1"))).get(BYTE_ARRAY).isEqualTo(utf8("v1"));
        assertThat(store.namespace("b").get(utf8("k2"))).get(BYTE_ARRAY).isEqualTo(utf8("v2"));
        assertThat(store.namespace("a").get(utf8("old"))).isEmpty();
        assertThat(store.namespaces()).containsExactlyInAnyOrder("a", "b");
    }

    @Test
    void writeBatchAppliesOperationsInOrder() {
        // Given
        WriteBatch batch = new WriteBatch()
                .put("a", utf8("k"), utf8("first"))
                .delete("a", utf8("k"))
                .put("a", utf8("j"), utf8("first"))
                .put("a", utf8("j"), utf8("last"));
        // When
        store.write(batch);
        // Then
        assertThat(store.namespace("a").get(utf8("k"))).isEmpty();
        assertThat(store.namespace("a").get(utf8("j"))).get(BYTE_ARRAY).isEqualTo(utf8("last"));
    }

    @Test
    void writeBatchWithAnInvalidNamespaceAppliesNothing() {
        // Given
        WriteBatch batch = new WriteBatch()
                .put("good", utf8("k"), utf8("v"))
                .put("bad name", utf8("k"), utf8("v"));
        // When / Then
        assertThatThrownBy(() -> store.write(batch)).isInstanceOf(IllegalArgumentException.class);
        assertThat(store.namespace("good").get(utf8("k"))).isEmpty();
    }

    @Test
    void emptyWriteBatchChangesNothing() {
        // When
        store.write(new WriteBatch());
        // Then
        assertThat(store.namespaces()).isEmpty();
    }

    // --- durability and copies --------------------------------------------------------------

    @Test
    void reopeningKeepsDataAndNamespaces() {
        // Given
        store.namespace("offsets").put(utf8("g"), utf8("7"));
        store.namespace("offsets").put(utf8("gone"), utf8("x"));
        store.namespace("offsets").delete(utf8("gone"));
        store.namespace("empty");
        store.write(new WriteBatch().put("acls", utf8("rule"), utf8("allow")));
        // When
        close(store);
        store = null;
        store = open(directory);
        // Then
        assertThat(store.namespaces()).containsExactlyInAnyOrder("offsets", "empty", "acls");
        assertThat(store.namespace("offsets").get(utf8("g"))).get(BYTE_ARRAY).isEqualTo(utf8("7"));
        assertThat(store.namespace("offsets").get(utf8("gone"))).isEmpty();
        assertThat(store.namespace("acls").get(utf8("rule"))).get(BYTE_ARRAY).isEqualTo(utf8("allow"));
    }

    @Test
    void arraysPassedInAreCopied() {
        // Given
        StateNamespace ns = store.namespace("copies");
        byte[] key = bytes(1);
        byte[] value = bytes(2);
        ns.put(key, value);
        // When
        key[0] = 9;
        value[0] = 9;
        // Then
        assertThat(ns.get(bytes(1))).get(BYTE_ARRAY).containsExactly(2);
    }

    @Test
    void arraysReturnedBelongToTheCaller() {
        // Given
        StateNamespace ns = store.namespace("copies");
        ns.put(bytes(1), bytes(2));
        // When
        ns.get(bytes(1)).orElseThrow()[0] = 9;
        ns.scan(new byte[0], (key, value) -> {
            key[0] = 9;
            value[0] = 9;
        });
        // Then
        assertThat(keys(ns, new byte[0])).containsExactly("01");
        assertThat(ns.get(bytes(1))).get(BYTE_ARRAY).containsExactly(2);
    }

    // --- helpers ----------------------------------------------------------------------------

    /** The hex form of every key {@code scan} visits, in visiting order. */
    protected static List<String> keys(StateNamespace namespace, byte[] prefix) {
        List<String> keys = new ArrayList<>();
        namespace.scan(prefix, (key, value) -> keys.add(hex(key)));
        return keys;
    }

    protected static byte[] bytes(int... values) {
        byte[] bytes = new byte[values.length];
        for (int i = 0; i < values.length; i++) {
            bytes[i] = (byte) values[i];
        }
        return bytes;
    }

    protected static byte[] utf8(String text) {
        return text.getBytes(UTF_8);
    }

    protected static String hex(byte[] bytes) {
        return HEX.formatHex(bytes);
    }
}
