/**
 * The storage-log bundle: a {@link io.memorystreamer.spi.storage.PartitionLogFactory} that keeps
 * partition logs as Kafka-format segment files. Private to the bundle; other bundles use the
 * storage SPI service.
 */
package io.memorystreamer.storage.log;
