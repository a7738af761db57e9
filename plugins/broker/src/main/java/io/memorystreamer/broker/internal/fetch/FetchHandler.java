package io.memorystreamer.broker.internal.fetch;

import io.memorystreamer.broker.internal.api.ApiHandler;
import io.memorystreamer.broker.internal.api.ApiResponse;
import io.memorystreamer.broker.internal.api.RequestContext;
import io.memorystreamer.broker.internal.topic.TopicCatalog;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import org.apache.kafka.common.message.FetchRequestData;
import org.apache.kafka.common.message.FetchResponseData;
import org.apache.kafka.common.protocol.ApiMessage;
import org.apache.kafka.common.protocol.Errors;

/**
 * Fetch for consumers (v4 and later; topics by name up to v12, by topic id from v13).
 *
 * <p>No fetch sessions are kept: every response has session id 0, so clients keep sending full
 * requests (KIP-227 allows a broker to decline sessions); a request continuing a session gets
 * {@code FETCH_SESSION_ID_NOT_FOUND} and the client starts over with a full one. When the first
 * read finds fewer than {@code min_bytes} and the client allows a wait, the request parks in
 * {@link DelayedFetches} and the handler returns an incomplete stage.
 */
public final class FetchHandler implements ApiHandler {

    private static final int INITIAL_SESSION_EPOCH = 0;
    private static final int FINAL_SESSION_EPOCH = -1;

    private final FetchReader reader;
    private final DelayedFetches delayedFetches;

    /** A fetch handler for logs without transactions. */
    public FetchHandler(TopicCatalog catalog, DelayedFetches delayedFetches) {
        this(catalog, delayedFetches, TransactionIndex.NONE);
    }

    /**
     * @param transactions the last stable offsets and aborted transactions of read_committed reads
     */
    public FetchHandler(TopicCatalog catalog, DelayedFetches delayedFetches, TransactionIndex transactions) {
        this.reader = new FetchReader(catalog, transactions);
        this.delayedFetches = delayedFetches;
    }

    /** A throw here reaches the dispatcher, which answers with the API's error response. */
    @Override
    public CompletionStage<ApiResponse> handle(RequestContext context, ApiMessage message) {
        FetchRequestData request = (FetchRequestData) message;
        short version = context.apiVersion();
        if (request.sessionEpoch() != INITIAL_SESSION_EPOCH && request.sessionEpoch() != FINAL_SESSION_EPOCH) {
            return CompletableFuture.completedFuture(ApiResponse.of(new FetchResponseData()
                    .setErrorCode(Errors.FETCH_SESSION_ID_NOT_FOUND.code())
                    .setSessionId(0)));
        }
        FetchPass pass = reader.read(request, version);
        boolean answerNow = request.maxWaitMs() <= 0
                || pass.bytes() >= request.minBytes()
                || pass.hasError()
                || pass.watched().isEmpty();
        if (answerNow) {
            return CompletableFuture.completedFuture(ApiResponse.of(pass.response()));
        }
        return delayedFetches.park(pass.watched(), pass.bytes(), request.minBytes(), request.maxWaitMs(),
                () -> ApiResponse.of(reader.read(request, version).response()));
    }
}
