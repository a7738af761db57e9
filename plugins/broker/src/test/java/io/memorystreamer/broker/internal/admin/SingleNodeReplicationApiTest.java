package io.memorystreamer.broker.internal.admin;

import static io.memorystreamer.broker.internal.support.Requests.createTopic;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.groups.Tuple.tuple;

import io.memorystreamer.broker.internal.support.BrokerFixture;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.apache.kafka.common.ElectionType;
import org.apache.kafka.common.message.AlterPartitionReassignmentsRequestData;
import org.apache.kafka.common.message.AlterPartitionReassignmentsRequestData.ReassignablePartition;
import org.apache.kafka.common.message.AlterPartitionReassignmentsRequestData.ReassignableTopic;
import org.apache.kafka.common.message.AlterPartitionReassignmentsResponseData.ReassignablePartitionResponse;
import org.apache.kafka.common.message.ElectLeadersRequestData;
import org.apache.kafka.common.message.ElectLeadersRequestData.TopicPartitions;
import org.apache.kafka.common.message.ElectLeadersRequestData.TopicPartitionsCollection;
import org.apache.kafka.common.message.ElectLeadersResponseData.PartitionResult;
import org.apache.kafka.common.message.ElectLeadersResponseData.ReplicaElectionResult;
import org.apache.kafka.common.message.ListPartitionReassignmentsRequestData;
import org.apache.kafka.common.protocol.Errors;
import org.apache.kafka.common.requests.AlterPartitionReassignmentsResponse;
import org.apache.kafka.common.requests.ElectLeadersResponse;
import org.apache.kafka.common.requests.ListPartitionReassignmentsResponse;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** ElectLeaders and partition reassignments, which on a single node have only trivial outcomes. */
class SingleNodeReplicationApiTest {

    @TempDir
    Path dir;

    private BrokerFixture broker;

    @BeforeEach
    void start() {
        broker = BrokerFixture.start(dir);
        broker.send(createTopic("led", 2));
    }

    @AfterEach
    void stop() {
        broker.close();
    }

    private ElectLeadersResponse elect(TopicPartitionsCollection partitions) {
        return broker.send(new ElectLeadersRequestData().setElectionType(ElectionType.PREFERRED.value)
                .setTopicPartitions(partitions).setTimeoutMs(30_000));
    }

    @Test
    void electingALeaderIsNeverNeeded() {
        // When preferred leaders are elected for known and unknown partitions
        TopicPartitionsCollection partitions = new TopicPartitionsCollection();
        partitions.add(new TopicPartitions().setTopic("led").setPartitions(List.of(0, 1, 5)));
        partitions.add(new TopicPartitions().setTopic("missing").setPartitions(List.of(0)));
        ElectLeadersResponse response = elect(partitions);

        // Then this node already leads the known ones
        assertThat(response.data().errorCode()).isEqualTo(Errors.NONE.code());
        List<Object> results = new ArrayList<>();
        for (ReplicaElectionResult topic : response.data().replicaElectionResults()) {
            for (PartitionResult p : topic.partitionResult()) {
                results.add(tuple(topic.topic(), p.partitionId(), p.errorCode()));
            }
        }
        assertThat(results).containsExactly(
                tuple("led", 0, Errors.ELECTION_NOT_NEEDED.code()),
                tuple("led", 1, Errors.ELECTION_NOT_NEEDED.code()),
                tuple("led", 5, Errors.UNKNOWN_TOPIC_OR_PARTITION.code()),
                tuple("missing", 0, Errors.UNKNOWN_TOPIC_OR_PARTITION.code()));
    }

    @Test
    void electingForAllPartitionsListsNoPartition() {
        ElectLeadersResponse response = elect(null);

        assertThat(response.data().replicaElectionResults()).extracting(ReplicaElectionResult::topic)
                .containsExactly("led");
        assertThat(response.data().replicaElectionResults().getFirst().partitionResult()).isEmpty();
    }

    @Test
    void onlyTheReassignmentToThisNodeAloneSucceeds() {
        // When partitions are reassigned to this node, to another node, and a reassignment is cancelled
        AlterPartitionReassignmentsResponse response = broker.send(new AlterPartitionReassignmentsRequestData()
                .setTopics(List.of(new ReassignableTopic().setName("led").setPartitions(List.of(
                        new ReassignablePartition().setPartitionIndex(0).setReplicas(List.of(BrokerFixture.NODE_ID)),
                        new ReassignablePartition().setPartitionIndex(1).setReplicas(List.of(BrokerFixture.NODE_ID, 2)),
                        new ReassignablePartition().setPartitionIndex(1).setReplicas(null),
                        new ReassignablePartition().setPartitionIndex(9).setReplicas(List.of(BrokerFixture.NODE_ID)))))));

        // Then only the first is a (completed) success
        assertThat(response.data().errorCode()).isEqualTo(Errors.NONE.code());
        assertThat(response.data().responses().getFirst().partitions())
                .extracting(ReassignablePartitionResponse::errorCode).containsExactly(
                        Errors.NONE.code(), Errors.INVALID_REPLICA_ASSIGNMENT.code(),
                        Errors.NO_REASSIGNMENT_IN_PROGRESS.code(), Errors.UNKNOWN_TOPIC_OR_PARTITION.code());
    }

    @Test
    void noReassignmentIsEverInProgress() {
        ListPartitionReassignmentsResponse response = broker.send(new ListPartitionReassignmentsRequestData()
                .setTopics(null).setTimeoutMs(30_000));

        assertThat(response.data().errorCode()).isEqualTo(Errors.NONE.code());
        assertThat(response.data().topics()).isEmpty();
    }
}
