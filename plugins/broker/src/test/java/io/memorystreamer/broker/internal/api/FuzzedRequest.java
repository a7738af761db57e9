package io.memorystreamer.broker.internal.api;

import static org.assertj.core.api.Assertions.assertThat;

import io.memorystreamer.broker.internal.codec.ResponseEncoder;
import java.nio.ByteBuffer;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Supplier;
import org.apache.kafka.common.errors.ApiException;
import org.apache.kafka.common.protocol.ApiKeys;
import org.apache.kafka.common.protocol.ApiMessage;
import org.apache.kafka.common.protocol.ByteBufferAccessor;
import org.apache.kafka.common.protocol.Errors;
import org.apache.kafka.common.protocol.MessageUtil;

/**
 * A fuzz input read as one request of the APIs under test: the API's index in their list, the
 * version (folded into the API's range), then the request body in the wire format.
 *
 * @param body the decoded request, which a fuzz test may adjust before it is handled
 */
public record FuzzedRequest(ApiKeys api, short version, ApiMessage body) {

    private static final long ANSWER_SECONDS = 10;

    /**
     * @return the request, or empty when the input is too short or its body does not decode: the
     *     dispatcher closes such a connection before any handler sees it
     */
    public static Optional<FuzzedRequest> read(byte[] input, List<ApiKeys> apis) {
        if (input.length < 2) {
            return Optional.empty();
        }
        ApiKeys api = apis.get(Math.floorMod(input[0], apis.size()));
        short version = (short) (api.oldestVersion()
                + Math.floorMod(input[1], api.latestVersion() - api.oldestVersion() + 1));
        ApiMessage body = api.messageType.newRequest();
        try {
            body.read(new ByteBufferAccessor(ByteBuffer.wrap(input, 2, input.length - 2)), version);
        } catch (RuntimeException malformed) {
            return Optional.empty();
        }
        return Optional.of(new FuzzedRequest(api, version, body));
    }

    /** The input that {@link #read} turns into {@code request}: a seed for the fuzzer. */
    public static byte[] seed(List<ApiKeys> apis, ApiKeys api, short version, ApiMessage request) {
        ByteBuffer body = MessageUtil.toByteBufferAccessor(request, version).buffer();
        byte[] input = new byte[2 + body.remaining()];
        input[0] = (byte) apis.indexOf(api);
        input[1] = (byte) (version - api.oldestVersion());
        body.get(input, 2, body.remaining());
        return input;
    }

    /**
     * Hands the request to its handler and checks the outcome: an answer within the wait whose
     * response the broker's own encoder (records zero-copy) encodes at the request's version, or a
     * refusal by an {@link ApiException}, which the
     * dispatcher answers with that exception's error code. Any other failure would be answered
     * UNKNOWN_SERVER_ERROR, the broker's fault rather than the request's.
     */
    public void assertAnsweredOrRefused(Supplier<CompletableFuture<ApiResponse>> handle)
            throws InterruptedException, TimeoutException {
        ApiResponse response;
        try {
            response = handle.get().get(ANSWER_SECONDS, TimeUnit.SECONDS);
        } catch (ExecutionException | CompletionException e) {
            assertPreciseRefusal(e.getCause());
            return;
        } catch (RuntimeException e) {
            assertPreciseRefusal(e);
            return;
        }
        if (response instanceof ApiResponse.Message message) {
            assertThat(message.body().apiKey()).isEqualTo(api.id);
            ResponseEncoder.encode(0, api.responseHeaderVersion(version), message.body(), version);
        }
    }

    private static void assertPreciseRefusal(Throwable failure) {
        assertThat(failure).isInstanceOf(ApiException.class);
        assertThat(Errors.forException(failure)).isNotEqualTo(Errors.UNKNOWN_SERVER_ERROR);
    }
}
