package io.memorystreamer.broker.internal.topic;

/**
 * Topic settings that the produce and fetch paths consult, resolved from topic overrides and
 * broker defaults.
 *
 * @param maxMessageBytes {@code max.message.bytes} (broker default {@code message.max.bytes}):
 *     the largest record batch accepted
 * @param logAppendTime whether {@code message.timestamp.type=LogAppendTime}
 * @param compacted whether {@code cleanup.policy} contains {@code compact}: every produced record
 *     needs a key
 */
public record EffectiveTopicConfig(int maxMessageBytes, boolean logAppendTime, boolean compacted) {

    /** A topic that is not compacted. */
    public EffectiveTopicConfig(int maxMessageBytes, boolean logAppendTime) {
        this(maxMessageBytes, logAppendTime, false);
    }
}
