package io.memorystreamer.spi.storage;

import java.util.Objects;

/**
 * Names one partition of one topic.
 *
 * @param topic the topic name, never {@code null} or empty
 * @param partition the partition index, zero or more
 */
public record PartitionId(String topic, int partition) {

    public PartitionId {
        Objects.requireNonNull(topic, "topic");
        if (topic.isEmpty()) {
            throw new IllegalArgumentException("topic must not be empty");
        }
        if (partition < 0) {
            throw new IllegalArgumentException("partition must be >= 0, was " + partition);
        }
    }

    @Override
    public String toString() {
        return topic + "-" + partition;
    }
}
