package io.memorystreamer.broker.internal.fetch;

import io.memorystreamer.spi.storage.PartitionId;
import io.memorystreamer.spi.storage.PartitionLog;

/**
 * A partition a waiting fetch reads, as it was when first read.
 *
 * @param id the partition
 * @param log its log
 * @param observedHighWatermark the high watermark at the first read
 * @param maxBytes the request's limit for this partition
 */
record WatchedPartition(PartitionId id, PartitionLog log, long observedHighWatermark, int maxBytes) {
}
