package io.memorystreamer.state.rocksdb;

import io.memorystreamer.spi.state.StateStore;
import io.memorystreamer.spi.state.StateStoreContract;
import java.nio.file.Path;
import java.util.Map;

class RocksDbStateStoreContractTest extends StateStoreContract {

    @Override
    protected StateStore open(Path directory) {
        return new RocksDbStateStore(Map.of("state.dir", directory.toString()));
    }

    @Override
    protected void close(StateStore store) {
        ((RocksDbStateStore) store).deactivate();
    }
}
