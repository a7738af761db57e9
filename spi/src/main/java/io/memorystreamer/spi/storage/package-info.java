/**
 * Storage SPI: partition logs that hold Kafka record batches (magic v2) exactly as a client sent
 * them, once the broker has validated them.
 *
 * <p>The broker obtains a {@link io.memorystreamer.spi.storage.PartitionLog} per partition from the
 * {@link io.memorystreamer.spi.storage.PartitionLogFactory} service. Implementations may decorate
 * one another (encryption at rest, replication), so callers rely only on this contract.
 */
@org.osgi.annotation.versioning.Version("1.1.0")
package io.memorystreamer.spi.storage;
