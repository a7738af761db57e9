package io.memorystreamer.broker.internal.admin;

import static org.assertj.core.api.Assertions.assertThat;

import io.memorystreamer.broker.internal.support.BrokerFixture;
import java.nio.file.Path;
import org.apache.kafka.common.message.DescribeClusterRequestData;
import org.apache.kafka.common.message.DescribeClusterResponseData.DescribeClusterBroker;
import org.apache.kafka.common.protocol.Errors;
import org.apache.kafka.common.requests.DescribeClusterResponse;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DescribeClusterApiTest {

    @TempDir
    Path dir;

    private BrokerFixture broker;

    @BeforeEach
    void start() {
        broker = BrokerFixture.start(dir);
    }

    @AfterEach
    void stop() {
        broker.close();
    }

    @Test
    void theClusterIsThisNode() {
        DescribeClusterResponse response = broker.send(new DescribeClusterRequestData()
                .setIncludeClusterAuthorizedOperations(true));

        assertThat(response.data().errorCode()).isEqualTo(Errors.NONE.code());
        assertThat(response.data().clusterId()).isEqualTo(broker.runtime().topics().clusterId());
        assertThat(response.data().controllerId()).isEqualTo(BrokerFixture.NODE_ID);
        assertThat(response.data().brokers()).singleElement()
                .extracting(DescribeClusterBroker::brokerId, DescribeClusterBroker::host, DescribeClusterBroker::port,
                        DescribeClusterBroker::isFenced)
                .containsExactly(BrokerFixture.NODE_ID, "127.0.0.1", 9092, false);
        assertThat(response.data().clusterAuthorizedOperations()).isPositive();
    }

    @Test
    void askingABrokerForControllersIsAMismatchedEndpointType() {
        DescribeClusterResponse response = broker.send(new DescribeClusterRequestData().setEndpointType((byte) 2));

        assertThat(response.data().errorCode()).isEqualTo(Errors.MISMATCHED_ENDPOINT_TYPE.code());
    }
}
