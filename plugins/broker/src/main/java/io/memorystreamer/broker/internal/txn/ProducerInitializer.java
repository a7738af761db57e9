package io.memorystreamer.broker.internal.txn;

import io.memorystreamer.spi.state.StateException;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.LongSupplier;
import org.apache.kafka.common.message.InitProducerIdRequestData;
import org.apache.kafka.common.message.InitProducerIdResponseData;
import org.apache.kafka.common.protocol.Errors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * InitProducerId with a transactional id, Kafka's way: a new id gets a producer id at epoch 0;
 * each new producer instance bumps the epoch (fencing the previous one), aborting its open
 * transaction first; a producer naming its own id and epoch (KIP-360) gets a bump, or the same
 * answer again when it retries; an exhausted epoch moves the id to a new producer id.
 */
final class ProducerInitializer {

    private static final Logger LOG = LoggerFactory.getLogger(ProducerInitializer.class);
    /** InitProducerId may abort an open transaction first, then bump the epoch: two rounds. */
    private static final int INIT_ROUNDS = 3;

    private final ConcurrentHashMap<String, TransactionEntry> entries;
    private final TransactionStore store;
    private final TransactionSettings settings;
    private final TransactionCompleter completer;
    private final LongSupplier producerIds;
    private final LongSupplier clock;

    ProducerInitializer(ConcurrentHashMap<String, TransactionEntry> entries, TransactionStore store,
            TransactionSettings settings, TransactionCompleter completer, LongSupplier producerIds,
            LongSupplier clock) {
        this.entries = entries;
        this.store = store;
        this.settings = settings;
        this.completer = completer;
        this.producerIds = producerIds;
        this.clock = clock;
    }

    /** InitProducerId with a transactional id; errors as the request's version knows them. */
    InitProducerIdResponseData init(InitProducerIdRequestData request, short version) {
        InitProducerIdResponseData response = new InitProducerIdResponseData().setProducerId(-1L)
                .setProducerEpoch((short) -1);
        Errors error = checkInitRequest(request);
        if (error == Errors.NONE) {
            try {
                error = initialise(request, response);
            } catch (StateException e) {
                LOG.warn("InitProducerId failed on the state store: transactionalId={}, reason={}",
                        request.transactionalId(), e.getMessage());
                error = Errors.COORDINATOR_NOT_AVAILABLE;
            }
        }
        if (error != Errors.NONE) {
            response.setProducerId(-1L).setProducerEpoch((short) -1);
        }
        // Before v4 clients know only INVALID_PRODUCER_EPOCH for a fenced producer.
        return response.setErrorCode(TransactionCoordinator.fenced(error, version, (short) 4).code());
    }

    private Errors checkInitRequest(InitProducerIdRequestData request) {
        if (request.transactionalId().isEmpty()) {
            return Errors.INVALID_REQUEST;
        }
        if (request.transactionTimeoutMs() <= 0 || request.transactionTimeoutMs() > settings.maxTimeoutMs()) {
            return Errors.INVALID_TRANSACTION_TIMEOUT;
        }
        boolean noId = request.producerId() == TransactionRecord.NO_PRODUCER_ID;
        boolean noEpoch = request.producerEpoch() == TransactionRecord.NO_EPOCH;
        return noId == noEpoch ? Errors.NONE : Errors.INVALID_REQUEST;
    }

    private Errors initialise(InitProducerIdRequestData request, InitProducerIdResponseData response) {
        String transactionalId = request.transactionalId();
        boolean expected = request.producerId() != TransactionRecord.NO_PRODUCER_ID;
        for (int round = 0; round < INIT_ROUNDS; round++) {
            TransactionEntry entry = entryOrNew(transactionalId, request.transactionTimeoutMs());
            TransactionRecord next;
            boolean fenceOpenTransaction = false;
            entry.lock().lock();
            try {
                if (entry.isRemoved()) {
                    continue;
                }
                TransactionRecord current = entry.record();
                if (current.state().isPreparing() || entry.isCompleting()) {
                    return Errors.CONCURRENT_TRANSACTIONS;
                }
                if (expected && !isValidProducerId(current, request.producerId(), request.producerEpoch())) {
                    return Errors.PRODUCER_FENCED;
                }
                if (current.state() == TxnState.ONGOING) {
                    // A new producer instance: abort the old one's transaction at a fenced epoch first.
                    next = current.preparing(false, TransactionRecord.bumpedEpoch(current.producerEpoch()), true, clock.getAsLong());
                    fenceOpenTransaction = true;
                } else {
                    Optional<TransactionRecord> initialised = initialised(current, expected, request);
                    if (initialised.isEmpty()) {
                        return Errors.PRODUCER_FENCED;
                    }
                    next = initialised.get();
                }
                store.put(next);
                entry.record(next);
                if (fenceOpenTransaction) {
                    entry.clearMarked();
                    entry.startCompleting();
                } else {
                    LOG.info("Initialised transactional id: transactionalId={}, producerId={}, epoch={}, timeoutMs={}",
                            transactionalId, next.producerId(), next.producerEpoch(), next.timeoutMs());
                    response.setProducerId(next.producerId()).setProducerEpoch(next.producerEpoch());
                    return Errors.NONE;
                }
            } finally {
                entry.lock().unlock();
            }
            LOG.info("Aborting the open transaction of a re-initialised producer: transactionalId={}, producerId={}, "
                    + "fencedEpoch={}", transactionalId, next.producerId(), next.producerEpoch());
            if (!completer.complete(entry)) {
                return Errors.CONCURRENT_TRANSACTIONS;
            }
        }
        return Errors.CONCURRENT_TRANSACTIONS;
    }

    /**
     * Kafka's rule for a request that names its producer (KIP-360): the id is current, or the
     * metadata is brand new, or it is the previous id whose epoch ran out (a retry after rotation).
     */
    private static boolean isValidProducerId(TransactionRecord current, long producerId, short epoch) {
        return current.producerEpoch() == TransactionRecord.NO_EPOCH
                || producerId == current.producerId()
                || (producerId == current.previousProducerId() && epoch > TransactionRecord.LAST_USABLE_EPOCH);
    }

    /** The next record of an idle transactional id, or empty when the requester is fenced. */
    private Optional<TransactionRecord> initialised(TransactionRecord current, boolean expected,
            InitProducerIdRequestData request) {
        long now = clock.getAsLong();
        int timeoutMs = request.transactionTimeoutMs();
        short epoch = current.producerEpoch();
        boolean expectsCurrent = !expected || request.producerEpoch() == epoch;
        if (current.isEpochExhausted() && expectsCurrent) {
            // No epoch left: a new producer id at epoch 0.
            return Optional.of(current.initialised(producerIds.getAsLong(), current.producerId(), (short) 0,
                    expected ? epoch : TransactionRecord.NO_EPOCH, timeoutMs, now));
        }
        if (!expected) {
            return Optional.of(current.initialised(current.producerId(), current.previousProducerId(),
                    (short) (epoch + 1), TransactionRecord.NO_EPOCH, timeoutMs, now));
        }
        if (epoch == TransactionRecord.NO_EPOCH || request.producerEpoch() == epoch) {
            return Optional.of(current.initialised(current.producerId(), current.previousProducerId(),
                    (short) (epoch + 1), epoch, timeoutMs, now));
        }
        if (request.producerEpoch() == current.lastProducerEpoch()) {
            // A retry of an InitProducerId that succeeded: the same answer again.
            return Optional.of(current);
        }
        return Optional.empty();
    }

    private TransactionEntry entryOrNew(String transactionalId, int timeoutMs) {
        TransactionEntry existing = entries.get(transactionalId);
        if (existing != null) {
            return existing;
        }
        long producerId = producerIds.getAsLong();
        TransactionRecord fresh = TransactionRecord.fresh(transactionalId, producerId, timeoutMs, clock.getAsLong());
        return entries.computeIfAbsent(transactionalId, id -> new TransactionEntry(fresh));
    }
}
