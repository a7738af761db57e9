package io.memorystreamer.broker.internal.produce;

import java.util.List;
import org.apache.kafka.common.message.ProduceResponseData.BatchIndexAndErrorMessage;
import org.apache.kafka.common.protocol.Errors;

/**
 * The result of writing one produced batch to a partition.
 *
 * @param error {@link Errors#NONE} when appended or recognised as a retry
 * @param message why it failed, else {@code null}
 * @param baseOffset the offset of the first record, -1 on error
 * @param logAppendTimeMs the append time for LogAppendTime topics, else -1
 * @param logStartOffset the log start offset, -1 when unknown
 * @param appendedBytes bytes added to the log (0 for a retried duplicate or an error)
 * @param recordErrors the records that made it fail, by index in the batch (produce v8+
 *     {@code record_errors}), empty when the batch failed as a whole
 */
record AppendOutcome(Errors error, String message, long baseOffset, long logAppendTimeMs, long logStartOffset,
        int appendedBytes, List<BatchIndexAndErrorMessage> recordErrors) {

    static AppendOutcome appended(long baseOffset, long logAppendTimeMs, long logStartOffset, int bytes) {
        return new AppendOutcome(Errors.NONE, null, baseOffset, logAppendTimeMs, logStartOffset, bytes, List.of());
    }

    static AppendOutcome failed(Errors error, String message, long logStartOffset) {
        return failed(error, message, logStartOffset, List.of());
    }

    static AppendOutcome failed(Errors error, String message, long logStartOffset, List<BatchIndexAndErrorMessage> recordErrors) {
        return new AppendOutcome(error, message, -1L, -1L, logStartOffset, 0, recordErrors);
    }
}
