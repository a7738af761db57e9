package io.memorystreamer.broker.internal.codec;

import io.memorystreamer.broker.internal.api.ApiHandler;
import io.memorystreamer.broker.internal.api.ApiResponse;
import io.memorystreamer.broker.internal.api.RequestContext;
import io.memorystreamer.spi.transport.ConnectionInfo;
import io.memorystreamer.spi.transport.Reply;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.EnumMap;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Executor;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.kafka.common.errors.ApiException;
import org.apache.kafka.common.message.ApiVersionsResponseData;
import org.apache.kafka.common.message.RequestHeaderData;
import org.apache.kafka.common.protocol.ApiKeys;
import org.apache.kafka.common.protocol.ApiMessage;
import org.apache.kafka.common.protocol.ByteBufferAccessor;
import org.apache.kafka.common.protocol.Errors;
import org.apache.kafka.common.requests.AbstractRequest;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Turns request frames into replies: decodes the header and body with kafka-clients' generated
 * messages, runs the API's handler on the request executor (never on the network event loop) and
 * encodes the response.
 *
 * <p>Errors: an unknown API key, an unsupported version (other than ApiVersions, see KIP-511) or a
 * body that does not decode closes the connection with a WARN, as Kafka does; a handler failure is
 * answered with the API's generic error response and logged at ERROR.
 *
 * <p>Thread-safe; shared by all connections.
 */
public final class RequestDispatcher {

    private static final Logger LOG = LoggerFactory.getLogger(RequestDispatcher.class);
    /** api key (2) + api version (2) + correlation id (4). */
    private static final int MIN_HEADER_BYTES = 8;

    private final Map<ApiKeys, ApiHandler> handlers;
    private final SupportedApis supported;
    private final Executor executor;
    private final AtomicInteger inFlight = new AtomicInteger();
    private final Object idle = new Object();
    private volatile boolean draining;

    public RequestDispatcher(Map<ApiKeys, ApiHandler> handlers, SupportedApis supported, Executor executor) {
        this.handlers = new EnumMap<>(handlers);
        this.supported = supported;
        this.executor = executor;
        for (ApiKeys api : supported.apis()) {
            if (!this.handlers.containsKey(api)) {
                throw new IllegalArgumentException("no handler for advertised API " + api);
            }
        }
    }

    /** The order in which one connection's requests run; one per connection. */
    RequestSequence newSequence() {
        return new RequestSequence(executor);
    }

    /**
     * Handles one request frame of a connection, after the connection's earlier requests.
     *
     * @param frame the frame without its length prefix; read only until the returned stage completes
     */
    CompletionStage<Reply> dispatch(ConnectionInfo connection, RequestSequence sequence, ByteBuffer frame) {
        long receivedNanos = System.nanoTime();
        // Count first, then check: a request either sees the drain or is seen by awaitIdle.
        inFlight.incrementAndGet();
        if (draining) {
            requestDone();
            return CompletableFuture.completedFuture(Reply.close("broker is shutting down"));
        }
        CompletableFuture<Reply> reply = new CompletableFuture<>();
        reply.whenComplete((r, t) -> requestDone());
        sequence.submit(new RequestSequence.Step() {
            @Override
            public CompletableFuture<?> run() {
                process(connection, frame, receivedNanos, reply);
                return reply;
            }

            @Override
            public void reject() {
                reply.complete(Reply.close("broker is shutting down"));
            }
        });
        return reply;
    }

    /** Frames that arrive from now on are answered with a close; in-flight requests finish. */
    public void drain() {
        draining = true;
    }

    /**
     * Waits until no request is in flight.
     *
     * @return whether that happened within the timeout
     */
    public boolean awaitIdle(Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        synchronized (idle) {
            while (inFlight.get() > 0) {
                long left = deadline - System.nanoTime();
                if (left <= 0) {
                    return false;
                }
                // Short slices: a completion racing with this check is seen on the next round.
                idle.wait(Math.max(1, Math.min(10, left / 1_000_000)));
            }
            return true;
        }
    }

    private void requestDone() {
        if (inFlight.decrementAndGet() == 0 && draining) {
            synchronized (idle) {
                idle.notifyAll();
            }
        }
    }

    private void process(ConnectionInfo connection, ByteBuffer frame, long receivedNanos, CompletableFuture<Reply> reply) {
        try {
            processFrame(connection, frame, receivedNanos, reply);
        } catch (RuntimeException | Error e) {
            LOG.error("Closing connection {}: unexpected failure while handling a request", connection.connectionId(), e);
            reply.complete(Reply.close("internal error: " + e));
        }
    }

    private void processFrame(ConnectionInfo connection, ByteBuffer frame, long receivedNanos,
            CompletableFuture<Reply> reply) {
        int start = frame.position();
        if (frame.remaining() < MIN_HEADER_BYTES) {
            LOG.warn("Closing connection {}: request frame of {} bytes is shorter than a request header",
                    connection.connectionId(), frame.remaining());
            reply.complete(Reply.close("request frame too short"));
            return;
        }
        short apiKeyId = frame.getShort(start);
        short version = frame.getShort(start + 2);
        int correlationId = frame.getInt(start + 4);
        if (!ApiKeys.hasId(apiKeyId) || !handlers.containsKey(ApiKeys.forId(apiKeyId))) {
            LOG.warn("Closing connection {}: unsupported API key {} (version {}, client id {})",
                    connection.connectionId(), apiKeyId, version, RequestHeaders.peekClientId(frame));
            reply.complete(Reply.close("unsupported API key " + apiKeyId));
            return;
        }
        ApiKeys api = ApiKeys.forId(apiKeyId);
        if (!supported.isSupported(api, version)) {
            if (api == ApiKeys.API_VERSIONS) {
                reply.complete(unsupportedApiVersions(correlationId));
                return;
            }
            LOG.warn("Closing connection {}: unsupported version {} of API {} (key {}, client id {})",
                    connection.connectionId(), version, api.name, apiKeyId, RequestHeaders.peekClientId(frame));
            reply.complete(Reply.close("unsupported version " + version + " of " + api.name));
            return;
        }
        ByteBufferAccessor in = new ByteBufferAccessor(frame.duplicate());
        RequestHeaderData header;
        ApiMessage body;
        int bodyStart;
        try {
            header = new RequestHeaderData(in, api.requestHeaderVersion(version));
            bodyStart = in.buffer().position();
            body = api.messageType.newRequest();
            body.read(in, version);
        } catch (RuntimeException e) {
            LOG.warn("Closing connection {}: malformed {} v{} request (correlation id {}, client id {}): {}",
                    connection.connectionId(), api.name, version, correlationId, RequestHeaders.peekClientId(frame),
                    e.toString());
            reply.complete(Reply.close("malformed " + api.name + " request"));
            return;
        }
        RequestContext context = new RequestContext(connection, api, version, header, receivedNanos);
        CompletionStage<ApiResponse> response;
        try {
            response = handlers.get(api).handle(context, body);
        } catch (RuntimeException e) {
            response = CompletableFuture.failedFuture(e);
        }
        ByteBuffer bodyBytes = frame.duplicate().position(bodyStart);
        response.whenComplete((r, failure) -> reply.complete(toReply(context, r, failure, bodyBytes)));
    }

    private Reply toReply(RequestContext context, ApiResponse response, Throwable failure, ByteBuffer bodyBytes) {
        try {
            if (failure != null) {
                return errorResponse(context, unwrap(failure), bodyBytes);
            }
            return switch (response) {
                case ApiResponse.NoResponse none -> Reply.none();
                case ApiResponse.Message message -> {
                    if (message.body().apiKey() != context.apiKey().id) {
                        throw new IllegalStateException("handler of " + context.apiKey().name + " answered with a "
                                + ApiKeys.forId(message.body().apiKey()).name + " response");
                    }
                    yield encode(context, message.body());
                }
            };
        } catch (RuntimeException e) {
            LOG.error("Closing connection {}: could not encode the {} v{} response (correlation id {}, client id {})",
                    context.connection().connectionId(), context.apiKey().name, context.apiVersion(),
                    context.correlationId(), context.clientId(), e);
            return Reply.close("could not encode response");
        }
    }

    private Reply errorResponse(RequestContext context, Throwable failure, ByteBuffer bodyBytes) {
        if (failure instanceof ApiException refused) {
            // the client's mistake, answered with its error code: no stack trace
            LOG.info("Request refused: api={} version={} connection={} clientId={} correlationId={} error={}: {}",
                    context.apiKey().name, context.apiVersion(), context.connection().connectionId(),
                    context.clientId(), context.correlationId(), Errors.forException(refused), refused.getMessage());
        } else {
            LOG.error("Request failed: api={} version={} connection={} clientId={} correlationId={}",
                    context.apiKey().name, context.apiVersion(), context.connection().connectionId(),
                    context.clientId(), context.correlationId(), failure);
        }
        AbstractRequest request = AbstractRequest.parseRequest(context.apiKey(), context.apiVersion(),
                new ByteBufferAccessor(bodyBytes)).request;
        return encode(context, request.getErrorResponse(0, failure).data());
    }

    private static Reply.Frame encode(RequestContext context, ApiMessage body) {
        return ResponseEncoder.encode(context.correlationId(), context.apiKey().responseHeaderVersion(context.apiVersion()),
                body, context.apiVersion());
    }

    /** KIP-511: a v0 response the client can read whatever version it sent, with our ranges. */
    private Reply unsupportedApiVersions(int correlationId) {
        ApiVersionsResponseData body = new ApiVersionsResponseData()
                .setErrorCode(Errors.UNSUPPORTED_VERSION.code())
                .setApiKeys(supported.toApiVersions());
        return ResponseEncoder.encode(correlationId, ApiKeys.API_VERSIONS.responseHeaderVersion((short) 0), body,
                (short) 0);
    }

    private static Throwable unwrap(Throwable t) {
        Throwable cause = t;
        while (cause instanceof CompletionException && cause.getCause() != null) {
            cause = cause.getCause();
        }
        return cause;
    }
}
