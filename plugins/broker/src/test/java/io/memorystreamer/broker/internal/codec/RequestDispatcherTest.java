package io.memorystreamer.broker.internal.codec;

import static org.assertj.core.api.Assertions.assertThat;

import io.memorystreamer.broker.internal.admin.ApiVersionsHandler;
import io.memorystreamer.broker.internal.api.ApiHandler;
import io.memorystreamer.broker.internal.api.ApiResponse;
import io.memorystreamer.spi.transport.ConnectionHandler;
import io.memorystreamer.spi.transport.Reply;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.EnumMap;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.common.message.ApiVersionsRequestData;
import org.apache.kafka.common.message.ApiVersionsResponseData;
import org.apache.kafka.common.message.ApiVersionsResponseData.ApiVersion;
import org.apache.kafka.common.message.CreateTopicsRequestData;
import org.apache.kafka.common.message.CreateTopicsRequestData.CreatableTopic;
import org.apache.kafka.common.message.CreateTopicsRequestData.CreatableTopicCollection;
import org.apache.kafka.common.message.JoinGroupRequestData;
import org.apache.kafka.common.message.MetadataRequestData;
import org.apache.kafka.common.message.RequestHeaderData;
import org.apache.kafka.common.message.ResponseHeaderData;
import org.apache.kafka.common.protocol.ApiKeys;
import org.apache.kafka.common.protocol.ByteBufferAccessor;
import org.apache.kafka.common.protocol.Errors;
import org.apache.kafka.common.requests.ApiVersionsResponse;
import org.apache.kafka.common.requests.CreateTopicsResponse;
import org.apache.kafka.common.requests.RequestUtils;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class RequestDispatcherTest {

    private ExecutorService executor;
    private RequestDispatcher dispatcher;
    private ConnectionHandler connection;
    private final CompletableFuture<ApiResponse> pendingMetadata = new CompletableFuture<>();

    @BeforeEach
    void setUp() {
        Map<ApiKeys, ApiHandler> handlers = new EnumMap<>(ApiKeys.class);
        handlers.put(ApiKeys.CREATE_TOPICS, (context, request) -> {
            throw new IllegalStateException("disk on fire");
        });
        handlers.put(ApiKeys.PRODUCE, (context, request) -> CompletableFuture.completedFuture(ApiResponse.none()));
        handlers.put(ApiKeys.METADATA, (context, request) -> pendingMetadata);
        SupportedApis supported = SupportedApis.of(
                java.util.EnumSet.of(ApiKeys.API_VERSIONS, ApiKeys.CREATE_TOPICS, ApiKeys.PRODUCE, ApiKeys.METADATA),
                Map.of());
        handlers.put(ApiKeys.API_VERSIONS, new ApiVersionsHandler(supported));
        executor = Executors.newFixedThreadPool(2);
        dispatcher = new RequestDispatcher(handlers, supported, executor);
        connection = new KafkaConnectionHandler(Wire.connection(), dispatcher);
    }

    @AfterEach
    void tearDown() throws InterruptedException {
        executor.shutdownNow();
        executor.awaitTermination(5, TimeUnit.SECONDS);
    }

    private Reply send(ByteBuffer frame) {
        return connection.handle(frame).toCompletableFuture().join();
    }

    @Test
    void apiVersionsAdvertisesExactlyTheApisWithHandlersOverTheirFullRanges() {
        // Given an ApiVersions v3 request as a 4.4 client sends it
        ByteBuffer frame = Wire.request(new ApiVersionsRequestData()
                .setClientSoftwareName("apache-kafka-java").setClientSoftwareVersion("4.4.0"), (short) 3, 7);

        // When it is handled
        ApiVersionsResponse response = Wire.response(send(frame), ApiKeys.API_VERSIONS, (short) 3, 7);

        // Then every API with a handler is listed from the oldest to the latest stable version
        assertThat(response.data().errorCode()).isEqualTo(Errors.NONE.code());
        assertThat(response.data().apiKeys()).extracting(ApiVersion::apiKey).containsExactlyInAnyOrder(
                ApiKeys.API_VERSIONS.id, ApiKeys.CREATE_TOPICS.id, ApiKeys.PRODUCE.id, ApiKeys.METADATA.id);
        ApiVersion produce = response.data().apiKeys().find(ApiKeys.PRODUCE.id);
        assertThat(produce.minVersion()).isEqualTo(ApiKeys.PRODUCE.oldestVersion());
        assertThat(produce.maxVersion()).isEqualTo(ApiKeys.PRODUCE.latestVersion(false));
    }

    @Test
    void apiVersionsWithInvalidClientSoftwareNameIsAnsweredWithInvalidRequest() {
        // Given an ApiVersions v3 request whose client software name breaks Kafka's pattern
        ByteBuffer frame = Wire.request(new ApiVersionsRequestData()
                .setClientSoftwareName("bad name!").setClientSoftwareVersion("1"), (short) 3, 8);

        // When it is handled
        ApiVersionsResponse response = Wire.response(send(frame), ApiKeys.API_VERSIONS, (short) 3, 8);

        // Then the error is INVALID_REQUEST
        assertThat(response.data().errorCode()).isEqualTo(Errors.INVALID_REQUEST.code());
    }

    @Test
    void apiVersionsOfAnUnknownVersionGetsAVersionZeroResponseWithOurRanges() {
        // Given an ApiVersions request of a version newer than any we know (KIP-511)
        short future = (short) (ApiKeys.API_VERSIONS.latestVersion(true) + 10);
        RequestHeaderData header = new RequestHeaderData().setRequestApiKey(ApiKeys.API_VERSIONS.id)
                .setRequestApiVersion(future).setClientId("future-client").setCorrelationId(11);
        ByteBuffer frame = RequestUtils.serialize(header, (short) 2,
                new ApiVersionsRequestData().setClientSoftwareName("x").setClientSoftwareVersion("1"), (short) 3);

        // When it is handled
        ByteBuffer reply = Wire.bytes(send(frame));

        // Then the answer is a v0 header and a v0 ApiVersionsResponse with UNSUPPORTED_VERSION and our ranges
        ByteBufferAccessor in = new ByteBufferAccessor(reply);
        assertThat(new ResponseHeaderData(in, (short) 0).correlationId()).isEqualTo(11);
        ApiVersionsResponseData body = new ApiVersionsResponseData(in, (short) 0);
        assertThat(body.errorCode()).isEqualTo(Errors.UNSUPPORTED_VERSION.code());
        assertThat(body.apiKeys().find(ApiKeys.API_VERSIONS.id).maxVersion())
                .isEqualTo(ApiKeys.API_VERSIONS.latestVersion(false));
        assertThat(reply.hasRemaining()).isFalse();
    }

    @Test
    void anApiWithoutHandlerClosesTheConnection() {
        // Given a JoinGroup request, which this broker does not serve
        ByteBuffer frame = Wire.request(new JoinGroupRequestData().setGroupId("g").setProtocolType("consumer")
                .setMemberId(""), (short) 5, 1);

        // When it is handled
        Reply reply = send(frame);

        // Then the connection is closed
        assertThat(reply).isInstanceOf(Reply.Close.class);
        assertThat(((Reply.Close) reply).reason()).contains("unsupported API key 11");
    }

    @Test
    void anUnknownApiKeyClosesTheConnection() {
        // Given a frame with an api key no Kafka version defines
        ByteBuffer frame = ByteBuffer.allocate(12).putShort((short) 9999).putShort((short) 0).putInt(3)
                .putShort((short) -1).putShort((short) 0).flip();

        // When / Then
        assertThat(send(frame)).isInstanceOf(Reply.Close.class);
    }

    @Test
    void anUnsupportedVersionOfAKnownApiClosesTheConnection() {
        // Given a Metadata request at a version above our range
        ByteBuffer frame = Wire.request(new MetadataRequestData(), (short) 13, 4);
        frame.putShort(frame.position() + 2, (short) 99);

        // When / Then
        Reply reply = send(frame);
        assertThat(reply).isInstanceOf(Reply.Close.class);
        assertThat(((Reply.Close) reply).reason()).contains("unsupported version 99");
    }

    @Test
    void aTruncatedBodyClosesTheConnection() {
        // Given a CreateTopics request cut in the middle of its body
        CreatableTopicCollection topics = new CreatableTopicCollection();
        topics.add(new CreatableTopic().setName("orders").setNumPartitions(3).setReplicationFactor((short) 1));
        ByteBuffer full = Wire.request(new CreateTopicsRequestData().setTopics(topics), (short) 7, 5);
        ByteBuffer truncated = full.slice(0, full.remaining() - 10);

        // When / Then
        Reply reply = send(truncated);
        assertThat(reply).isInstanceOf(Reply.Close.class);
        assertThat(((Reply.Close) reply).reason()).contains("malformed CreateTopics");
    }

    @Test
    void aFrameShorterThanAHeaderClosesTheConnection() {
        assertThat(send(ByteBuffer.allocate(5))).isInstanceOf(Reply.Close.class);
    }

    @Test
    void aFailingHandlerIsAnsweredWithTheApisErrorResponse() {
        // Given a CreateTopics request whose handler fails
        CreatableTopicCollection topics = new CreatableTopicCollection();
        topics.add(new CreatableTopic().setName("orders").setNumPartitions(3).setReplicationFactor((short) 1));
        ByteBuffer frame = Wire.request(new CreateTopicsRequestData().setTopics(topics), (short) 7, 6);

        // When it is handled
        CreateTopicsResponse response = Wire.response(send(frame), ApiKeys.CREATE_TOPICS, (short) 7, 6);

        // Then every topic carries UNKNOWN_SERVER_ERROR, as Kafka's generic error response says
        assertThat(response.data().topics().find("orders").errorCode()).isEqualTo(Errors.UNKNOWN_SERVER_ERROR.code());
    }

    @Test
    void aHandlerWithNoResponseSendsNothing() {
        // Given a produce handler that answers nothing (acks=0)
        ByteBuffer frame = Wire.request(new org.apache.kafka.common.message.ProduceRequestData().setAcks((short) 0)
                .setTimeoutMs(1000), (short) 11, 9);

        // When / Then
        assertThat(send(frame)).isInstanceOf(Reply.None.class);
    }

    @Test
    void drainClosesNewFramesAndWaitsForInFlightRequests() throws InterruptedException {
        // Given a Metadata request still in flight
        CompletableFuture<Reply> inFlight = connection.handle(Wire.request(new MetadataRequestData(), (short) 12, 1))
                .toCompletableFuture();

        // When the broker drains
        dispatcher.drain();

        // Then a new frame is answered with a close, the dispatcher is not idle until the request completes
        Reply late = send(Wire.request(new MetadataRequestData(), (short) 12, 2));
        assertThat(late).isEqualTo(Reply.close("broker is shutting down"));
        assertThat(dispatcher.awaitIdle(Duration.ofMillis(50))).isFalse();
        pendingMetadata.complete(ApiResponse.of(new org.apache.kafka.common.message.MetadataResponseData()));
        assertThat(dispatcher.awaitIdle(Duration.ofSeconds(10))).isTrue();
        assertThat(inFlight.join()).isInstanceOf(Reply.Frame.class);
    }
}
