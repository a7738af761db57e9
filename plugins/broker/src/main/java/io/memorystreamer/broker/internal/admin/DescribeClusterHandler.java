package io.memorystreamer.broker.internal.admin;

import io.memorystreamer.broker.internal.BrokerSettings;
import io.memorystreamer.broker.internal.api.ApiHandler;
import io.memorystreamer.broker.internal.api.ApiResponse;
import io.memorystreamer.broker.internal.api.RequestContext;
import io.memorystreamer.broker.internal.topic.TopicManager;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import org.apache.kafka.common.message.DescribeClusterRequestData;
import org.apache.kafka.common.message.DescribeClusterResponseData;
import org.apache.kafka.common.message.DescribeClusterResponseData.DescribeClusterBroker;
import org.apache.kafka.common.protocol.ApiMessage;
import org.apache.kafka.common.protocol.Errors;

/** DescribeCluster: this node, as broker and controller, at the endpoint of the client's listener. */
public final class DescribeClusterHandler implements ApiHandler {

    /** DescribeCluster's endpoint types (KIP-919). */
    static final byte BROKER_ENDPOINT = 1;

    private final TopicManager topics;
    private final BrokerSettings settings;
    private final AdvertisedEndpoints endpoints;

    public DescribeClusterHandler(TopicManager topics, BrokerSettings settings, AdvertisedEndpoints endpoints) {
        this.topics = topics;
        this.settings = settings;
        this.endpoints = endpoints;
    }

    @Override
    public CompletionStage<ApiResponse> handle(RequestContext context, ApiMessage request) {
        DescribeClusterRequestData data = (DescribeClusterRequestData) request;
        DescribeClusterResponseData response = new DescribeClusterResponseData()
                .setThrottleTimeMs(0)
                .setEndpointType(BROKER_ENDPOINT);
        if (data.endpointType() != BROKER_ENDPOINT) {
            return CompletableFuture.completedFuture(ApiResponse.of(response
                    .setErrorCode(Errors.MISMATCHED_ENDPOINT_TYPE.code())
                    .setErrorMessage("The request was sent to an endpoint of type BROKER, but we wanted an "
                            + "endpoint of type " + (data.endpointType() == 2 ? "CONTROLLER" : "UNKNOWN"))));
        }
        AdvertisedEndpoints.HostPort endpoint = endpoints.endpointFor(context.connection());
        response.setErrorCode(Errors.NONE.code())
                .setClusterId(topics.clusterId())
                .setControllerId(settings.nodeId());
        response.brokers().add(new DescribeClusterBroker()
                .setBrokerId(settings.nodeId())
                .setHost(endpoint.host())
                .setPort(endpoint.port())
                .setRack(null)
                .setIsFenced(false));
        if (data.includeClusterAuthorizedOperations()) {
            response.setClusterAuthorizedOperations(AuthorizedOperations.ALL_CLUSTER_OPERATIONS);
        }
        return CompletableFuture.completedFuture(ApiResponse.of(response));
    }
}
