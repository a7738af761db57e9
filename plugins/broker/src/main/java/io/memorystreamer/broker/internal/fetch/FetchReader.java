package io.memorystreamer.broker.internal.fetch;

import io.memorystreamer.broker.internal.api.LogChunkRecords;
import io.memorystreamer.broker.internal.topic.TopicCatalog;
import io.memorystreamer.broker.internal.topic.TopicInfo;
import io.memorystreamer.spi.storage.LogReadResult;
import io.memorystreamer.spi.storage.OffsetOutOfRangeException;
import io.memorystreamer.spi.storage.PartitionId;
import io.memorystreamer.spi.storage.PartitionLog;
import io.memorystreamer.spi.storage.StorageException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.apache.kafka.common.IsolationLevel;
import org.apache.kafka.common.message.FetchRequestData;
import org.apache.kafka.common.message.FetchResponseData;
import org.apache.kafka.common.protocol.Errors;
import org.apache.kafka.common.record.internal.MemoryRecords;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Reads the partitions of a fetch request in request order within its byte limits: each partition
 * up to its {@code partition_max_bytes} and all together up to {@code max_bytes}, except that the
 * first partition with data returns at least one whole batch (KIP-74) so a consumer always makes
 * progress. Every requested partition is in the response (a sessionless full fetch response must
 * list them all). Records go out as {@link LogChunkRecords}, zero-copy for file regions.
 *
 * <p>read_committed reads stop at the last stable offset and list the aborted transactions whose
 * records overlap what was read, so the client can drop them; control batches (transaction
 * markers) are returned as they are, as Kafka does.
 */
final class FetchReader {

    private static final Logger LOG = LoggerFactory.getLogger(FetchReader.class);
    private static final short FIRST_TOPIC_ID_VERSION = 13;

    private final TopicCatalog catalog;
    private final TransactionIndex transactions;

    FetchReader(TopicCatalog catalog, TransactionIndex transactions) {
        this.catalog = catalog;
        this.transactions = transactions;
    }

    FetchPass read(FetchRequestData request, short version) {
        boolean byId = version >= FIRST_TOPIC_ID_VERSION;
        IsolationLevel isolation = IsolationLevels.of(request.isolationLevel());
        Pass pass = new Pass(request.maxBytes());
        FetchResponseData response = new FetchResponseData()
                .setErrorCode(Errors.NONE.code())
                .setSessionId(0)
                .setThrottleTimeMs(0);
        for (FetchRequestData.FetchTopic fetchTopic : request.topics()) {
            Optional<TopicInfo> topic = byId ? catalog.topic(fetchTopic.topicId()) : catalog.topic(fetchTopic.topic());
            FetchResponseData.FetchableTopicResponse topicResponse = new FetchResponseData.FetchableTopicResponse()
                    .setTopic(fetchTopic.topic())
                    .setTopicId(fetchTopic.topicId());
            for (FetchRequestData.FetchPartition partition : fetchTopic.partitions()) {
                FetchResponseData.PartitionData data = topic.isEmpty()
                        ? pass.error(partition.partition(), byId ? Errors.UNKNOWN_TOPIC_ID : Errors.UNKNOWN_TOPIC_OR_PARTITION)
                        : readPartition(topic.get(), partition, isolation, pass);
                topicResponse.partitions().add(data);
            }
            response.responses().add(topicResponse);
        }
        return new FetchPass(response, pass.bytes, pass.hasError, List.copyOf(pass.watched));
    }

    private FetchResponseData.PartitionData readPartition(TopicInfo topicInfo, FetchRequestData.FetchPartition request,
            IsolationLevel isolation, Pass pass) {
        String topic = topicInfo.name();
        int index = request.partition();
        Optional<PartitionLog> maybeLog = catalog.log(topic, index);
        if (maybeLog.isEmpty()) {
            return pass.error(index, Errors.UNKNOWN_TOPIC_OR_PARTITION);
        }
        PartitionLog log = maybeLog.get();
        try {
            // The high watermark first: a transaction that starts after this read is then above it.
            long highWatermark = log.highWatermark();
            long lastStableOffset = Math.min(highWatermark, transactions.lastStableOffset(topicInfo, index, log));
            long logStartOffset = log.logStartOffset();
            long fetchOffset = request.fetchOffset();
            if (fetchOffset < logStartOffset || fetchOffset > log.logEndOffset()) {
                return pass.error(index, Errors.OFFSET_OUT_OF_RANGE);
            }
            long maxOffset = isolation == IsolationLevel.READ_COMMITTED ? lastStableOffset : highWatermark;
            int limit = Math.max(0, Math.min(request.partitionMaxBytes(), pass.remaining));
            LogReadResult result = limit == 0 && !pass.minOneBatch
                    ? null
                    : log.read(fetchOffset, limit, maxOffset, pass.minOneBatch);
            int size = result == null ? 0 : result.sizeInBytes();
            List<FetchResponseData.AbortedTransaction> aborted = isolation == IsolationLevel.READ_COMMITTED
                    ? abortedTransactions(topicInfo, index, log, fetchOffset, lastStableOffset, size == 0 ? null : result)
                    : null;
            pass.add(size);
            pass.watched.add(new WatchedPartition(new PartitionId(topic, index), log, highWatermark,
                    request.partitionMaxBytes()));
            return new FetchResponseData.PartitionData()
                    .setPartitionIndex(index)
                    .setErrorCode(Errors.NONE.code())
                    .setHighWatermark(highWatermark)
                    .setLastStableOffset(lastStableOffset)
                    .setLogStartOffset(logStartOffset)
                    .setAbortedTransactions(aborted)
                    .setPreferredReadReplica(-1)
                    .setRecords(size == 0 ? MemoryRecords.EMPTY : new LogChunkRecords(result.chunks()));
        } catch (OffsetOutOfRangeException e) {
            return pass.error(index, Errors.OFFSET_OUT_OF_RANGE);
        } catch (StorageException e) {
            LOG.warn("Fetch read failed: partition={}-{}, reason={}", topic, index, e.getMessage());
            return pass.error(index, Errors.KAFKA_STORAGE_ERROR);
        }
    }

    /**
     * The aborted transactions with records among the batches read. Most reads overlap none; only
     * then are the headers of the batches read walked to find where the read ends.
     */
    private List<FetchResponseData.AbortedTransaction> abortedTransactions(TopicInfo topic, int index, PartitionLog log,
            long fetchOffset, long lastStableOffset, LogReadResult result) {
        List<FetchResponseData.AbortedTransaction> aborted = new ArrayList<>();
        if (result == null) {
            return aborted;
        }
        List<AbortedTransaction> candidates = transactions.abortedTransactions(topic, index, log, fetchOffset,
                lastStableOffset);
        if (candidates.isEmpty()) {
            return aborted;
        }
        long readEnd = BatchHeaderWalker.nextOffsetAfter(result.chunks());
        for (AbortedTransaction transaction : candidates) {
            if (transaction.firstOffset() < readEnd) {
                aborted.add(new FetchResponseData.AbortedTransaction()
                        .setProducerId(transaction.producerId())
                        .setFirstOffset(transaction.firstOffset()));
            }
        }
        return aborted;
    }

    /** What one pass has accumulated so far. */
    private static final class Pass {
        int remaining;
        boolean minOneBatch = true;
        long bytes;
        boolean hasError;
        final List<WatchedPartition> watched = new ArrayList<>();

        Pass(int maxBytes) {
            this.remaining = Math.max(0, maxBytes);
        }

        void add(int size) {
            if (size > 0) {
                bytes += size;
                remaining = Math.max(0, remaining - size);
                minOneBatch = false;
            }
        }

        FetchResponseData.PartitionData error(int index, Errors error) {
            hasError = true;
            return new FetchResponseData.PartitionData()
                    .setPartitionIndex(index)
                    .setErrorCode(error.code())
                    .setHighWatermark(-1L)
                    .setLastStableOffset(-1L)
                    .setLogStartOffset(-1L)
                    .setPreferredReadReplica(-1)
                    .setRecords(MemoryRecords.EMPTY);
        }
    }
}
