package io.weir.state.rocksdb;

import io.weir.state.Durability;

import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.WorkerExecutor;
import io.weir.config.StateConfig;
import io.weir.state.StateException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import org.rocksdb.ColumnFamilyDescriptor;
import org.rocksdb.ColumnFamilyHandle;
import org.rocksdb.RocksDB;
import org.rocksdb.RocksDBException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The {@code rocksdb} state backend: one RocksDB instance per process, one column family per
 * pipeline ({@link #store}), all options from {@code state.*} ({@link StateConfig}).
 *
 * <p><b>Directory.</b> Each process opens a fresh working directory {@code
 * <state.dir>/run-<pid>-<random>} and deletes it on {@link #close()}: the live directory of a
 * process is never reopened, since it is ahead of the last checkpoint (DESIGN.md §7); state comes
 * back through {@link RocksDbStateStore#restore}. Directories left by crashed processes are not
 * touched (another process may be using the same {@code state.dir}); they are reported at start.
 *
 * <p><b>TTL.</b> With {@code state.ttl_ms} set, expired values read as absent at once, and a
 * periodic timer (every {@code ttl_ms / 4}, between 50 ms and 10 s) makes every open store sweep
 * its next {@value #SWEEP_SLICE_KEYS} keys, so cleanup is incremental and never holds a store's
 * worker for long.
 *
 * <p><b>Threading.</b> Opening and closing run on a worker thread; each store runs its operations
 * on its own single-thread worker executor. Methods may be called from any thread.
 *
 * <p><b>Native memory</b> is released by {@link #close()}, idempotently, in this order: every
 * store is closed (its queued operations finish first), the periodic sweep is cancelled, then the
 * column-family handles, the database, and last the options, filter and block cache the database
 * was using ({@link RocksDbResources}).
 */
public final class RocksDbBackend {
  private static final Logger LOG = LoggerFactory.getLogger(RocksDbBackend.class);
  static final int SWEEP_SLICE_KEYS = 10_000;

  static {
    RocksDB.loadLibrary();
  }

  private final Vertx vertx;
  private final Path directory;
  private final InstantSource clock;
  private final Long ttlMs;
  private final RocksDbResources resources;
  private final RocksDB db;
  private final ColumnFamilyHandle defaultFamily;
  private final Map<String, PipelineColumnFamily> families = new LinkedHashMap<>();
  private final Map<String, RocksDbStateStore> stores = new LinkedHashMap<>();
  private final AtomicLong scratchCounter = new AtomicLong();
  private final AtomicLong executorCounter = new AtomicLong();
  private final AtomicReference<Future<Void>> closing = new AtomicReference<>();
  private final long sweepTimer;

  private RocksDbBackend(
      Vertx vertx, Path directory, InstantSource clock, Long ttlMs, RocksDbResources resources,
      RocksDB db, ColumnFamilyHandle defaultFamily) {
    this.vertx = vertx;
    this.directory = directory;
    this.clock = clock;
    this.ttlMs = ttlMs;
    this.resources = resources;
    this.db = db;
    this.defaultFamily = defaultFamily;
    this.sweepTimer =
        ttlMs == null ? -1 : vertx.setPeriodic(sweepIntervalMs(ttlMs), id -> sweepAll());
  }

  /**
   * Opens a RocksDB instance in a fresh working directory under {@code config.dir()}.
   *
   * @param clock processing time, for write times and TTL expiry
   * @return the open backend, or a failed future with a {@link StateException}
   */
  public static Future<RocksDbBackend> open(Vertx vertx, StateConfig config, InstantSource clock) {
    Path root = Path.of(config.dir()).toAbsolutePath();
    // Unique even for several backends in one process (tests, restarts in place).
    String suffix = java.util.UUID.randomUUID().toString().substring(0, 8);
    Path directory = root.resolve("run-" + ProcessHandle.current().pid() + "-" + suffix);
    return vertx.<RocksDbBackend>executeBlocking(() -> {
      Files.createDirectories(root);
      reportStaleDirectories(root);
      Files.createDirectory(directory);
      RocksDbResources resources = new RocksDbResources(config.rocksdb());
      List<ColumnFamilyHandle> handles = new ArrayList<>();
      RocksDB db;
      try {
        db = RocksDB.open(
            resources.dbOptions,
            directory.toString(),
            List.of(new ColumnFamilyDescriptor(RocksDB.DEFAULT_COLUMN_FAMILY, resources.columnFamilyOptions)),
            handles);
      } catch (RocksDBException | RuntimeException e) {
        resources.close();
        throw e;
      }
      LOG.info("state: RocksDB opened in {} (block cache {} MiB, write buffer {} MiB, {} compression, ttl {})",
          directory, config.rocksdb().blockCacheMb(), config.rocksdb().writeBufferMb(),
          config.rocksdb().compression().name().toLowerCase(java.util.Locale.ROOT),
          config.ttlMs() == null ? "none" : config.ttlMs() + " ms");
      return new RocksDbBackend(vertx, directory, clock, config.ttlMs(), resources, db, handles.get(0));
    }, false).recover(e -> Future.failedFuture(
        e instanceof StateException ? e : new StateException("rocksdb", "open in " + directory, e)));
  }

  /**
   * The store of pipeline {@code pipelineId}; its column family is created by its first
   * operation. Returns the same store until that store is closed, then a new store over the same
   * column family (the state stays until the backend closes).
   *
   * @throws StateException when the backend is closed
   */
  public synchronized RocksDbStateStore store(String pipelineId) {
    if (closing.get() != null) {
      throw new StateException(pipelineId, "open store", "the RocksDB backend is closed");
    }
    RocksDbStateStore store = stores.get(pipelineId);
    if (store == null) {
      PipelineColumnFamily family = families.computeIfAbsent(pipelineId, PipelineColumnFamily::new);
      WorkerExecutor executor = vertx.createSharedWorkerExecutor(
          "weir-rocksdb-" + pipelineId + "-" + executorCounter.incrementAndGet(), 1);
      store = new RocksDbStateStore(this, family, executor);
      stores.put(pipelineId, store);
    }
    return store;
  }

  /** The working directory of this process's RocksDB instance. */
  public Path directory() {
    return directory;
  }

  /**
   * Closes every store and then the database, releasing all native memory; idempotent. The
   * working directory is deleted: it is never reused.
   */
  public Future<Void> close() {
    Promise<Void> promise = Promise.promise();
    if (!closing.compareAndSet(null, promise.future())) {
      return closing.get();
    }
    List<RocksDbStateStore> open;
    synchronized (this) {
      open = new ArrayList<>(stores.values());
    }
    if (sweepTimer >= 0) {
      vertx.cancelTimer(sweepTimer);
    }
    List<Future<Void>> closed = new ArrayList<>();
    open.forEach(s -> closed.add(s.close()));
    Future.join(closed)
        .transform(ignored -> vertx.<Void>executeBlocking(() -> {
          closeNative();
          return null;
        }, false))
        .onComplete(promise);
    return promise.future();
  }

  private void closeNative() throws Exception {
    List<PipelineColumnFamily> all;
    synchronized (this) {
      all = new ArrayList<>(families.values());
    }
    for (PipelineColumnFamily family : all) {
      ColumnFamilyHandle handle = family.replace(null);
      if (handle != null) {
        handle.close();
      }
    }
    defaultFamily.close();
    try {
      db.closeE();
    } finally {
      resources.close();
    }
    Durability.deleteTree(directory);
    LOG.info("state: RocksDB in {} closed and deleted", directory);
  }

  // ---------------------------------------------------------------- for the stores

  RocksDB db() {
    return db;
  }

  RocksDbResources resources() {
    return resources;
  }

  InstantSource clock() {
    return clock;
  }

  Long ttlMs() {
    return ttlMs;
  }

  /** A path for a scratch directory of a restore, unique within this process. */
  Path scratchDirectory(String purpose) {
    return directory.resolve(purpose + "-" + scratchCounter.incrementAndGet());
  }

  synchronized void detach(RocksDbStateStore store) {
    stores.remove(store.name(), store);
  }

  static long sweepIntervalMs(long ttlMs) {
    return Math.max(50, Math.min(10_000, ttlMs / 4));
  }

  private void sweepAll() {
    List<RocksDbStateStore> open;
    synchronized (this) {
      open = new ArrayList<>(stores.values());
    }
    for (RocksDbStateStore store : open) {
      store.sweepIfIdle(SWEEP_SLICE_KEYS)
          .onFailure(e -> LOG.warn("state {}: TTL sweep failed: {}", store.name(), e.getMessage()));
    }
  }

  private static void reportStaleDirectories(Path root) throws java.io.IOException {
    try (var entries = Files.list(root)) {
      List<Path> stale = entries.filter(p -> p.getFileName().toString().startsWith("run-")).toList();
      if (!stale.isEmpty()) {
        LOG.info("state: {} working directories of earlier or other processes in {} (not reused): {}",
            stale.size(), root, stale);
      }
    }
  }
}
