package io.memorystreamer.state.rocksdb.internal;

import org.rocksdb.BlockBasedTableConfig;
import org.rocksdb.BloomFilter;
import org.rocksdb.ColumnFamilyOptions;
import org.rocksdb.DBOptions;
import org.rocksdb.InfoLogLevel;
import org.rocksdb.LRUCache;
import org.rocksdb.WriteOptions;

/**
 * The native option objects of one open store, tuned to stay small beside the broker.
 *
 * <p>The state is small (offsets, producer ids, ACLs, credentials, metadata) and its owners keep
 * what they read often in memory, while the broker's partition logs need the page cache and
 * the heap. So RocksDB gets a budget of a few tens of MiB instead of its defaults (an unbounded
 * number of open table files, 64 MiB memtables per namespace, a WAL growing to 4x the memtables):
 * <ul>
 *   <li>one 8 MiB block cache shared by all namespaces, which also holds index and filter blocks
 *       so their memory is bounded by the same budget;</li>
 *   <li>memtables of 4 MiB, at most 2 per namespace and 32 MiB over all namespaces, after which
 *       RocksDB flushes the largest;</li>
 *   <li>a WAL of at most 64 MiB before the namespaces it pins are flushed;</li>
 *   <li>2 background jobs, 512 open files, and an info LOG of 3 files of 1 MiB.</li>
 * </ul>
 */
final class RocksDbTuning implements AutoCloseable {

    private static final long MIB = 1024 * 1024;
    static final long BLOCK_CACHE_BYTES = 8 * MIB;
    static final long MEMTABLE_BYTES = 4 * MIB;
    static final int MEMTABLES_PER_NAMESPACE = 2;
    static final long ALL_MEMTABLES_BYTES = 32 * MIB;
    static final long MAX_WAL_BYTES = 64 * MIB;

    private final LRUCache blockCache;
    private final BloomFilter bloomFilter;
    private final DBOptions dbOptions;
    private final ColumnFamilyOptions familyOptions;
    private final WriteOptions syncWrites;

    RocksDbTuning() {
        blockCache = new LRUCache(BLOCK_CACHE_BYTES);
        bloomFilter = new BloomFilter(10);
        dbOptions = new DBOptions()
                .setCreateIfMissing(true)
                .setCreateMissingColumnFamilies(true)
                .setDbWriteBufferSize(ALL_MEMTABLES_BYTES)
                .setMaxTotalWalSize(MAX_WAL_BYTES)
                .setMaxBackgroundJobs(2)
                .setMaxOpenFiles(512)
                .setInfoLogLevel(InfoLogLevel.INFO_LEVEL)
                .setMaxLogFileSize(MIB)
                .setKeepLogFileNum(3);
        familyOptions = new ColumnFamilyOptions()
                .setWriteBufferSize(MEMTABLE_BYTES)
                .setMaxWriteBufferNumber(MEMTABLES_PER_NAMESPACE)
                .setTableFormatConfig(new BlockBasedTableConfig()
                        .setBlockCache(blockCache)
                        .setCacheIndexAndFilterBlocks(true)
                        .setPinL0FilterAndIndexBlocksInCache(true)
                        .setFilterPolicy(bloomFilter));
        // Every write is synced before it returns; RocksDB lets concurrent writers share one
        // fsync (group commit), so the cost is per group, not per writer.
        syncWrites = new WriteOptions().setSync(true);
    }

    DBOptions dbOptions() {
        return dbOptions;
    }

    ColumnFamilyOptions familyOptions() {
        return familyOptions;
    }

    WriteOptions syncWrites() {
        return syncWrites;
    }

    @Override
    public void close() {
        syncWrites.close();
        familyOptions.close();
        dbOptions.close();
        bloomFilter.close();
        blockCache.close();
    }
}
