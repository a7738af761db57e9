package io.memorystreamer.broker.internal.group;

import io.memorystreamer.spi.state.StateStore;
import io.memorystreamer.spi.state.WriteBatch;
import java.util.Collection;
import java.util.HashMap;
import java.util.Map;
import org.apache.kafka.common.TopicPartition;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Durable group state in the state store: committed offsets and group metadata (see
 * {@link GroupRecords} for the formats). Every write is durable when it returns; writes that
 * belong together go in one atomic batch. Thread-safe; calls may block on disk I/O.
 */
final class GroupStore {

    private static final Logger LOG = LoggerFactory.getLogger(GroupStore.class);

    /** Everything stored, as read at startup. */
    record Contents(Map<String, GroupRecords.StoredGroup> groups,
            Map<String, GroupRecords.StoredConsumerGroup> consumerGroups,
            Map<String, Map<TopicPartition, CommittedOffset>> offsets) {
    }

    private final StateStore state;

    GroupStore(StateStore state) {
        this.state = state;
    }

    /** Reads all groups and offsets; undecodable entries are skipped with a warning. */
    Contents load() {
        Map<String, GroupRecords.StoredGroup> groups = new HashMap<>();
        state.namespace(GroupRecords.GROUPS_NAMESPACE).scan(new byte[0], (key, value) -> {
            String groupId = GroupRecords.decodeGroupKey(key);
            try {
                groups.put(groupId, GroupRecords.decodeGroup(value));
            } catch (IllegalArgumentException e) {
                LOG.warn("Skipping unreadable metadata of group {}: {}", groupId, e.getMessage());
            }
        });
        Map<String, GroupRecords.StoredConsumerGroup> consumerGroups = new HashMap<>();
        state.namespace(GroupRecords.CONSUMER_GROUPS_NAMESPACE).scan(new byte[0], (key, value) -> {
            String groupId = GroupRecords.decodeGroupKey(key);
            try {
                consumerGroups.put(groupId, GroupRecords.decodeConsumerGroup(value));
            } catch (IllegalArgumentException e) {
                LOG.warn("Skipping unreadable metadata of consumer group {}: {}", groupId, e.getMessage());
            }
        });
        Map<String, Map<TopicPartition, CommittedOffset>> offsets = new HashMap<>();
        state.namespace(GroupRecords.OFFSETS_NAMESPACE).scan(new byte[0], (key, value) -> {
            try {
                GroupRecords.OffsetKey offsetKey = GroupRecords.decodeOffsetKey(key);
                offsets.computeIfAbsent(offsetKey.groupId(), id -> new HashMap<>())
                        .put(offsetKey.partition(), GroupRecords.decodeOffset(value));
            } catch (IllegalArgumentException e) {
                LOG.warn("Skipping an unreadable committed offset: {}", e.getMessage());
            }
        });
        return new Contents(groups, consumerGroups, offsets);
    }

    /** Stores offsets of one group atomically. */
    void putOffsets(String groupId, Map<TopicPartition, CommittedOffset> offsets) {
        if (offsets.isEmpty()) {
            return;
        }
        WriteBatch batch = new WriteBatch();
        offsets.forEach((partition, offset) -> batch.put(GroupRecords.OFFSETS_NAMESPACE,
                GroupRecords.offsetKey(groupId, partition), GroupRecords.encodeOffset(offset)));
        state.write(batch);
    }

    /** Removes offsets of one group atomically. */
    void deleteOffsets(String groupId, Collection<TopicPartition> partitions) {
        if (partitions.isEmpty()) {
            return;
        }
        WriteBatch batch = new WriteBatch();
        for (TopicPartition partition : partitions) {
            batch.delete(GroupRecords.OFFSETS_NAMESPACE, GroupRecords.offsetKey(groupId, partition));
        }
        state.write(batch);
    }

    /** Stores a classic group's metadata (replacing any consumer group of the same id). */
    void putGroup(String groupId, GroupRecords.StoredGroup group) {
        state.write(new WriteBatch()
                .put(GroupRecords.GROUPS_NAMESPACE, GroupRecords.groupKey(groupId), GroupRecords.encodeGroup(group))
                .delete(GroupRecords.CONSUMER_GROUPS_NAMESPACE, GroupRecords.groupKey(groupId)));
    }

    /** Stores a consumer group's metadata (replacing any classic group of the same id). */
    void putConsumerGroup(String groupId, GroupRecords.StoredConsumerGroup group) {
        state.write(new WriteBatch()
                .put(GroupRecords.CONSUMER_GROUPS_NAMESPACE, GroupRecords.groupKey(groupId),
                        GroupRecords.encodeConsumerGroup(group))
                .delete(GroupRecords.GROUPS_NAMESPACE, GroupRecords.groupKey(groupId)));
    }

    /** Removes a group's metadata (of either protocol) and the given offsets in one atomic write. */
    void deleteGroup(String groupId, Collection<TopicPartition> offsets) {
        WriteBatch batch = new WriteBatch()
                .delete(GroupRecords.GROUPS_NAMESPACE, GroupRecords.groupKey(groupId))
                .delete(GroupRecords.CONSUMER_GROUPS_NAMESPACE, GroupRecords.groupKey(groupId));
        for (TopicPartition partition : offsets) {
            batch.delete(GroupRecords.OFFSETS_NAMESPACE, GroupRecords.offsetKey(groupId, partition));
        }
        state.write(batch);
    }
}
