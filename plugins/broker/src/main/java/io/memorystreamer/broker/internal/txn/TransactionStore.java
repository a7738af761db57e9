package io.memorystreamer.broker.internal.txn;

import io.memorystreamer.spi.state.StateNamespace;
import io.memorystreamer.spi.state.StateStore;
import java.util.ArrayList;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Transactional ids' state in the state store (see {@link TransactionRecordCodec}). Every write is
 * durable when it returns. Thread-safe; calls may block on disk I/O.
 */
final class TransactionStore {

    private static final Logger LOG = LoggerFactory.getLogger(TransactionStore.class);

    private final StateNamespace namespace;

    TransactionStore(StateStore state) {
        this.namespace = state.namespace(TransactionRecordCodec.NAMESPACE);
    }

    /** Every stored record; unreadable ones are skipped with a warning. */
    List<TransactionRecord> load() {
        List<TransactionRecord> records = new ArrayList<>();
        namespace.scan(new byte[0], (key, value) -> {
            String transactionalId = TransactionRecordCodec.decodeKey(key);
            try {
                records.add(TransactionRecordCodec.decode(transactionalId, value));
            } catch (IllegalArgumentException e) {
                LOG.warn("Skipping the unreadable state of transactional id {}: {}", transactionalId, e.getMessage());
            }
        });
        return records;
    }

    /** @throws io.memorystreamer.spi.state.StateException if the store fails */
    void put(TransactionRecord record) {
        namespace.put(TransactionRecordCodec.key(record.transactionalId()), TransactionRecordCodec.encode(record));
    }

    /** @throws io.memorystreamer.spi.state.StateException if the store fails */
    void delete(String transactionalId) {
        namespace.delete(TransactionRecordCodec.key(transactionalId));
    }
}
