package io.memorystreamer.broker.internal.group;

import static io.memorystreamer.broker.internal.group.GroupHarness.SESSION_MS;
import static io.memorystreamer.broker.internal.group.GroupHarness.await;
import static io.memorystreamer.broker.internal.group.GroupHarness.consumerProtocol;
import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import org.apache.kafka.common.message.JoinGroupResponseData;
import org.apache.kafka.common.protocol.Errors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The initial rebalance delay of new groups, and parked joins when the coordinator stops. */
class RebalanceTimingTest {

    private static final String GROUP = "ingest";

    @TempDir
    Path dir;

    @Test
    void membersJoiningANewGroupWithinTheInitialDelayShareTheFirstGeneration() throws InterruptedException {
        // Given a coordinator that lets new groups wait 500 ms for members
        try (GroupHarness harness = new GroupHarness(dir, Map.of(GroupConfig.INITIAL_REBALANCE_DELAY, "500"))) {
            // When two consumers join one after the other
            CompletableFuture<JoinGroupResponseData> first = harness.joinNew(GROUP, SESSION_MS,
                    consumerProtocol("range", "events"));
            CompletableFuture<JoinGroupResponseData> second = harness.joinNew(GROUP, SESSION_MS,
                    consumerProtocol("range", "events"));

            // Then both are in generation 1, led by the first
            JoinGroupResponseData firstJoined = await(first);
            assertThat(firstJoined.generationId()).isEqualTo(1);
            assertThat(firstJoined.members()).hasSize(2);
            assertThat(await(second).generationId()).isEqualTo(1);
        }
    }

    @Test
    void closingTheCoordinatorAnswersParkedJoinsSoClientsLookForItAgain() throws InterruptedException {
        // Given a join parked in the initial delay of a new group
        try (GroupHarness harness = new GroupHarness(dir, Map.of(GroupConfig.INITIAL_REBALANCE_DELAY, "60000"))) {
            CompletableFuture<JoinGroupResponseData> parked = harness.joinNew(GROUP, SESSION_MS,
                    consumerProtocol("range", "events"));
            assertThat(parked).isNotDone();

            // When the coordinator closes
            harness.apis().close();

            // Then the join is answered with NOT_COORDINATOR, and new requests with COORDINATOR_NOT_AVAILABLE
            assertThat(await(parked).errorCode()).isEqualTo(Errors.NOT_COORDINATOR.code());
            assertThat(harness.heartbeat(GROUP, "x", 1)).isEqualTo(Errors.COORDINATOR_NOT_AVAILABLE);
        }
    }
}
