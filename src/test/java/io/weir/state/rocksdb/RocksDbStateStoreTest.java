package io.weir.state.rocksdb;

import static org.assertj.core.api.Assertions.assertThat;
import org.awaitility.Awaitility;

import io.vertx.core.Vertx;
import io.weir.config.StateConfig;
import io.weir.config.StateConfig.StateBackend;
import io.weir.state.KeyLayout;
import io.weir.state.StateBatch;
import io.weir.state.StateException;
import io.weir.state.StateStore;
import io.weir.state.StateStoreContract;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class RocksDbStateStoreTest extends StateStoreContract {
  private final ManualClock clock = new ManualClock(1_000_000);
  private RocksDbBackend backend;

  @Override
  protected StateStore create(Vertx vertx, String name, Path dir) {
    backend = open(config(dir));
    return backend.store(name);
  }

  @AfterEach
  void closeBackend() throws Exception {
    if (backend != null) {
      await(backend.close());
    }
  }

  private StateConfig config(Path dir) {
    return new StateConfig(StateBackend.ROCKSDB, dir.toString(), temp.resolve("chk").toString(), 3);
  }

  private RocksDbBackend open(StateConfig config) {
    try {
      return await(RocksDbBackend.open(vertx, config, clock));
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }

  @Test
  void twoPipelinesColumnFamiliesAreIsolated() throws Exception {
    StateStore other = backend.store("p2");
    await(store.put(b("k"), b("from-p1")));
    await(other.put(b("k"), b("from-p2")));
    await(other.put(b("only-p2"), b("x")));
    await(store.deleteRange(b("a"), b("z")));

    assertThat(await(store.get(b("k")))).isNull();
    assertThat(s(await(other.get(b("k"))))).isEqualTo("from-p2");
    assertThat(await(store.get(b("only-p2")))).isNull();
    assertThat(await(other.prefixScan(b("")))).hasSize(2);
  }

  @Test
  void concurrentBlockingWritesToAFreshStoreCreateItsColumnFamilyOnce() throws Exception {
    // Operator threads write behind on their own: the first writes race to create the family.
    for (int round = 0; round < 20; round++) {
      StateStore fresh = backend.store("fresh-" + round);
      int threads = 4;
      java.util.concurrent.CyclicBarrier start = new java.util.concurrent.CyclicBarrier(threads);
      java.util.concurrent.ExecutorService pool = java.util.concurrent.Executors.newFixedThreadPool(threads);
      try {
        java.util.List<java.util.concurrent.Future<?>> writes = new java.util.ArrayList<>();
        for (int t = 0; t < threads; t++) {
          String key = "k" + t;
          writes.add(pool.submit(() -> {
            start.await();
            fresh.writeNow(new StateBatch().put(b(key), b("v")));
            return null;
          }));
        }
        for (java.util.concurrent.Future<?> w : writes) {
          w.get(10, java.util.concurrent.TimeUnit.SECONDS);
        }
      } finally {
        pool.shutdownNow();
      }
      assertThat(fresh.prefixScanNow(b("k"))).hasSize(threads);
    }
  }

  @Test
  void storeReturnsTheSameStoreUntilClosedThenANewOneOverTheSameState() throws Exception {
    await(store.put(b("k"), b("v")));
    assertThat(backend.store("p1")).isSameAs(store);
    await(store.close());
    StateStore again = backend.store("p1");
    assertThat(again).isNotSameAs(store);
    assertThat(s(await(again.get(b("k"))))).isEqualTo("v");
  }

  @Test
  void restoreGivesTheSnapshotContentAndLeavesOtherPipelinesAlone() throws Exception {
    StateStore other = backend.store("p2");
    await(store.write(new StateBatch().put(b("a"), b("1")).put(b("b"), b("2"))));
    await(other.put(b("o"), b("before")));
    Path snap = temp.resolve("chk-1").resolve("p1");
    await(store.snapshot(snap));

    await(store.write(new StateBatch().put(b("a"), b("changed")).delete(b("b")).put(b("c"), b("3"))));
    await(other.put(b("o"), b("after")));
    await(store.restore(snap));

    assertThat(s(await(store.get(b("a"))))).isEqualTo("1");
    assertThat(s(await(store.get(b("b"))))).isEqualTo("2");
    assertThat(await(store.get(b("c")))).isNull();
    assertThat(s(await(other.get(b("o"))))).isEqualTo("after");
    // the restored column family takes writes, and can itself be snapshotted and restored again
    await(store.put(b("d"), b("4")));
    Path snap2 = temp.resolve("chk-2").resolve("p1");
    await(store.snapshot(snap2));
    await(store.deleteRange(b("a"), b("z")));
    await(store.restore(snap2));
    assertThat(await(store.prefixScan(b("")))).extracting(e -> s(e.key())).containsExactly("a", "b", "d");
  }

  @Test
  void snapshotSurvivesTheBackendClosingAndRestoresIntoANewDirectory() throws Exception {
    byte[] key = KeyLayout.timeKey(3, "user-1", 60_000);
    await(store.write(new StateBatch().put(key, b("window")).put(b("plain"), b("v"))));
    Path snap = temp.resolve("chk-7").resolve("p1");
    await(store.snapshot(snap));
    Path firstDirectory = backend.directory();
    await(backend.close());
    // the live directory is gone; only the hard-linked snapshot is left
    assertThat(firstDirectory).doesNotExist();

    backend = open(config(temp.resolve("live-after-restart")));
    store = backend.store("p1");
    assertThat(backend.directory()).isNotEqualTo(firstDirectory);
    await(store.restore(snap));
    assertThat(s(await(store.get(key)))).isEqualTo("window");
    assertThat(s(await(store.get(b("plain"))))).isEqualTo("v");
    assertThat(await(store.estimatedKeys())).isEqualTo(2L);
    // the snapshot was only read: a second restore from it works the same
    await(store.put(b("plain"), b("other")));
    await(store.restore(snap));
    assertThat(s(await(store.get(b("plain"))))).isEqualTo("v");
  }

  @Test
  void snapshotOfAnEmptyStoreRestoresToEmpty() throws Exception {
    Path snap = temp.resolve("chk-1").resolve("p1");
    await(store.snapshot(snap));
    await(store.put(b("a"), b("1")));
    await(store.restore(snap));
    assertThat(await(store.prefixScan(b("")))).isEmpty();
  }

  @Test
  void snapshotIntoAnExistingDirectoryFailsNamingTheStore() throws Exception {
    Path snap = temp.resolve("chk-1").resolve("p1");
    Files.createDirectories(snap);
    Throwable failure = failure(store.snapshot(snap));
    assertThat(failure).isInstanceOf(StateException.class).hasMessageContaining("p1").hasMessageContaining("snapshot");
  }

  @Test
  void restoreFromAMissingSnapshotFailsAndKeepsTheState() throws Exception {
    await(store.put(b("a"), b("1")));
    Throwable failure = failure(store.restore(temp.resolve("nowhere")));
    assertThat(failure).isInstanceOf(StateException.class).hasMessageContaining("restore");
    assertThat(s(await(store.get(b("a"))))).isEqualTo("1");
  }

  @Test
  void expiredValuesReadAsAbsentAndAreSweptInSlices() throws Exception {
    await(backend.close());
    backend = open(config(temp.resolve("ttl")).withTtlMs(1_000_000L));
    RocksDbStateStore ttl = backend.store("p1");
    store = ttl;
    await(ttl.write(new StateBatch().put(b("a"), b("1")).put(b("b"), b("2")).put(b("c"), b("3"))));
    clock.advance(600_000);
    await(ttl.put(b("b"), b("fresh"))); // rewritten at 1_600_000: expires at 2_600_000
    clock.advance(400_000); // now 2_000_000: a and c (written at 1_000_000) are 1_000_000 old

    assertThat(await(ttl.get(b("a")))).isNull();
    assertThat(s(await(ttl.get(b("b"))))).isEqualTo("fresh");
    assertThat(await(ttl.prefixScan(b("")))).extracting(e -> s(e.key())).containsExactly("b");
    assertThat(await(ttl.rawKeyCount())).isEqualTo(3L);

    // two keys per slice: a (expired), b (live); then c (expired) and the wrap-around
    assertThat(await(ttl.sweepExpired(2))).isEqualTo(1);
    assertThat(await(ttl.sweepExpired(2))).isEqualTo(1);
    assertThat(await(ttl.rawKeyCount())).isEqualTo(1L);
    assertThat(await(ttl.sweepExpired(2))).isZero();
  }

  @Test
  void thePeriodicSweepRemovesExpiredState() throws Exception {
    await(backend.close());
    // ttl 200 ms: the sweep runs every 50 ms of real time; expiry follows the manual clock
    backend = open(config(temp.resolve("ttl")).withTtlMs(200L));
    RocksDbStateStore ttl = backend.store("p1");
    store = ttl;
    await(ttl.write(new StateBatch().put(b("a"), b("1")).put(b("b"), b("2"))));
    assertThat(await(ttl.rawKeyCount())).isEqualTo(2L);
    clock.advance(200);
    Awaitility.await().atMost(Duration.ofSeconds(10)).until(() -> await(ttl.rawKeyCount()) == 0L);
  }

  @Test
  void valuesWrittenWithoutTtlStillCarryTheirWriteTime() throws Exception {
    // a snapshot taken without a TTL restored by a process with one: entries age from their write
    await(store.put(b("a"), b("1")));
    Path snap = temp.resolve("chk-1").resolve("p1");
    await(store.snapshot(snap));
    await(backend.close());
    backend = open(config(temp.resolve("ttl")).withTtlMs(500L));
    store = backend.store("p1");
    await(store.restore(snap));
    assertThat(s(await(store.get(b("a"))))).isEqualTo("1");
    clock.advance(500);
    assertThat(await(store.get(b("a")))).isNull();
  }

  @Test
  void everyCompressionOpensAndRoundTrips() throws Exception {
    for (StateConfig.Compression compression : StateConfig.Compression.values()) {
      RocksDbBackend other =
          open(config(temp.resolve("c-" + compression))
              .withRocksdb(new StateConfig.RocksDbOptions(8, 1, compression)));
      try {
        StateStore s = other.store("p");
        await(s.put(b("k"), b("v-" + compression)));
        Path snap = temp.resolve("snap-" + compression);
        await(s.snapshot(snap));
        await(s.put(b("k"), b("later")));
        await(s.restore(snap));
        assertThat(s(await(s.get(b("k"))))).isEqualTo("v-" + compression);
      } finally {
        await(other.close());
      }
    }
  }

  @Test
  void closeIsIdempotentAndDeletesTheWorkingDirectory() throws Exception {
    await(store.put(b("a"), b("1")));
    Path dir = backend.directory();
    assertThat(dir).isDirectory();
    await(backend.close());
    await(backend.close());
    await(store.close());
    assertThat(dir).doesNotExist();
    assertThat(store.get(b("a")).cause()).isInstanceOf(StateException.class);
    assertThat(catchStore()).isInstanceOf(StateException.class).hasMessageContaining("closed");
  }

  @Test
  void theWorkingDirectoryIsFreshPerBackend() throws Exception {
    RocksDbBackend second = open(config(temp.resolve("live")));
    try {
      assertThat(second.directory()).isNotEqualTo(backend.directory());
      try (Stream<Path> dirs = Files.list(temp.resolve("live"))) {
        assertThat(dirs).hasSize(2);
      }
    } finally {
      await(second.close());
    }
  }

  private Throwable catchStore() {
    try {
      backend.store("p3");
      return null;
    } catch (StateException e) {
      return e;
    }
  }

  private static Throwable failure(io.vertx.core.Future<?> f) throws Exception {
    return f.toCompletionStage().toCompletableFuture().handle((v, e) -> e).get();
  }

  /** Processing time that moves only when a test says so. */
  static final class ManualClock implements InstantSource {
    private final AtomicLong millis;

    ManualClock(long millis) {
      this.millis = new AtomicLong(millis);
    }

    void advance(long ms) {
      millis.addAndGet(ms);
    }

    @Override
    public Instant instant() {
      return Instant.ofEpochMilli(millis.get());
    }

    @Override
    public long millis() {
      return millis.get();
    }
  }
}
