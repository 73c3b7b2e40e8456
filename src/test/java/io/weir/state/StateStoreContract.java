package io.weir.state;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The behaviour every {@link StateStore} backend must have. Subclasses supply the backend. */
public abstract class StateStoreContract {
  protected Vertx vertx;
  protected StateStore store;
  @TempDir protected Path temp;

  protected abstract StateStore create(Vertx vertx, String name, Path dir);

  @BeforeEach
  protected void open() {
    vertx = Vertx.vertx();
    store = create(vertx, "p1", temp.resolve("live"));
  }

  @AfterEach
  protected void close() throws Exception {
    await(store.close());
    await(vertx.close());
  }

  protected static <T> T await(Future<T> f) throws Exception {
    return f.toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
  }

  protected static byte[] b(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }

  protected static String s(byte[] b) {
    return b == null ? null : new String(b, StandardCharsets.UTF_8);
  }

  @Test
  void putGetDelete() throws Exception {
    await(store.put(b("k"), b("v")));
    assertThat(s(await(store.get(b("k"))))).isEqualTo("v");
    await(store.delete(b("k")));
    assertThat(await(store.get(b("k")))).isNull();
  }

  @Test
  void blockingWritesAndScansOffTheEventLoopSeeTheAsynchronousOperations() throws Exception {
    await(store.put(b("k1"), b("async")));
    store.writeNow(new StateBatch().put(b("k2"), b("now")).put(b("k3"), b("x")).delete(b("k3")));
    assertThat(s(await(store.get(b("k2"))))).isEqualTo("now");
    assertThat(store.prefixScanNow(b("k")).stream().map(e -> s(e.key()) + "=" + s(e.value())))
        .containsExactly("k1=async", "k2=now");
    assertThat(s(store.getNow(b("k1")))).isEqualTo("async");
  }

  @Test
  void blockingCallsOnAnEventLoopAreRefused() throws Exception {
    java.util.concurrent.CompletableFuture<Throwable> refused = new java.util.concurrent.CompletableFuture<>();
    vertx.runOnContext(
        v -> {
          try {
            store.writeNow(new StateBatch().put(b("k"), b("v")));
            refused.complete(null);
          } catch (Throwable e) {
            refused.complete(e);
          }
        });
    assertThat(refused.get(10, TimeUnit.SECONDS)).isInstanceOf(IllegalStateException.class).hasMessageContaining("event loop");
    java.util.concurrent.CompletableFuture<Throwable> scan = new java.util.concurrent.CompletableFuture<>();
    vertx.runOnContext(
        v -> {
          try {
            store.prefixScanNow(b("k"));
            scan.complete(null);
          } catch (Throwable e) {
            scan.complete(e);
          }
        });
    assertThat(scan.get(10, TimeUnit.SECONDS)).isInstanceOf(IllegalStateException.class);
    assertThat(await(store.get(b("k")))).isNull();
  }

  @Test
  void writeBatchAppliesInOrder() throws Exception {
    await(store.write(new StateBatch().put(b("a"), b("1")).put(b("b"), b("2")).delete(b("a")).put(b("c"), b("3"))));
    assertThat(await(store.get(b("a")))).isNull();
    assertThat(s(await(store.get(b("b"))))).isEqualTo("2");
    assertThat(await(store.estimatedKeys())).isEqualTo(2L);
  }

  @Test
  void prefixScanReturnsOnlyThePrefixInUnsignedKeyOrder() throws Exception {
    byte[] k1 = KeyLayout.timeKey(0, "user-1", -5);
    byte[] k2 = KeyLayout.timeKey(0, "user-1", 7);
    byte[] other = KeyLayout.timeKey(0, "user-2", 1);
    byte[] otherPartition = KeyLayout.timeKey(1, "user-1", 1);
    await(store.write(new StateBatch().put(k2, b("b")).put(other, b("x")).put(k1, b("a")).put(otherPartition, b("y"))));
    List<StateEntry> scan = await(store.prefixScan(KeyLayout.keyPrefix(0, "user-1")));
    assertThat(scan).extracting(e -> KeyLayout.time(e.key())).containsExactly(-5L, 7L);
    assertThat(await(store.prefixScan(KeyLayout.partitionPrefix(0)))).hasSize(3);
  }

  @Test
  void deleteRangeRemovesHalfOpenRange() throws Exception {
    await(store.write(new StateBatch().put(b("a"), b("1")).put(b("b"), b("2")).put(b("c"), b("3"))));
    await(store.deleteRange(b("a"), b("c")));
    assertThat(await(store.get(b("a")))).isNull();
    assertThat(await(store.get(b("b")))).isNull();
    assertThat(s(await(store.get(b("c"))))).isEqualTo("3");
  }

  @Test
  void snapshotAndRestoreRoundTrip() throws Exception {
    await(store.write(new StateBatch().put(b("a"), b("1")).put(b("b"), b("2"))));
    Path snap = temp.resolve("chk-1").resolve("p1");
    await(store.snapshot(snap));
    await(store.put(b("a"), b("changed")));
    await(store.put(b("z"), b("new")));
    await(store.restore(snap));
    assertThat(s(await(store.get(b("a"))))).isEqualTo("1");
    assertThat(await(store.get(b("z")))).isNull();
    assertThat(await(store.estimatedKeys())).isEqualTo(2L);
  }

  @Test
  void statsCountTheKeys() throws Exception {
    await(store.write(new StateBatch().put(b("a"), b("1")).put(b("bb"), b("22"))));
    StoreStats stats = await(store.stats());
    assertThat(stats.estimatedKeys()).isEqualTo(2L);
    // Where the bytes are counted differs per backend (memtable or heap); there are some.
    assertThat(stats.liveDataBytes() + stats.memoryBytes()).isPositive();
  }

  @Test
  void aClosedStoreFailsWithTheStoreNameAndOperation() throws Exception {
    await(store.close());
    Throwable failure = store.get(b("a")).cause();
    assertThat(failure).isInstanceOf(StateException.class).hasMessageContaining("p1").hasMessageContaining("get");
  }
}
