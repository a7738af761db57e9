package io.memorystreamer.broker.internal.admin;

import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.apache.kafka.common.acl.AclOperation;
import org.apache.kafka.common.utils.Utils;

/**
 * The authorized-operations bit fields that Metadata and DescribeCluster report when asked. With
 * no authorizer every operation on a resource is allowed, as in Kafka without an authorizer.
 */
final class AuthorizedOperations {

    static final int ALL_TOPIC_OPERATIONS = bits(List.of(AclOperation.READ, AclOperation.WRITE, AclOperation.CREATE,
            AclOperation.DELETE, AclOperation.ALTER, AclOperation.DESCRIBE, AclOperation.DESCRIBE_CONFIGS,
            AclOperation.ALTER_CONFIGS));

    static final int ALL_CLUSTER_OPERATIONS = bits(List.of(AclOperation.CREATE, AclOperation.CLUSTER_ACTION,
            AclOperation.DESCRIBE_CONFIGS, AclOperation.ALTER_CONFIGS, AclOperation.IDEMPOTENT_WRITE,
            AclOperation.ALTER, AclOperation.DESCRIBE, AclOperation.CREATE_TOKENS, AclOperation.DESCRIBE_TOKENS));

    private AuthorizedOperations() {
    }

    private static int bits(List<AclOperation> operations) {
        Set<Byte> codes = new HashSet<>();
        for (AclOperation op : operations) {
            codes.add(op.code());
        }
        return Utils.to32BitField(codes);
    }
}
