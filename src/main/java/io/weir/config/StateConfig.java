package io.weir.config;

import java.util.Objects;

/**
 * Where state and checkpoints live, and how the state backend is tuned.
 *
 * @param backend which {@code StateStore} implementation holds operator state
 * @param dir working directory of the state backend (RocksDB opens a fresh subdirectory per
 *     process start)
 * @param checkpointDir where checkpoints are published
 * @param retained how many published checkpoints are kept
 * @param rocksdb RocksDB tuning; used only by the {@code rocksdb} backend
 * @param ttlMs keyed state not written for this long is treated as absent and cleaned up
 *     incrementally; null keeps state until it is deleted
 * @param cacheMaxBytes memory budget of the operators' write-back cache of hot state
 * @param flushIntervalMs how often operators write the state that changed to the store between
 *     checkpoints (write-behind), so that a checkpoint only writes what changed since; 0: only at
 *     checkpoints
 */
public record StateConfig(
    StateBackend backend,
    String dir,
    String checkpointDir,
    int retained,
    RocksDbOptions rocksdb,
    Long ttlMs,
    long cacheMaxBytes,
    long flushIntervalMs) {

  /** Default of {@code state.cache_max_bytes}: 64 MiB. */
  public static final long DEFAULT_CACHE_MAX_BYTES = 64L * 1024 * 1024;

  /** Default of {@code state.flush_interval_ms}. */
  public static final long DEFAULT_FLUSH_INTERVAL_MS = 1000;

  public StateConfig {
    Objects.requireNonNull(rocksdb, "rocksdb");
    if (ttlMs != null && ttlMs <= 0) {
      throw new IllegalArgumentException("state.ttl_ms must be > 0, got " + ttlMs);
    }
    if (cacheMaxBytes < 0) {
      throw new IllegalArgumentException("state.cache_max_bytes must be >= 0, got " + cacheMaxBytes);
    }
    if (flushIntervalMs < 0) {
      throw new IllegalArgumentException("state.flush_interval_ms must be >= 0, got " + flushIntervalMs);
    }
  }

  /** The given locations with default tuning: no TTL, default RocksDB options and cache size. */
  public StateConfig(StateBackend backend, String dir, String checkpointDir, int retained) {
    this(backend, dir, checkpointDir, retained, RocksDbOptions.DEFAULTS, null, DEFAULT_CACHE_MAX_BYTES, DEFAULT_FLUSH_INTERVAL_MS);
  }

  /** A copy with {@code ttlMs} (null for none). */
  public StateConfig withTtlMs(Long ttlMs) {
    return new StateConfig(backend, dir, checkpointDir, retained, rocksdb, ttlMs, cacheMaxBytes, flushIntervalMs);
  }

  /** A copy with other RocksDB options. */
  public StateConfig withRocksdb(RocksDbOptions rocksdb) {
    return new StateConfig(backend, dir, checkpointDir, retained, rocksdb, ttlMs, cacheMaxBytes, flushIntervalMs);
  }

  /** Available state backends. */
  public enum StateBackend {
    ROCKSDB,
    MEMORY
  }

  /** Block compression of RocksDB's SST files. */
  public enum Compression {
    NONE,
    SNAPPY,
    LZ4,
    ZSTD
  }

  /**
   * RocksDB tuning ({@code state.rocksdb}).
   *
   * @param blockCacheMb size of the block cache shared by every pipeline's column family, MiB
   * @param writeBufferMb size of one memtable of one column family, MiB
   * @param compression SST block compression
   */
  public record RocksDbOptions(int blockCacheMb, int writeBufferMb, Compression compression) {
    public static final RocksDbOptions DEFAULTS = new RocksDbOptions(64, 32, Compression.LZ4);

    public RocksDbOptions {
      if (blockCacheMb <= 0) {
        throw new IllegalArgumentException("state.rocksdb.block_cache_mb must be > 0, got " + blockCacheMb);
      }
      if (writeBufferMb <= 0) {
        throw new IllegalArgumentException("state.rocksdb.write_buffer_mb must be > 0, got " + writeBufferMb);
      }
      Objects.requireNonNull(compression, "compression");
    }
  }
}
