package io.weir.state;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.zip.CRC32;
import java.util.zip.CheckedInputStream;
import java.util.zip.CheckedOutputStream;

/**
 * The {@code memory} backend: a sorted map on the heap. Reads and writes complete immediately
 * (they are cheap and never block); snapshots and restores do file I/O on a worker thread. A
 * snapshot is one file, {@code state.bin}: a magic header, the entry count, length-prefixed
 * entries and a CRC32 of everything before it, fsynced before the future completes.
 * Thread-safe.
 */
public final class InMemoryStateStore implements StateStore {
  private static final int MAGIC = 0x5745_4D31; // "WEM1"
  static final String SNAPSHOT_FILE = "state.bin";

  private final Vertx vertx;
  private final String name;
  private final TreeMap<byte[], byte[]> map = new TreeMap<>(Arrays::compareUnsigned);
  private volatile boolean closed;

  public InMemoryStateStore(Vertx vertx, String name) {
    this.vertx = vertx;
    this.name = name;
  }

  @Override
  public String name() {
    return name;
  }

  @Override
  public byte[] getNow(byte[] key) {
    StateStore.requireOffEventLoop(name, "read");
    synchronized (map) {
      return map.get(key);
    }
  }

  @Override
  public Future<byte[]> get(byte[] key) {
    return guarded("get", () -> {
      synchronized (map) {
        return map.get(key);
      }
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
    return guarded("write", () -> {
      apply(batch);
      return null;
    });
  }

  @Override
  public void writeNow(StateBatch batch) {
    StateStore.requireOffEventLoop(name, "write");
    if (closed) {
      throw new StateException(name, "write", "the store is closed");
    }
    apply(batch);
  }

  private void apply(StateBatch batch) {
    synchronized (map) {
      for (StateBatch.Mutation m : batch.mutations()) {
        if (m.value() == null) {
          map.remove(m.key());
        } else {
          map.put(m.key().clone(), m.value().clone());
        }
      }
    }
  }

  @Override
  public Future<List<StateEntry>> prefixScan(byte[] prefix) {
    return guarded("prefixScan", () -> scan(prefix));
  }

  @Override
  public List<StateEntry> prefixScanNow(byte[] prefix) {
    StateStore.requireOffEventLoop(name, "scan");
    return scan(prefix);
  }

  private List<StateEntry> scan(byte[] prefix) {
    byte[] end = KeyLayout.prefixEnd(prefix);
    synchronized (map) {
      Map<byte[], byte[]> range = end == null ? map.tailMap(prefix, true) : map.subMap(prefix, true, end, false);
      List<StateEntry> out = new ArrayList<>(range.size());
      range.forEach((k, v) -> out.add(new StateEntry(k, v)));
      return out;
    }
  }

  @Override
  public Future<Void> deleteRange(byte[] fromInclusive, byte[] toExclusive) {
    return guarded("deleteRange", () -> {
      synchronized (map) {
        map.subMap(fromInclusive, true, toExclusive, false).clear();
      }
      return null;
    });
  }

  @Override
  public Future<Long> estimatedKeys() {
    return guarded("estimatedKeys", () -> {
      synchronized (map) {
        return (long) map.size();
      }
    });
  }

  @Override
  public Future<StoreStats> stats() {
    return guarded("stats", () -> {
      synchronized (map) {
        long bytes = 0;
        for (Map.Entry<byte[], byte[]> e : map.entrySet()) {
          bytes += e.getKey().length + e.getValue().length;
        }
        return new StoreStats(map.size(), bytes, bytes);
      }
    });
  }

  @Override
  public Future<Void> snapshot(Path directory) {
    List<StateEntry> copy;
    synchronized (map) {
      copy = new ArrayList<>(map.size());
      map.forEach((k, v) -> copy.add(new StateEntry(k, v)));
    }
    return vertx.executeBlocking(() -> {
      writeSnapshot(directory, copy);
      return (Void) null;
    }, false).recover(e -> Future.failedFuture(new StateException(name, "snapshot to " + directory, e)));
  }

  private static void writeSnapshot(Path directory, List<StateEntry> entries) throws IOException {
    Files.createDirectories(directory.getParent());
    Files.createDirectory(directory);
    Path file = directory.resolve(SNAPSHOT_FILE);
    CRC32 crc = new CRC32();
    try (OutputStream raw = Files.newOutputStream(file, StandardOpenOption.CREATE_NEW);
        DataOutputStream out = new DataOutputStream(new BufferedOutputStream(new CheckedOutputStream(raw, crc)))) {
      out.writeInt(MAGIC);
      out.writeLong(entries.size());
      for (StateEntry e : entries) {
        out.writeInt(e.key().length);
        out.write(e.key());
        out.writeInt(e.value().length);
        out.write(e.value());
      }
      out.flush();
      // The checksum covers everything before it, so it is written outside the checked stream.
      new DataOutputStream(raw).writeLong(crc.getValue());
    }
    try (FileChannel ch = FileChannel.open(file, StandardOpenOption.WRITE)) {
      ch.force(true);
    }
  }

  @Override
  public Future<Void> restore(Path directory) {
    return vertx.executeBlocking(() -> readSnapshot(directory.resolve(SNAPSHOT_FILE)), false)
        .recover(e -> Future.failedFuture(new StateException(name, "restore from " + directory, e)))
        .map(restored -> {
          synchronized (map) {
            map.clear();
            map.putAll(restored);
          }
          return null;
        });
  }

  private static TreeMap<byte[], byte[]> readSnapshot(Path file) throws IOException {
    TreeMap<byte[], byte[]> restored = new TreeMap<>(Arrays::compareUnsigned);
    CRC32 crc = new CRC32();
    try (InputStream raw = new BufferedInputStream(Files.newInputStream(file))) {
      DataInputStream in = new DataInputStream(new CheckedInputStream(raw, crc));
      if (in.readInt() != MAGIC) {
        throw new IOException(file + " is not a Weir memory-state snapshot");
      }
      long count = in.readLong();
      for (long i = 0; i < count; i++) {
        byte[] key = new byte[in.readInt()];
        in.readFully(key);
        byte[] value = new byte[in.readInt()];
        in.readFully(value);
        restored.put(key, value);
      }
      long expected = crc.getValue();
      long stored = new DataInputStream(raw).readLong();
      if (stored != expected) {
        throw new IOException(file + " is corrupt: checksum mismatch");
      }
    }
    return restored;
  }

  @Override
  public Future<Void> close() {
    closed = true;
    synchronized (map) {
      map.clear();
    }
    return Future.succeededFuture();
  }

  private <T> Future<T> guarded(String operation, java.util.concurrent.Callable<T> action) {
    if (closed) {
      return Future.failedFuture(new StateException(name, operation, "the store is closed"));
    }
    try {
      return Future.succeededFuture(action.call());
    } catch (Exception e) {
      return Future.failedFuture(new StateException(name, operation, e));
    }
  }
}
