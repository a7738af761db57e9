package io.memorystreamer.broker.internal.produce;

import org.apache.kafka.common.protocol.Errors;

/**
 * The verdict on an idempotent batch before it is appended.
 *
 * @param error {@link Errors#NONE} to append (or, with a duplicate, to acknowledge without
 *     appending), otherwise why the batch is refused
 * @param message a human-readable reason for an error, else {@code null}
 * @param duplicate the earlier append this batch repeats, or {@code null}
 */
record ProducerCheck(Errors error, String message, BatchMetadata duplicate) {

    static final ProducerCheck ACCEPT = new ProducerCheck(Errors.NONE, null, null);

    static ProducerCheck duplicateOf(BatchMetadata batch) {
        return new ProducerCheck(Errors.NONE, null, batch);
    }

    static ProducerCheck reject(Errors error, String message) {
        return new ProducerCheck(error, message, null);
    }

    boolean isDuplicate() {
        return duplicate != null;
    }

    boolean isAccepted() {
        return error == Errors.NONE && duplicate == null;
    }
}
