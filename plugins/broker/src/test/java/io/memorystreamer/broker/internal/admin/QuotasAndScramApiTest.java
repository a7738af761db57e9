package io.memorystreamer.broker.internal.admin;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.groups.Tuple.tuple;

import io.memorystreamer.broker.internal.support.BrokerFixture;
import java.nio.file.Path;
import java.util.List;
import org.apache.kafka.common.message.DescribeClientQuotasRequestData;
import org.apache.kafka.common.message.DescribeClientQuotasRequestData.ComponentData;
import org.apache.kafka.common.message.DescribeUserScramCredentialsRequestData;
import org.apache.kafka.common.message.DescribeUserScramCredentialsRequestData.UserName;
import org.apache.kafka.common.message.DescribeUserScramCredentialsResponseData.DescribeUserScramCredentialsResult;
import org.apache.kafka.common.protocol.Errors;
import org.apache.kafka.common.quota.ClientQuotaEntity;
import org.apache.kafka.common.requests.DescribeClientQuotasResponse;
import org.apache.kafka.common.requests.DescribeUserScramCredentialsResponse;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The empty answers that let {@code kafka-configs --describe --entity-type users/clients} work. */
class QuotasAndScramApiTest {

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
    void noClientQuotaMatchesAWellFormedFilter() {
        DescribeClientQuotasResponse response = broker.send(new DescribeClientQuotasRequestData()
                .setComponents(List.of(new ComponentData().setEntityType(ClientQuotaEntity.USER).setMatchType((byte) 0)
                        .setMatch("alice")))
                .setStrict(false));

        assertThat(response.data().errorCode()).isEqualTo(Errors.NONE.code());
        assertThat(response.data().entries()).isEmpty();
    }

    @Test
    void aMalformedQuotaFilterIsAnInvalidRequest() {
        DescribeClientQuotasResponse response = broker.send(new DescribeClientQuotasRequestData()
                .setComponents(List.of(new ComponentData().setEntityType("planet").setMatchType((byte) 2))));

        assertThat(response.data().errorCode()).isEqualTo(Errors.INVALID_REQUEST.code());
    }

    @Test
    void noUserHasScramCredentials() {
        // When all users are described, Then there are none
        DescribeUserScramCredentialsResponse all = broker.send(new DescribeUserScramCredentialsRequestData().setUsers(null));
        assertThat(all.data().errorCode()).isEqualTo(Errors.NONE.code());
        assertThat(all.data().results()).isEmpty();

        // When named users are described, Then each is not found, a duplicate is refused as such
        DescribeUserScramCredentialsResponse named = broker.send(new DescribeUserScramCredentialsRequestData()
                .setUsers(List.of(new UserName().setName("alice"), new UserName().setName("bob"),
                        new UserName().setName("bob"))));
        assertThat(named.data().results()).extracting(DescribeUserScramCredentialsResult::user,
                DescribeUserScramCredentialsResult::errorCode).containsExactly(
                        tuple("alice", Errors.RESOURCE_NOT_FOUND.code()),
                        tuple("bob", Errors.DUPLICATE_RESOURCE.code()));
    }
}
