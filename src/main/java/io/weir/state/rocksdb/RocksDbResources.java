package io.weir.state.rocksdb;

import io.weir.config.StateConfig;
import org.rocksdb.BlockBasedTableConfig;
import org.rocksdb.BloomFilter;
import org.rocksdb.Cache;
import org.rocksdb.ColumnFamilyOptions;
import org.rocksdb.CompressionType;
import org.rocksdb.DBOptions;
import org.rocksdb.Filter;
import org.rocksdb.LRUCache;
import org.rocksdb.WriteOptions;

/**
 * The native option objects one RocksDB instance is opened with, shared by every column family.
 * Created before the database and closed after it; {@link #close()} releases them in the reverse
 * order of creation (each object is released only after everything that refers to it). Not
 * thread-safe for closing; the backend closes it once, after the database.
 */
final class RocksDbResources implements AutoCloseable {
  private static final long MIB = 1024L * 1024;

  final Cache blockCache;
  final Filter bloomFilter;
  final ColumnFamilyOptions columnFamilyOptions;
  final DBOptions dbOptions;
  final WriteOptions writeOptions;

  RocksDbResources(StateConfig.RocksDbOptions options) {
    blockCache = new LRUCache(options.blockCacheMb() * MIB);
    bloomFilter = new BloomFilter(10, false);
    BlockBasedTableConfig table =
        new BlockBasedTableConfig().setBlockCache(blockCache).setFilterPolicy(bloomFilter);
    columnFamilyOptions =
        new ColumnFamilyOptions()
            .setWriteBufferSize(options.writeBufferMb() * MIB)
            .setCompressionType(compression(options.compression()))
            // Operators write their state behind continuously; a checkpoint flushes the memtable,
            // and RocksDB delays a flush (and so the checkpoint) while level 0 is at the slowdown
            // trigger. Higher triggers than the defaults (20 / 36) let level 0 absorb bursts of
            // writes while compaction catches up; reads of evicted state scan a few more files.
            .setLevel0SlowdownWritesTrigger(48)
            .setLevel0StopWritesTrigger(72)
            .setTableFormatConfig(table);
    dbOptions = new DBOptions().setCreateIfMissing(true).setCreateMissingColumnFamilies(true);
    // No WAL: the live directory is never reopened after a crash (recovery starts from a
    // checkpoint, DESIGN.md §7), so a log would only cost writes. Checkpoints flush memtables
    // first, so they hold everything written before them.
    writeOptions = new WriteOptions().setDisableWAL(true);
  }

  static CompressionType compression(StateConfig.Compression compression) {
    return switch (compression) {
      case NONE -> CompressionType.NO_COMPRESSION;
      case SNAPPY -> CompressionType.SNAPPY_COMPRESSION;
      case LZ4 -> CompressionType.LZ4_COMPRESSION;
      case ZSTD -> CompressionType.ZSTD_COMPRESSION;
    };
  }

  @Override
  public void close() {
    writeOptions.close();
    dbOptions.close();
    columnFamilyOptions.close();
    bloomFilter.close();
    blockCache.close();
  }
}
