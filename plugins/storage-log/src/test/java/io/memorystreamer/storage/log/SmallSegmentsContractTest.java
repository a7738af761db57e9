package io.memorystreamer.storage.log;

import io.memorystreamer.spi.storage.LogConfig;
import io.memorystreamer.spi.storage.PartitionLogContract;
import io.memorystreamer.spi.storage.PartitionLogFactory;
import java.nio.file.Path;
import java.util.Map;

/**
 * The storage contract again with tiny segments and an index entry per batch, so that every
 * contract case also crosses segment boundaries, rolls and index lookups.
 */
class SmallSegmentsContractTest extends PartitionLogContract {

    @Override
    protected PartitionLogFactory createFactory(Path directory) {
        SegmentedLogFactory factory = new SegmentedLogFactory();
        factory.activate(Map.of("log.dirs", directory.toString()));
        return factory;
    }

    @Override
    protected void closeFactory(PartitionLogFactory factory) {
        ((SegmentedLogFactory) factory).deactivate();
    }

    @Override
    protected LogConfig config() {
        return new LogConfig(160, LogConfig.DEFAULT.segmentMs(), -1, -1, Long.MAX_VALUE, Long.MAX_VALUE, 0, 4096);
    }
}
