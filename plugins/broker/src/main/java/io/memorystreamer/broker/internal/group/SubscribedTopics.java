package io.memorystreamer.broker.internal.group;

import java.nio.ByteBuffer;
import java.util.HashSet;
import java.util.Set;
import org.apache.kafka.clients.consumer.internals.ConsumerProtocol;
import org.apache.kafka.common.protocol.types.SchemaException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Reads the topics a consumer group's members subscribe to from their JoinGroup metadata, so the
 * coordinator knows which offsets are in use (OffsetDelete, offset retention).
 */
final class SubscribedTopics {

    /** The protocol type of Kafka consumers. */
    static final String CONSUMER_PROTOCOL_TYPE = ConsumerProtocol.PROTOCOL_TYPE;

    private static final Logger LOG = LoggerFactory.getLogger(SubscribedTopics.class);

    private SubscribedTopics() {
    }

    /**
     * The union of the members' subscriptions under the selected protocol, or null when the
     * group does not use the consumer protocol or some metadata does not parse.
     */
    static Set<String> of(ClassicGroup group) {
        if (!group.usesConsumerProtocol()) {
            return null;
        }
        if (group.memberCount() == 0) {
            return Set.of();
        }
        if (group.protocolName() == null) {
            return null;
        }
        Set<String> topics = new HashSet<>();
        try {
            for (GroupMember member : group.members()) {
                // Every consumer protocol version starts with the version-0 layout.
                ByteBuffer buffer = ByteBuffer.wrap(member.metadata(group.protocolName()));
                ConsumerProtocol.deserializeVersion(buffer);
                topics.addAll(ConsumerProtocol.deserializeConsumerProtocolSubscription(buffer, (short) 0).topics());
            }
        } catch (SchemaException | java.nio.BufferUnderflowException e) {
            LOG.warn("Cannot read the subscriptions of group {} (protocol {}): {}", group.groupId(),
                    group.protocolName(), e.toString());
            return null;
        }
        return Set.copyOf(topics);
    }
}
