package io.memorystreamer.broker.internal.fetch;

import java.util.List;
import org.apache.kafka.common.message.FetchResponseData;

/**
 * One read over every partition of a fetch request.
 *
 * @param response the response as it stands
 * @param bytes record bytes in the response
 * @param hasError whether some partition carries an error (the response then goes out at once)
 * @param watched the partitions read successfully, which a waiting fetch watches for appends
 */
record FetchPass(FetchResponseData response, long bytes, boolean hasError, List<WatchedPartition> watched) {
}
