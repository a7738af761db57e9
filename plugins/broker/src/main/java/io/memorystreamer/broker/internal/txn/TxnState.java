package io.memorystreamer.broker.internal.txn;

import java.util.Optional;

/**
 * The states of a transactional id at the coordinator, with Kafka's names (as ListTransactions
 * and DescribeTransactions report them) and a stable stored id.
 *
 * <pre>
 * Empty ──AddPartitions/AddOffsets──▶ Ongoing ──EndTxn(commit)──▶ PrepareCommit ──markers──▶ CompleteCommit
 *                                        └──EndTxn(abort), timeout, re-init──▶ PrepareAbort ──markers──▶ CompleteAbort
 * Complete* ──AddPartitions──▶ Ongoing;  Empty/Complete* ──InitProducerId──▶ Empty (epoch bumped)
 * </pre>
 */
enum TxnState {
    EMPTY(0, "Empty"),
    ONGOING(1, "Ongoing"),
    PREPARE_COMMIT(2, "PrepareCommit"),
    PREPARE_ABORT(3, "PrepareAbort"),
    COMPLETE_COMMIT(4, "CompleteCommit"),
    COMPLETE_ABORT(5, "CompleteAbort"),
    DEAD(6, "Dead");

    private final byte id;
    private final String kafkaName;

    TxnState(int id, String kafkaName) {
        this.id = (byte) id;
        this.kafkaName = kafkaName;
    }

    byte id() {
        return id;
    }

    /** The name Kafka's admin APIs use. */
    String kafkaName() {
        return kafkaName;
    }

    /** Markers are being written: nothing else may happen to the transaction meanwhile. */
    boolean isPreparing() {
        return this == PREPARE_COMMIT || this == PREPARE_ABORT;
    }

    /** No transaction is open: a new one may start, the producer may re-initialise. */
    boolean isIdle() {
        return this == EMPTY || this == COMPLETE_COMMIT || this == COMPLETE_ABORT;
    }

    static TxnState ofId(byte id) {
        for (TxnState state : values()) {
            if (state.id == id) {
                return state;
            }
        }
        throw new IllegalArgumentException("unknown transaction state id " + id);
    }

    static Optional<TxnState> ofKafkaName(String name) {
        for (TxnState state : values()) {
            if (state.kafkaName.equals(name)) {
                return Optional.of(state);
            }
        }
        return Optional.empty();
    }
}
