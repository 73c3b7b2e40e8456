package io.weir.state.rocksdb;

import io.weir.state.Durability;

import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.WorkerExecutor;
import io.weir.state.KeyLayout;
import io.weir.state.StateBatch;
import io.weir.state.StateEntry;
import io.weir.state.StateException;
import io.weir.state.StateStore;
import io.weir.state.StoreStats;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import org.rocksdb.Checkpoint;
import org.rocksdb.ColumnFamilyDescriptor;
import org.rocksdb.ColumnFamilyHandle;
import org.rocksdb.ReadOptions;
import org.rocksdb.RocksDBException;
import org.rocksdb.RocksIterator;
import org.rocksdb.Slice;
import org.rocksdb.WriteBatch;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One pipeline's state: a column family of the process's RocksDB instance ({@link
 * RocksDbBackend}), created on the first operation.
 *
 * <p><b>Threading.</b> Every operation runs on this store's own single-thread Vert.x {@link
 * WorkerExecutor}, in the order the operations were issued (from any thread or context), so each
 * one sees the effects of those issued before it and a snapshot captures exactly the operations
 * issued before it. Futures complete on the caller's context. Nothing blocks an event loop.
 *
 * <p><b>Values</b> are stored with their write time ({@link TimestampedValue}). With {@code
 * state.ttl_ms} set, a value older than the TTL reads as absent and is deleted by the backend's
 * incremental sweep ({@link #sweepExpired}).
 *
 * <p><b>Snapshots</b> are RocksDB checkpoints of the whole instance (hard links to the immutable
 * SST files, plus copies of the small MANIFEST/OPTIONS/CURRENT files) in {@code
 * <dir>/rocksdb}, with the column family's name in {@code <dir>/COLUMN_FAMILY}; every file and
 * directory is fsynced before the future completes. Hard links make the snapshot independent of
 * the live database: it stays readable after the live files are compacted away and after the
 * process (and its working directory) is gone. RocksJava 10's {@code
 * Checkpoint.exportColumnFamily} would link only this column family's files, but the metadata it
 * returns ({@code ExportImportFilesMetaData}) is a native object that RocksJava can neither write
 * out nor rebuild, so an export can only be imported by the process that made it: useless for
 * recovery after a crash. A whole-instance checkpoint costs one hard link per SST file of the
 * other pipelines too (no data is copied) and, in exchange, can be opened by any later process.
 *
 * <p><b>Restore</b> rebuilds the column family from a snapshot without copying data: the
 * snapshot's SST files are hard-linked (small metadata files copied) into a scratch directory
 * next to the live database, opened there as a database of its own, the column family is exported
 * from it with {@code Checkpoint.exportColumnFamily} (hard links again) and imported into the live
 * instance as a fresh column family ({@code createColumnFamilyWithImport}, moving the files); the
 * fresh column family then replaces the old one, which is dropped. The snapshot directory itself
 * is only read.
 */
public final class RocksDbStateStore implements StateStore {
  private static final Logger LOG = LoggerFactory.getLogger(RocksDbStateStore.class);

  /** Subdirectory of a snapshot that holds the RocksDB checkpoint. */
  static final String CHECKPOINT_DIR = "rocksdb";

  /** File of a snapshot that names the column family the snapshot is of. */
  static final String COLUMN_FAMILY_FILE = "COLUMN_FAMILY";

  private final RocksDbBackend backend;
  private final PipelineColumnFamily family;
  private final WorkerExecutor executor;
  private final AtomicReference<Future<Void>> closing = new AtomicReference<>();
  private final AtomicBoolean sweeping = new AtomicBoolean();

  RocksDbStateStore(RocksDbBackend backend, PipelineColumnFamily family, WorkerExecutor executor) {
    this.backend = backend;
    this.family = family;
    this.executor = executor;
  }

  @Override
  public String name() {
    return family.pipelineId;
  }

  @Override
  public byte[] getNow(byte[] key) {
    StateStore.requireOffEventLoop(name(), "read");
    try {
      byte[] stored = backend.db().get(columnFamily(), key);
      return stored == null || expired(stored) ? null : TimestampedValue.value(stored);
    } catch (RocksDBException e) {
      throw new StateException(name(), "get", e);
    }
  }

  @Override
  public Future<byte[]> get(byte[] key) {
    return submit("get", () -> {
      byte[] stored = backend.db().get(columnFamily(), key);
      return stored == null || expired(stored) ? null : TimestampedValue.value(stored);
    });
  }

  @Override
  public Future<Void> put(byte[] key, byte[] value) {
    return write(new StateBatch().put(key, value));
  }

  @Override
  public Future<Void> delete(byte[] key) {
    return write(new StateBatch().delete(key));
  }

  @Override
  public Future<Void> write(StateBatch batch) {
    return submit("write", () -> {
      apply(batch);
      return null;
    });
  }

  @Override
  public void writeNow(StateBatch batch) {
    StateStore.requireOffEventLoop(name(), "write");
    if (isClosed()) {
      throw new StateException(name(), "write", "the store is closed");
    }
    try {
      apply(batch);
    } catch (RocksDBException e) {
      throw new StateException(name(), "write", e);
    }
  }

  private void apply(StateBatch batch) throws RocksDBException {
    ColumnFamilyHandle cf = columnFamily();
    long now = backend.clock().millis();
    try (WriteBatch wb = new WriteBatch()) {
      for (StateBatch.Mutation m : batch.mutations()) {
        if (m.value() == null) {
          wb.delete(cf, m.key());
        } else {
          wb.put(cf, m.key(), TimestampedValue.encode(now, m.value()));
        }
      }
      backend.db().write(backend.resources().writeOptions, wb);
    }
  }

  @Override
  public List<StateEntry> prefixScanNow(byte[] prefix) {
    StateStore.requireOffEventLoop(name(), "scan");
    try {
      return scan(prefix);
    } catch (RocksDBException e) {
      throw new StateException(name(), "prefixScan", e);
    }
  }

  @Override
  public Future<List<StateEntry>> prefixScan(byte[] prefix) {
    return submit("prefixScan", () -> scan(prefix));
  }

  private List<StateEntry> scan(byte[] prefix) throws RocksDBException {
    ColumnFamilyHandle cf = columnFamily();
    byte[] end = KeyLayout.prefixEnd(prefix);
    List<StateEntry> out = new ArrayList<>();
    long now = backend.clock().millis();
    try (Slice lower = new Slice(prefix);
        Slice upper = end == null ? null : new Slice(end);
        ReadOptions read = new ReadOptions().setIterateLowerBound(lower)) {
      if (upper != null) {
        read.setIterateUpperBound(upper);
      }
      try (RocksIterator it = backend.db().newIterator(cf, read)) {
        for (it.seek(prefix); it.isValid(); it.next()) {
          byte[] stored = it.value();
          if (!TimestampedValue.expired(stored, backend.ttlMs(), now)) {
            out.add(new StateEntry(it.key(), TimestampedValue.value(stored)));
          }
        }
        it.status();
      }
    }
    return out;
  }

  @Override
  public Future<Void> deleteRange(byte[] fromInclusive, byte[] toExclusive) {
    return submit("deleteRange", () -> {
      backend.db().deleteRange(columnFamily(), backend.resources().writeOptions, fromInclusive, toExclusive);
      return null;
    });
  }

  @Override
  public Future<Long> estimatedKeys() {
    return submit("estimatedKeys", () -> backend.db().getLongProperty(columnFamily(), "rocksdb.estimate-num-keys"));
  }

  @Override
  public Future<StoreStats> stats() {
    return submit("stats", () -> {
      ColumnFamilyHandle cf = columnFamily();
      return new StoreStats(
          backend.db().getLongProperty(cf, "rocksdb.estimate-num-keys"),
          backend.db().getLongProperty(cf, "rocksdb.estimate-live-data-size"),
          backend.db().getLongProperty(cf, "rocksdb.cur-size-all-mem-tables"));
    });
  }

  @Override
  public Future<Void> snapshot(Path directory) {
    return submit("snapshot to " + directory, () -> {
      ColumnFamilyHandle cf = columnFamily();
      Path parent = directory.toAbsolutePath().getParent();
      Files.createDirectories(parent);
      Files.createDirectory(directory);
      Path checkpoint = directory.resolve(CHECKPOINT_DIR);
      long started = System.nanoTime();
      try (Checkpoint cp = Checkpoint.create(backend.db())) {
        cp.createCheckpoint(checkpoint.toString());
      }
      long created = System.nanoTime();
      Files.write(directory.resolve(COLUMN_FAMILY_FILE), cf.getName());
      Durability.fsyncTree(directory);
      Durability.fsync(parent);
      LOG.info(
          "state {}: snapshot of column family {} written to {} (RocksDB checkpoint {} ms, fsync {} ms)",
          name(), cfName(cf), directory, (created - started) / 1_000_000, (System.nanoTime() - created) / 1_000_000);
      return null;
    });
  }

  @Override
  public Future<Void> restore(Path directory) {
    return submit("restore from " + directory, () -> {
      byte[] snapshotFamily = Files.readAllBytes(directory.resolve(COLUMN_FAMILY_FILE));
      ColumnFamilyDescriptor fresh =
          new ColumnFamilyDescriptor(family.nextName(), backend.resources().columnFamilyOptions);
      ColumnFamilyHandle imported;
      try (ColumnFamilyImport source =
          ColumnFamilyImport.open(directory.resolve(CHECKPOINT_DIR), snapshotFamily, backend.scratchDirectory("restore"))) {
        imported = source.importInto(backend.db(), fresh, backend.scratchDirectory("import"));
      }
      ColumnFamilyHandle previous = family.replace(imported);
      if (previous != null) {
        backend.db().dropColumnFamily(previous);
        previous.close();
      }
      LOG.info("state {}: restored column family {} from {}", name(), cfName(imported), directory);
      return null;
    });
  }

  /**
   * Deletes the expired entries among the next {@code maxKeys} keys after where the previous
   * sweep stopped, wrapping around at the end; a no-op without a TTL. Runs in line with the
   * store's other operations.
   *
   * @return how many entries were deleted
   */
  public Future<Integer> sweepExpired(int maxKeys) {
    return submit("sweepExpired", () -> {
      Long ttl = backend.ttlMs();
      if (ttl == null) {
        return 0;
      }
      ColumnFamilyHandle cf = columnFamily();
      long now = backend.clock().millis();
      int visited = 0;
      int deleted = 0;
      byte[] cursor = family.sweepCursor();
      try (ReadOptions read = new ReadOptions().setFillCache(false);
          RocksIterator it = backend.db().newIterator(cf, read);
          WriteBatch wb = new WriteBatch()) {
        if (cursor == null) {
          it.seekToFirst();
        } else {
          it.seek(cursor);
        }
        for (; it.isValid() && visited < maxKeys; it.next(), visited++) {
          if (TimestampedValue.expired(it.value(), ttl, now)) {
            wb.delete(cf, it.key());
            deleted++;
          }
        }
        it.status();
        family.sweepCursor(it.isValid() ? it.key() : null);
        if (deleted > 0) {
          backend.db().write(backend.resources().writeOptions, wb);
        }
      }
      return deleted;
    });
  }

  /**
   * Queues one sweep slice unless one is still queued or running, so a slow store does not pile
   * up sweeps behind its real work.
   */
  Future<Integer> sweepIfIdle(int maxKeys) {
    if (!sweeping.compareAndSet(false, true)) {
      return Future.succeededFuture(0);
    }
    return sweepExpired(maxKeys).andThen(ignored -> sweeping.set(false));
  }

  /** Number of entries physically present, expired or not: for tests of the TTL sweep. */
  Future<Long> rawKeyCount() {
    return submit("rawKeyCount", () -> {
      long count = 0;
      try (RocksIterator it = backend.db().newIterator(columnFamily())) {
        for (it.seekToFirst(); it.isValid(); it.next()) {
          count++;
        }
        it.status();
      }
      return count;
    });
  }

  /**
   * Stops accepting operations, waits for the issued ones to finish and releases the worker
   * thread; idempotent. The column family stays in the database (owned by the backend until it
   * closes), so {@link RocksDbBackend#store} can hand out a new store over the same state.
   */
  @Override
  public Future<Void> close() {
    Promise<Void> promise = Promise.promise();
    if (!closing.compareAndSet(null, promise.future())) {
      return closing.get();
    }
    backend.detach(this);
    // A task queued behind every issued operation: the single worker runs them in order.
    executor.executeBlocking(() -> (Void) null, false)
        .compose(v -> executor.close())
        .onComplete(promise);
    return promise.future();
  }

  boolean isClosed() {
    return closing.get() != null;
  }

  PipelineColumnFamily family() {
    return family;
  }

  private boolean expired(byte[] stored) {
    return TimestampedValue.expired(stored, backend.ttlMs(), backend.clock().millis());
  }

  /**
   * The live column family, created on first use: by the store's worker or by a thread of the
   * blocking methods ({@link #writeNow}, {@link #getNow}, {@link #prefixScanNow}), so creation is
   * done once under a lock.
   */
  private ColumnFamilyHandle columnFamily() throws RocksDBException {
    ColumnFamilyHandle cf = family.handle();
    if (cf == null) {
      synchronized (family) {
        cf = family.handle();
        if (cf == null) {
          cf = backend.db().createColumnFamily(
              new ColumnFamilyDescriptor(family.nextName(), backend.resources().columnFamilyOptions));
          family.replace(cf);
        }
      }
    }
    return cf;
  }

  private <T> Future<T> submit(String operation, Callable<T> action) {
    if (isClosed()) {
      return Future.failedFuture(new StateException(name(), operation, "the store is closed"));
    }
    return executor.executeBlocking(() -> {
      try {
        return action.call();
      } catch (Exception e) {
        throw new StateException(name(), operation, e);
      }
    }, false);
  }

  private static String cfName(ColumnFamilyHandle cf) throws RocksDBException {
    return new String(cf.getName(), StandardCharsets.UTF_8);
  }
}
