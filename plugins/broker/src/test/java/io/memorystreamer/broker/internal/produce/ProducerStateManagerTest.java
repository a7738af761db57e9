package io.memorystreamer.broker.internal.produce;

import static org.assertj.core.api.Assertions.assertThat;

import org.apache.kafka.common.protocol.Errors;
import org.junit.jupiter.api.Test;

class ProducerStateManagerTest {

    private static final long PRODUCER = 42L;
    private static final short EPOCH = 3;

    private final ProducerStateManager producers = new ProducerStateManager();
    private long nextOffset;

    @Test
    void acceptsTheNextSequence() {
        // Given a producer that appended sequences 0..4
        append(EPOCH, 0, 4);

        // When the next batch starts at 5
        ProducerCheck check = producers.check(PRODUCER, EPOCH, 5, 9, false);

        // Then it is accepted
        assertThat(check.isAccepted()).isTrue();
    }

    @Test
    void refusesAGapOrAnOlderSequence() {
        // Given a producer that appended sequences 0..4
        append(EPOCH, 0, 4);

        // When a batch skips a sequence, or starts inside the appended range
        ProducerCheck gap = producers.check(PRODUCER, EPOCH, 6, 6, false);
        ProducerCheck older = producers.check(PRODUCER, EPOCH, 3, 5, false);

        // Then both are out of order
        assertThat(gap.error()).isEqualTo(Errors.OUT_OF_ORDER_SEQUENCE_NUMBER);
        assertThat(older.error()).isEqualTo(Errors.OUT_OF_ORDER_SEQUENCE_NUMBER);
    }

    @Test
    void recognisesARetryOfAnyOfTheLastFiveBatches() {
        // Given six appended batches of two records (sequences 0..11)
        for (int i = 0; i < 6; i++) {
            append(EPOCH, i * 2, i * 2 + 1);
        }

        // When the second batch (sequences 2..3) and the first (0..1) are sent again
        ProducerCheck second = producers.check(PRODUCER, EPOCH, 2, 3, false);
        ProducerCheck first = producers.check(PRODUCER, EPOCH, 0, 1, false);

        // Then the second is a duplicate with its original offsets; the first is too old to tell
        assertThat(second.isDuplicate()).isTrue();
        assertThat(second.duplicate().firstOffset()).isEqualTo(2L);
        assertThat(second.duplicate().lastOffset()).isEqualTo(3L);
        assertThat(first.error()).isEqualTo(Errors.OUT_OF_ORDER_SEQUENCE_NUMBER);
    }

    @Test
    void followsSequencesAcrossTheIntegerWrapAround() {
        // Given a batch ending at Integer.MAX_VALUE
        append(EPOCH, Integer.MAX_VALUE - 1, Integer.MAX_VALUE);

        // When the next batch starts at 0, and a retry of the wrapped batch arrives
        ProducerCheck next = producers.check(PRODUCER, EPOCH, 0, 1, false);
        ProducerCheck retry = producers.check(PRODUCER, EPOCH, Integer.MAX_VALUE - 1, Integer.MAX_VALUE, false);

        // Then 0 follows MAX_VALUE and the retry is a duplicate
        assertThat(next.isAccepted()).isTrue();
        assertThat(retry.isDuplicate()).isTrue();
    }

    @Test
    void acceptsABatchThatItselfWraps() {
        // Given a batch whose sequences run MAX_VALUE, 0, 1
        append(EPOCH, Integer.MAX_VALUE, 1);

        // When the next batch starts at 2
        ProducerCheck next = producers.check(PRODUCER, EPOCH, 2, 2, false);

        // Then it is in sequence
        assertThat(next.isAccepted()).isTrue();
    }

    @Test
    void fencesAnOlderEpoch() {
        // Given a producer at epoch 3
        append(EPOCH, 0, 0);

        // When a batch of epoch 2 arrives
        ProducerCheck check = producers.check(PRODUCER, (short) (EPOCH - 1), 1, 1, false);

        // Then the epoch is invalid
        assertThat(check.error()).isEqualTo(Errors.INVALID_PRODUCER_EPOCH);
    }

    @Test
    void requiresANewEpochToStartAtZero() {
        // Given a producer at epoch 3
        append(EPOCH, 0, 9);

        // When epoch 4 starts at 10, or at 0
        ProducerCheck atTen = producers.check(PRODUCER, (short) (EPOCH + 1), 10, 10, false);
        ProducerCheck atZero = producers.check(PRODUCER, (short) (EPOCH + 1), 0, 0, false);

        // Then only sequence 0 is accepted
        assertThat(atTen.error()).isEqualTo(Errors.OUT_OF_ORDER_SEQUENCE_NUMBER);
        assertThat(atZero.isAccepted()).isTrue();
    }

    @Test
    void acceptsAnUnknownProducerAtAnySequence() {
        // When a producer with no state (expired, or whose data retention removed) sends sequence 57
        ProducerCheck check = producers.check(7L, (short) 0, 57, 57, false);

        // Then it is accepted, as Kafka does since KIP-360
        assertThat(check.isAccepted()).isTrue();
    }

    @Test
    void forgetsProducersIdleLongerThanTheExpiration() {
        // Given a producer that appended at t=1000
        producers.onAppend(PRODUCER, EPOCH, new BatchMetadata(0, 0, 0, 0, 1_000L), 1_000L, false);

        // When expiry runs just before and then at the expiration
        int early = producers.expire(1_000L + 59_999L, 60_000L);
        int due = producers.expire(1_000L + 60_000L, 60_000L);

        // Then it is forgotten only once due
        assertThat(early).isZero();
        assertThat(due).isEqualTo(1);
        assertThat(producers.entry(PRODUCER)).isNull();
    }

    @Test
    void forgetsProducersWhoseRecordsAreAllBelowTheLogStart() {
        // Given a producer whose data ends at offset 4, one with data at 5..9, and one with an
        // open transaction that started at offset 0
        producers.onAppend(1L, EPOCH, new BatchMetadata(0, 4, 0, 4, 1_000L), 1_000L, false);
        producers.onAppend(2L, EPOCH, new BatchMetadata(0, 4, 5, 9, 1_000L), 1_000L, false);
        producers.onAppend(3L, EPOCH, new BatchMetadata(0, 0, 0, 0, 1_000L), 1_000L, true);

        // When the log start moves to 5
        int removed = producers.removeBelow(5L);

        // Then only the producer whose records are all deleted is forgotten
        assertThat(removed).isEqualTo(1);
        assertThat(producers.entry(1L)).isNull();
        assertThat(producers.entry(2L)).isNotNull();
        assertThat(producers.entry(3L)).isNotNull();
    }

    private void append(short epoch, int firstSequence, int lastSequence) {
        long count = ((long) lastSequence - firstSequence + (lastSequence < firstSequence ? 1L << 31 : 0)) + 1;
        producers.onAppend(PRODUCER, epoch,
                new BatchMetadata(firstSequence, lastSequence, nextOffset, nextOffset + count - 1, 1_000L), 1_000L, false);
        nextOffset += count;
    }
}
