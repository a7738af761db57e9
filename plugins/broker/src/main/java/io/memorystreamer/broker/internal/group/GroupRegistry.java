package io.memorystreamer.broker.internal.group;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;
import java.util.function.Function;
import java.util.function.LongSupplier;
import org.apache.kafka.common.errors.ApiException;
import org.apache.kafka.common.errors.CoordinatorNotAvailableException;
import org.apache.kafka.common.protocol.Errors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * All groups of this coordinator, classic and consumer (KIP-848) in one namespace of group ids,
 * each with its own lock (there is no global lock). Runs every operation on a group under the
 * group's lock, then completes the parked requests the operation answered after unlocking.
 *
 * <p>A removed group is marked dead under its lock before it leaves the map, so an operation that
 * raced with the removal looks the group up again. A group without members may be taken over by
 * the other protocol, as Kafka does: it is replaced (keeping its committed offsets) by a new group
 * of the other type, and the old one is marked dead. An operation that fails with anything but a
 * deliberate refusal ({@link ApiException}) resets the group to its committed state, so that a
 * bug costs a rebalance rather than requests that are never answered.
 */
final class GroupRegistry {

    private static final Logger LOG = LoggerFactory.getLogger(GroupRegistry.class);

    private final Map<String, Group> groups = new ConcurrentHashMap<>();
    private final LongSupplier clock;
    private final AtomicLong resets = new AtomicLong();

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
        contents.consumerGroups().forEach((groupId, stored) -> {
            long emptySince = stored.wasEmpty() ? stored.stateTimestampMs() : nowMs;
            groups.put(groupId, ConsumerGroup.restored(groupId, stored.groupEpoch(), emptySince));
        });
        contents.offsets().forEach((groupId, offsets) -> {
            Group group = groups.computeIfAbsent(groupId, id -> new ClassicGroup(id, nowMs));
            group.offsets().putAll(offsets);
        });
    }

    /**
     * Runs {@code action} on the live classic group under its lock; a consumer group of that id
     * counts as absent.
     *
     * @param create whether to create the group when it does not exist (or take over an empty
     *     consumer group)
     * @param absent the result when the group does not exist (and is not created)
     */
    <T> T apply(String groupId, boolean create, Function<ClassicGroup, T> action, T absent) {
        return applyClassic(groupId, create, action, absent, absent);
    }

    /** As {@link #apply}, with {@code otherProtocol} the result when a consumer group has the id. */
    <T> T applyClassic(String groupId, boolean create, Function<ClassicGroup, T> action, T absent, T otherProtocol) {
        return applyTyped(groupId, create, ClassicGroup.class, id -> new ClassicGroup(id, clock.getAsLong()), action,
                absent, otherProtocol);
    }

    /**
     * Runs {@code action} on the live consumer group under its lock.
     *
     * @param create whether to create the group when it does not exist (or take over an empty
     *     classic group)
     * @param absent the result when the group does not exist (and is not created)
     * @param otherProtocol the result when a classic group has the id
     */
    <T> T applyConsumer(String groupId, boolean create, Function<ConsumerGroup, T> action, T absent, T otherProtocol) {
        return applyTyped(groupId, create, ConsumerGroup.class, id -> new ConsumerGroup(id, clock.getAsLong()), action,
                absent, otherProtocol);
    }

    /**
     * Runs {@code action} on the live group of either protocol under its lock.
     *
     * @param createClassic whether to create a classic group when none exists
     */
    <T> T applyAny(String groupId, boolean createClassic, Function<Group, T> action, T absent) {
        while (true) {
            Group group = createClassic
                    ? groups.computeIfAbsent(groupId, id -> new ClassicGroup(id, clock.getAsLong()))
                    : groups.get(groupId);
            if (group == null) {
                return absent;
            }
            Outcome<T> outcome = run(group, action);
            if (outcome.live()) {
                return outcome.value();
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
    <G extends Group, T> Optional<T> applyIfLive(G group, Function<? super G, T> action) {
        return Optional.ofNullable(run(group, action).value());
    }

    /** Runs {@code action} under the group's lock unless it is dead. */
    <G extends Group> void runIfLive(G group, Consumer<? super G> action) {
        run(group, g -> {
            action.accept(g);
            return Boolean.TRUE;
        });
    }

    /**
     * Runs {@code action} under the lock of every live group in turn; a group whose operation
     * fails is reset (see {@link #run}) and the others still get their turn.
     *
     * @param what what the action does, for the log
     */
    void runOnEach(String what, Consumer<Group> action) {
        for (Group group : snapshot()) {
            try {
                runIfLive(group, action);
            } catch (ApiException e) {
                LOG.warn("Could not finish {} for group {}: {}", what, group.groupId(), e.getMessage());
            }
        }
    }

    /** Removes a group; call under its lock (its parked requests must have been answered). */
    void remove(Group group) {
        group.markDead(clock.getAsLong());
        groups.remove(group.groupId(), group);
    }

    /** How many times an operation failed and its group was reset, since the coordinator started. */
    long resets() {
        return resets.get();
    }

    /** The groups at this moment, for scans (each must be locked before it is read). */
    List<Group> snapshot() {
        return List.copyOf(groups.values());
    }

    private <G extends Group, T> T applyTyped(String groupId, boolean create, Class<G> type, Function<String, G> factory,
            Function<G, T> action, T absent, T otherProtocol) {
        while (true) {
            Group group = create ? groups.computeIfAbsent(groupId, factory) : groups.get(groupId);
            if (group == null) {
                return absent;
            }
            if (type.isInstance(group)) {
                Outcome<T> outcome = run(type.cast(group), action);
                if (outcome.live()) {
                    return outcome.value();
                }
            } else if (!create || !takeOverIfEmpty(group, factory)) {
                return otherProtocol;
            }
            // Removed or taken over while we waited for its lock: look again.
        }
    }

    /**
     * Replaces a group of the other protocol that has no members by a new group of the wanted
     * type with the same offsets.
     *
     * @return whether the caller should look again (taken over, or removed meanwhile)
     */
    private boolean takeOverIfEmpty(Group current, Function<String, ? extends Group> factory) {
        current.lock().lock();
        try {
            if (current.isDead()) {
                return true;
            }
            if (!current.hasNoMembers()) {
                return false;
            }
            Group successor = factory.apply(current.groupId());
            successor.offsets().putAll(current.offsets());
            if (groups.replace(current.groupId(), current, successor)) {
                current.markDead(clock.getAsLong());
                LOG.info("Group {} had no members and now uses the {} protocol instead of the {} protocol",
                        current.groupId(), successor.type(), current.type());
            }
            return true;
        } finally {
            current.lock().unlock();
        }
    }

    /** The result of an action on a group, or that the group was dead. */
    private record Outcome<T>(boolean live, T value) {
    }

    private <G extends Group, T> Outcome<T> run(G group, Function<? super G, T> action) {
        Outcome<T> outcome = null;
        RuntimeException failure = null;
        List<Runnable> deferred;
        group.lock().lock();
        try {
            outcome = group.isDead() ? new Outcome<>(false, null) : new Outcome<>(true, action.apply(group));
        } catch (ApiException refusal) {
            failure = refusal;
        } catch (RuntimeException e) {
            failure = replaceAfterFailure(group, e);
        } finally {
            deferred = group.drainDeferred();
            group.lock().unlock();
        }
        // Whatever happened, requests that were answered or failed must hear so.
        deferred.forEach(Runnable::run);
        if (failure != null) {
            throw failure;
        }
        return outcome;
    }

    /**
     * An operation failed half-way, so nothing says the group's state is still consistent: the
     * group is replaced by what a restart would restore (see {@link Group#restarted}), as if its
     * coordinator had moved. Parked requests and the failed one get COORDINATOR_NOT_AVAILABLE,
     * which clients answer by finding the coordinator again and rejoining. Called under the lock.
     */
    private CoordinatorNotAvailableException replaceAfterFailure(Group group, RuntimeException cause) {
        LOG.error("An operation on group {} failed; the group is reset to its committed state "
                + "(generation and offsets kept) and its members must rejoin", group.groupId(), cause);
        resets.incrementAndGet();
        long nowMs = clock.getAsLong();
        group.answerParkedRequests(Errors.COORDINATOR_NOT_AVAILABLE);
        Group fresh = group.restarted(nowMs);
        group.markDead(nowMs);
        groups.replace(group.groupId(), group, fresh);
        return new CoordinatorNotAvailableException("group " + group.groupId()
                + " was reset after an internal error (see the broker log); rejoin");
    }
}
