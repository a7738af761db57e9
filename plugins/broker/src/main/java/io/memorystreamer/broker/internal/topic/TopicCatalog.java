package io.memorystreamer.broker.internal.topic;

import io.memorystreamer.spi.storage.PartitionLog;
import java.util.Collection;
import java.util.Optional;
import org.apache.kafka.common.Uuid;

/**
 * The broker's view of topics and the logs of their partitions. Thread-safe.
 */
public interface TopicCatalog {

    Optional<TopicInfo> topic(String name);

    Optional<TopicInfo> topic(Uuid id);

    Collection<TopicInfo> topics();

    /** The open log of a partition, or empty when the topic or partition does not exist. */
    Optional<PartitionLog> log(String topic, int partition);

    /** The effective settings of a topic: its overrides over the broker defaults. */
    EffectiveTopicConfig config(String topic);
}
