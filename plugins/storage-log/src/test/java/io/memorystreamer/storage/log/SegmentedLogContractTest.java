package io.memorystreamer.storage.log;

import io.memorystreamer.spi.storage.PartitionLogContract;
import io.memorystreamer.spi.storage.PartitionLogFactory;
import java.nio.file.Path;
import java.util.Map;

/** The storage contract, run against the segmented log with Kafka's default log settings. */
class SegmentedLogContractTest extends PartitionLogContract {

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
}
