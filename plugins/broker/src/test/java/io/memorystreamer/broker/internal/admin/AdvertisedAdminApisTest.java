package io.memorystreamer.broker.internal.admin;

import static org.assertj.core.api.Assertions.assertThat;

import io.memorystreamer.broker.internal.codec.SupportedApis;
import io.memorystreamer.broker.internal.support.BrokerFixture;
import java.nio.file.Path;
import java.util.List;
import org.apache.kafka.common.message.ApiVersionsRequestData;
import org.apache.kafka.common.message.ApiVersionsResponseData.ApiVersion;
import org.apache.kafka.common.protocol.ApiKeys;
import org.apache.kafka.common.requests.ApiVersionsResponse;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class AdvertisedAdminApisTest {

    private static final List<ApiKeys> ADMIN_APIS = List.of(ApiKeys.ALTER_CONFIGS, ApiKeys.INCREMENTAL_ALTER_CONFIGS,
            ApiKeys.DESCRIBE_CONFIGS, ApiKeys.DELETE_RECORDS, ApiKeys.DESCRIBE_LOG_DIRS, ApiKeys.ELECT_LEADERS,
            ApiKeys.ALTER_PARTITION_REASSIGNMENTS, ApiKeys.LIST_PARTITION_REASSIGNMENTS,
            ApiKeys.DESCRIBE_TOPIC_PARTITIONS, ApiKeys.DESCRIBE_CLIENT_QUOTAS, ApiKeys.DESCRIBE_USER_SCRAM_CREDENTIALS,
            ApiKeys.OFFSET_FOR_LEADER_EPOCH);

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
    void everyAdminApiIsAdvertisedWithEveryVersionKafkaClientsKnows() {
        // When a client asks for the API versions
        ApiVersionsResponse response = broker.send(new ApiVersionsRequestData()
                .setClientSoftwareName("test").setClientSoftwareVersion("1"));

        // Then each admin API is there with its full range
        for (ApiKeys api : ADMIN_APIS) {
            ApiVersion advertised = response.data().apiKeys().find(api.id);
            assertThat(advertised).as(api.name).isNotNull();
            assertThat(advertised.minVersion()).as(api.name).isEqualTo(api.oldestVersion());
            assertThat(advertised.maxVersion()).as(api.name).isEqualTo(api.latestVersion(false));
        }
        SupportedApis supported = broker.runtime().supportedApis();
        assertThat(supported.apis()).containsAll(ADMIN_APIS);
    }
}
