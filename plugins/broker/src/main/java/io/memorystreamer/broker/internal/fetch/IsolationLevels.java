package io.memorystreamer.broker.internal.fetch;

import org.apache.kafka.common.IsolationLevel;
import org.apache.kafka.common.errors.InvalidRequestException;

/** The isolation level a Fetch or ListOffsets request names, refused as a bad request when unknown. */
final class IsolationLevels {

    private IsolationLevels() {
    }

    static IsolationLevel of(byte id) {
        if (id != IsolationLevel.READ_UNCOMMITTED.id() && id != IsolationLevel.READ_COMMITTED.id()) {
            throw new InvalidRequestException("Unknown isolation level " + id);
        }
        return IsolationLevel.forId(id);
    }
}
