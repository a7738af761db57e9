package io.memorystreamer.broker.internal.txn;

import java.util.Locale;
import java.util.Map;

/**
 * The transaction coordinator's settings (Kafka key names), read from the server configuration
 * with Kafka's defaults.
 *
 * @param maxTimeoutMs {@code transaction.max.timeout.ms}: the longest transaction timeout a
 *     producer may ask for
 * @param idExpirationMs {@code transactional.id.expiration.ms}: how long an idle transactional id
 *     is remembered
 * @param abortTimedOutIntervalMs {@code transaction.abort.timed.out.transaction.cleanup.interval.ms}
 * @param removeExpiredIntervalMs {@code transaction.remove.expired.transaction.cleanup.interval.ms}
 * @param partitionVerification {@code transaction.partition.verification.enable}: whether a
 *     transactional batch is appended only to a partition of the producer's open transaction
 */
record TransactionSettings(
        int maxTimeoutMs,
        long idExpirationMs,
        long abortTimedOutIntervalMs,
        long removeExpiredIntervalMs,
        boolean partitionVerification) {

    static final String MAX_TIMEOUT_MS = "transaction.max.timeout.ms";
    static final String ID_EXPIRATION_MS = "transactional.id.expiration.ms";
    static final String ABORT_INTERVAL_MS = "transaction.abort.timed.out.transaction.cleanup.interval.ms";
    static final String REMOVE_INTERVAL_MS = "transaction.remove.expired.transaction.cleanup.interval.ms";
    static final String PARTITION_VERIFICATION = "transaction.partition.verification.enable";

    TransactionSettings {
        positive(MAX_TIMEOUT_MS, maxTimeoutMs);
        positive(ID_EXPIRATION_MS, idExpirationMs);
        positive(ABORT_INTERVAL_MS, abortTimedOutIntervalMs);
        positive(REMOVE_INTERVAL_MS, removeExpiredIntervalMs);
    }

    /**
     * @throws IllegalArgumentException naming the key of an invalid value
     */
    static TransactionSettings from(Map<String, String> raw) {
        return new TransactionSettings(
                (int) number(raw, MAX_TIMEOUT_MS, 900_000L, Integer.MAX_VALUE),
                number(raw, ID_EXPIRATION_MS, 604_800_000L, Integer.MAX_VALUE),
                number(raw, ABORT_INTERVAL_MS, 10_000L, Integer.MAX_VALUE),
                number(raw, REMOVE_INTERVAL_MS, 3_600_000L, Integer.MAX_VALUE),
                bool(raw, PARTITION_VERIFICATION, true));
    }

    private static long number(Map<String, String> raw, String key, long defaultValue, long max) {
        String value = raw.get(key);
        if (value == null || value.isBlank()) {
            return defaultValue;
        }
        try {
            long parsed = Long.parseLong(value.strip());
            if (parsed > max) {
                throw new IllegalArgumentException(key + " must be at most " + max + ", got " + value);
            }
            return parsed;
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(key + " must be a number, got '" + value + "'", e);
        }
    }

    private static boolean bool(Map<String, String> raw, String key, boolean defaultValue) {
        String value = raw.get(key);
        if (value == null || value.isBlank()) {
            return defaultValue;
        }
        return switch (value.strip().toLowerCase(Locale.ROOT)) {
            case "true" -> true;
            case "false" -> false;
            default -> throw new IllegalArgumentException(key + " must be true or false, got '" + value + "'");
        };
    }

    private static void positive(String key, long value) {
        if (value < 1) {
            throw new IllegalArgumentException(key + " must be at least 1, got " + value);
        }
    }
}
