package io.memorystreamer.broker.internal.admin;

import io.memorystreamer.broker.internal.api.ApiHandler;
import io.memorystreamer.broker.internal.api.ApiResponse;
import io.memorystreamer.broker.internal.api.RequestContext;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import org.apache.kafka.common.message.DescribeUserScramCredentialsRequestData;
import org.apache.kafka.common.message.DescribeUserScramCredentialsRequestData.UserName;
import org.apache.kafka.common.message.DescribeUserScramCredentialsResponseData;
import org.apache.kafka.common.message.DescribeUserScramCredentialsResponseData.DescribeUserScramCredentialsResult;
import org.apache.kafka.common.protocol.ApiMessage;
import org.apache.kafka.common.protocol.Errors;

/**
 * DescribeUserScramCredentials ({@code kafka-configs --describe --entity-type users}): this
 * broker stores no SCRAM credentials, so describing all users lists none and each named user is
 * RESOURCE_NOT_FOUND, as Kafka answers for a user without credentials.
 */
public final class DescribeUserScramCredentialsHandler implements ApiHandler {

    @Override
    public CompletionStage<ApiResponse> handle(RequestContext context, ApiMessage request) {
        DescribeUserScramCredentialsRequestData data = (DescribeUserScramCredentialsRequestData) request;
        DescribeUserScramCredentialsResponseData response = new DescribeUserScramCredentialsResponseData()
                .setThrottleTimeMs(0).setErrorCode(Errors.NONE.code()).setErrorMessage(null);
        if (data.users() != null) {
            Map<String, Integer> occurrences = new HashMap<>();
            data.users().forEach(user -> occurrences.merge(user.name(), 1, Integer::sum));
            for (UserName user : data.users()) {
                if (response.results().stream().anyMatch(r -> r.user().equals(user.name()))) {
                    continue;
                }
                boolean duplicate = occurrences.get(user.name()) > 1;
                response.results().add(new DescribeUserScramCredentialsResult()
                        .setUser(user.name())
                        .setErrorCode(duplicate ? Errors.DUPLICATE_RESOURCE.code() : Errors.RESOURCE_NOT_FOUND.code())
                        .setErrorMessage(duplicate
                                ? "Cannot describe SCRAM credentials for the same user twice in a single request: "
                                        + user.name()
                                : "Attempt to describe a user credential that does not exist: " + user.name()));
            }
        }
        return CompletableFuture.completedFuture(ApiResponse.of(response));
    }
}
