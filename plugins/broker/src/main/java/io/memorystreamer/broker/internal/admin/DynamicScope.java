package io.memorystreamer.broker.internal.admin;

import org.apache.kafka.common.errors.InvalidRequestException;
import org.apache.kafka.common.requests.DescribeConfigsResponse.ConfigSource;

/**
 * Where a dynamic broker config applies, as the BROKER resource name says: the empty name is the
 * cluster-wide default, this node's id is this broker.
 */
enum DynamicScope {

    /** Set on this broker (resource name = its node id). */
    BROKER(ConfigSource.DYNAMIC_BROKER_CONFIG),
    /** Set for every broker (empty resource name). */
    CLUSTER_DEFAULT(ConfigSource.DYNAMIC_DEFAULT_BROKER_CONFIG);

    private final ConfigSource source;

    DynamicScope(ConfigSource source) {
        this.source = source;
    }

    /** The source DescribeConfigs reports for a value set in this scope. */
    ConfigSource source() {
        return source;
    }

    /**
     * The scope a BROKER resource name stands for.
     *
     * @throws InvalidRequestException for a name that is neither empty nor this node's id
     */
    static DynamicScope of(String resourceName, int nodeId) {
        if (resourceName == null || resourceName.isEmpty()) {
            return CLUSTER_DEFAULT;
        }
        if (String.valueOf(nodeId).equals(resourceName)) {
            return BROKER;
        }
        throw new InvalidRequestException("Unexpected broker id, expected " + nodeId
                + " or empty string, but received " + resourceName);
    }
}
