package io.memorystreamer.state.rocksdb.internal;

import static java.nio.charset.StandardCharsets.US_ASCII;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.memorystreamer.spi.state.StateException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.rocksdb.ColumnFamilyDescriptor;
import org.rocksdb.ColumnFamilyHandle;
import org.rocksdb.DBOptions;
import org.rocksdb.Options;
import org.rocksdb.RocksDB;

class RocksDbDatabaseTest {

    @TempDir
    Path directory;

    @Test
    void namespacesAreColumnFamiliesApartFromTheDefaultFamily() throws Exception {
        // Given
        try (RocksDbDatabase database = RocksDbDatabase.open(directory)) {
            // When
            database.namespace("default").put(new byte[] {1}, new byte[] {2});
        }
        // Then
        try (Options options = new Options()) {
            assertThat(RocksDB.listColumnFamilies(options, directory.toString()))
                    .extracting(family -> new String(family, US_ASCII))
                    .containsExactlyInAnyOrder("default", "ns/default");
        }
    }

    @Test
    void columnFamiliesThatAreNotNamespacesAreIgnored() throws Exception {
        // Given: a family another tool added
        RocksDbDatabase.open(directory).close();
        withRawDatabase(db -> db.createColumnFamily(new ColumnFamilyDescriptor("scratch".getBytes(US_ASCII))).close());
        // When
        try (RocksDbDatabase database = RocksDbDatabase.open(directory)) {
            // Then
            assertThat(database.namespaceNames()).isEmpty();
        }
    }

    @Test
    void anUnknownFormatVersionIsRefused() throws Exception {
        // Given
        RocksDbDatabase.open(directory).close();
        withRawDatabase(db -> db.put("memorystreamer.state.format".getBytes(US_ASCII), new byte[] {0, 0, 0, 9}));
        // When / Then
        assertThatThrownBy(() -> RocksDbDatabase.open(directory))
                .isInstanceOf(StateException.class)
                .hasMessageContaining("format version 9");
        // and the refused open released the directory lock
        withRawDatabase(db -> {});
    }

    private interface RawAction {
        void run(RocksDB db) throws Exception;
    }

    private void withRawDatabase(RawAction action) throws Exception {
        List<ColumnFamilyDescriptor> descriptors = new ArrayList<>();
        try (Options listing = new Options()) {
            for (byte[] family : RocksDB.listColumnFamilies(listing, directory.toString())) {
                descriptors.add(new ColumnFamilyDescriptor(family));
            }
        }
        List<ColumnFamilyHandle> handles = new ArrayList<>();
        try (DBOptions options = new DBOptions();
                RocksDB db = RocksDB.open(options, directory.toString(), descriptors, handles)) {
            action.run(db);
            handles.forEach(ColumnFamilyHandle::close);
        }
    }
}
