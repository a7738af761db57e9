package io.memorystreamer.broker.internal.group;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;
import java.util.function.LongSupplier;
import org.apache.kafka.common.TopicPartition;

/**
 * All groups of this coordinator, each with its own lock (there is no global lock). Runs every
 * operation on a group under the group's lock, then completes the parked requests the operation
 * answered after unlocking.
 *
 * <p>A removed group is marked {@link GroupState#DEAD} under its lock before it leaves the map, so
 * an operation that raced with the removal looks the group up again.
 */
final class GroupRegistry {

    private final Map<String, ClassicGroup> groups = new ConcurrentHashMap<>();
    private final LongSupplier clock;

    GroupRegistry(LongSupplier clock) {
        this.clock = clock;
    }

    /** Rebuilds the groups stored before a restart: all empty, with their offsets. */
    void restore(GroupStore.Contents contents) {
        long nowMs = clock.getAsLong();
        contents.groups().forEach((groupId, stored) -> {
            // A group that had members when the broker stopped is empty from now on: its retention
            // starts now, not when it was last stable.
            long emptySince = stored.wasEmpty() ? stored.stateTimestampMs() : nowMs;
            groups.put(groupId, ClassicGroup.restored(groupId, stored.protocolType(), stored.generationId(), emptySince));
        });
        contents.offsets().forEach((groupId, offsets) -> {
            ClassicGroup group = groups.computeIfAbsent(groupId, id -> new ClassicGroup(id, nowMs));
            Map<TopicPartition, CommittedOffset> target = group.offsets();
            target.putAll(offsets);
        });
    }

    /**
     * Runs {@code action} on the live group under its lock.
     *
     * @param create whether to create the group when it does not exist
     * @param absent the result when the group does not exist (and is not created)
     */
    <T> T apply(String groupId, boolean create, Function<ClassicGroup, T> action, T absent) {
        while (true) {
            ClassicGroup group = create
                    ? groups.computeIfAbsent(groupId, id -> new ClassicGroup(id, clock.getAsLong()))
                    : groups.get(groupId);
            if (group == null) {
                return absent;
            }
            Optional<T> result = applyIfLive(group, action);
            if (result.isPresent()) {
                return result.get();
            }
            // Removed while we waited for its lock: look again.
        }
    }

    /**
     * Runs {@code action} under the lock of a group a timer or a scan holds, unless the group was
     * removed meanwhile.
     *
     * @return the action's result, or empty when the group is dead or the action returned null
     */
    <T> Optional<T> applyIfLive(ClassicGroup group, Function<ClassicGroup, T> action) {
        T result = null;
        List<Runnable> deferred;
        group.lock().lock();
        try {
            if (!group.is(GroupState.DEAD)) {
                result = action.apply(group);
            }
        } finally {
            deferred = group.drainDeferred();
            group.lock().unlock();
        }
        deferred.forEach(Runnable::run);
        return Optional.ofNullable(result);
    }

    /** Runs {@code action} under the group's lock unless it is dead. */
    void runIfLive(ClassicGroup group, java.util.function.Consumer<ClassicGroup> action) {
        applyIfLive(group, g -> {
            action.accept(g);
            return Boolean.TRUE;
        });
    }

    /** Removes a group; call under its lock (its parked requests must have been answered). */
    void remove(ClassicGroup group) {
        group.markDead(clock.getAsLong());
        groups.remove(group.groupId(), group);
    }

    /** The groups at this moment, for scans (each must be locked before it is read). */
    List<ClassicGroup> snapshot() {
        return List.copyOf(groups.values());
    }
}
