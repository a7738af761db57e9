package io.memorystreamer.itests;

import static org.assertj.core.api.Assertions.assertThat;

import io.memorystreamer.itests.support.RawConnection;
import io.memorystreamer.itests.support.SharedBroker;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.apache.kafka.common.message.ApiMessageType;
import org.apache.kafka.common.message.ApiVersionsRequestData;
import org.apache.kafka.common.message.ApiVersionsResponseData;
import org.apache.kafka.common.message.ProduceRequestData;
import org.apache.kafka.common.message.RequestHeaderData;
import org.apache.kafka.common.message.ResponseHeaderData;
import org.apache.kafka.common.protocol.ApiKeys;
import org.apache.kafka.common.protocol.ApiMessage;
import org.apache.kafka.common.protocol.ByteBufferAccessor;
import org.apache.kafka.common.protocol.ObjectSerializationCache;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Every API the broker advertises, at every version it advertises, with the request's default
 * (mostly empty) body: the broker answers each on its connection with a response that decodes at
 * that version. Clients other than Kafka's own (librdkafka, Sarama, franz-go) pick older versions
 * than the Java client, so a field set in a response at a version that lacks it would close their
 * connections.
 */
class EveryApiVersionIT {

    /** Answered by closing the connection, as Kafka does: authentication without a handshake. */
    private static final Set<ApiKeys> CLOSE_WITHOUT_CONTEXT = Set.of(ApiKeys.SASL_AUTHENTICATE);

    @RegisterExtension
    static final SharedBroker broker = new SharedBroker();

    @Test
    void answersEveryAdvertisedVersionOfEveryApi() throws IOException {
        // Given the APIs and version ranges the broker advertises
        ApiVersionsResponseData advertised = (ApiVersionsResponseData) exchange(ApiKeys.API_VERSIONS,
                ApiKeys.API_VERSIONS.latestVersion(), new ApiVersionsRequestData()
                        .setClientSoftwareName("every-api-version").setClientSoftwareVersion("1.0"));
        assertThat(advertised.errorCode()).isZero();

        // When each is sent at each version with a default body, on its own connection
        List<String> unanswered = new ArrayList<>();
        int sent = 0;
        for (ApiVersionsResponseData.ApiVersion range : advertised.apiKeys()) {
            ApiKeys api = ApiKeys.forId(range.apiKey());
            if (CLOSE_WITHOUT_CONTEXT.contains(api)) {
                continue;
            }
            for (short version = range.minVersion(); version <= range.maxVersion(); version++) {
                ApiMessage request = defaultRequest(api);
                if (!encodable(request, version)) {
                    continue; // the default body has a field this version cannot carry: a client never sends it
                }
                sent++;
                try {
                    ApiMessage response = exchange(api, version, request);
                    assertThat(response).as("%s v%d", api, version).isNotNull();
                } catch (IOException | RuntimeException e) {
                    unanswered.add(api + " v" + version + ": " + e);
                }
            }
        }

        // Then every one was answered, and the broker logged no failed encoding
        assertThat(sent).isGreaterThan(200);
        assertThat(unanswered).isEmpty();
        assertThat(broker.process().logLines("could not encode")).isEmpty();
    }

    private static ApiMessage defaultRequest(ApiKeys api) {
        ApiMessage request = api.messageType.newRequest();
        if (request instanceof ProduceRequestData produce) {
            produce.setAcks((short) 1).setTimeoutMs(1_000); // acks=0 is never answered
        }
        return request;
    }

    private static boolean encodable(ApiMessage request, short version) {
        try {
            request.size(new ObjectSerializationCache(), version);
            return true;
        } catch (RuntimeException e) {
            return false;
        }
    }

    private static ApiMessage exchange(ApiKeys api, short version, ApiMessage request) throws IOException {
        RequestHeaderData header = new RequestHeaderData()
                .setRequestApiKey(api.id)
                .setRequestApiVersion(version)
                .setClientId("every-api-version")
                .setCorrelationId(7);
        short headerVersion = api.requestHeaderVersion(version);
        ObjectSerializationCache cache = new ObjectSerializationCache();
        ByteBuffer frame = ByteBuffer.allocate(header.size(cache, headerVersion) + request.size(cache, version));
        ByteBufferAccessor writer = new ByteBufferAccessor(frame);
        header.write(writer, cache, headerVersion);
        request.write(writer, cache, version);
        try (RawConnection connection = new RawConnection(broker.bootstrap())) {
            connection.sendFrame(frame.array());
            ByteBufferAccessor reader = new ByteBufferAccessor(ByteBuffer.wrap(connection.receiveFrame()));
            ResponseHeaderData responseHeader = new ResponseHeaderData(reader, api.responseHeaderVersion(version));
            assertThat(responseHeader.correlationId()).as("%s v%d correlation id", api, version).isEqualTo(7);
            ApiMessage response = ApiMessageType.fromApiKey(api.id).newResponse();
            response.read(reader, version);
            return response;
        }
    }
}
