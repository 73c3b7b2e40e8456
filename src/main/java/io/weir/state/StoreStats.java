package io.weir.state;

/**
 * Cheap figures about one {@link StateStore}, for metrics and {@code /status}. Every figure is an
 * estimate that a backend can read without scanning its data.
 *
 * @param estimatedKeys estimated number of keys (RocksDB: {@code rocksdb.estimate-num-keys} of the
 *     column family; memory: exact)
 * @param liveDataBytes estimated bytes of live keys and values at rest (RocksDB: {@code
 *     rocksdb.estimate-live-data-size}, which covers flushed SST files only; memory: the sum of
 *     key and value lengths)
 * @param memoryBytes bytes the store holds in memory for its data (RocksDB: {@code
 *     rocksdb.cur-size-all-mem-tables} of the column family, the shared block cache excluded;
 *     memory: the same as {@code liveDataBytes}, object overhead excluded)
 */
public record StoreStats(long estimatedKeys, long liveDataBytes, long memoryBytes) {}
