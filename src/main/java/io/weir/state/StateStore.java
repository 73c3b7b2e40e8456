package io.weir.state;

import io.vertx.core.Future;
import java.nio.file.Path;
import java.util.List;

/**
 * An ordered byte-key/byte-value store of one pipeline (a RocksDB column family, or memory).
 * Keys sort as unsigned bytes; {@link KeyLayout} documents how keys are built. Every method is
 * asynchronous and never blocks the calling event loop: slow backends run on worker threads.
 * Failures are failed futures carrying a {@link StateException}. Every operation sees the
 * effects of the operations issued before it by the same caller; a snapshot captures the store as
 * of the moment it was issued, even if later writes complete before it.
 */
public interface StateStore {

  /**
   * The guard of the blocking methods ({@link #getNow}, {@link #writeNow}, {@link
   * #prefixScanNow}): they run on worker threads only.
   *
   * @throws IllegalStateException on an event-loop thread
   */
  static void requireOffEventLoop(String store, String operation) {
    if (io.vertx.core.Context.isOnEventLoopThread()) {
      throw new IllegalStateException("state " + store + ": a blocking " + operation + " on an event loop");
    }
  }

  /** The store's name (the pipeline id): used in errors and metrics. */
  String name();

  /** The value of {@code key}, or null when absent. */
  Future<byte[]> get(byte[] key);

  /**
   * Reads {@code key} on the calling thread, blocking: for worker threads only (an operator that
   * reloads evicted state), never an event loop. Sees every write whose future has completed.
   *
   * @throws IllegalStateException on an event-loop thread
   * @throws StateException when the read fails
   */
  byte[] getNow(byte[] key);

  /**
   * {@link #prefixScan} on the calling thread, blocking: for worker threads only (an operator
   * reading evicted state back), never an event loop. Sees every write whose future has completed.
   *
   * @throws IllegalStateException on an event-loop thread
   * @throws StateException when the scan fails
   */
  List<StateEntry> prefixScanNow(byte[] prefix);

  Future<Void> put(byte[] key, byte[] value);

  Future<Void> delete(byte[] key);

  /** Applies every mutation of the batch atomically and in order. */
  Future<Void> write(StateBatch batch);

  /**
   * {@link #write} on the calling thread, blocking: for worker threads only (an operator writing
   * its state behind, so that it can never produce changes faster than the store takes them).
   *
   * @throws IllegalStateException on an event-loop thread
   * @throws StateException when the write fails
   */
  void writeNow(StateBatch batch);

  /** Every entry whose key starts with {@code prefix}, in key order. */
  Future<List<StateEntry>> prefixScan(byte[] prefix);

  /** Deletes every key in {@code [fromInclusive, toExclusive)}. */
  Future<Void> deleteRange(byte[] fromInclusive, byte[] toExclusive);

  /** Estimated number of keys. */
  Future<Long> estimatedKeys();

  /** Cheap size figures of the store; see {@link StoreStats} for what each backend reports. */
  Future<StoreStats> stats();

  /**
   * Writes a consistent snapshot of the whole store into {@code directory} (created; must not
   * exist yet), durable on disk when the future completes.
   */
  Future<Void> snapshot(Path directory);

  /** Replaces the store's content with the snapshot in {@code directory}. */
  Future<Void> restore(Path directory);

  /** Releases resources; idempotent. The store is unusable afterwards. */
  Future<Void> close();
}
