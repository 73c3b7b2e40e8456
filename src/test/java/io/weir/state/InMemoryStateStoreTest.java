package io.weir.state;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.Vertx;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

class InMemoryStateStoreTest extends StateStoreContract {

  @Override
  protected StateStore create(Vertx vertx, String name, Path dir) {
    return new InMemoryStateStore(vertx, name);
  }

  @Test
  void statsAreExactForTheHeap() throws Exception {
    await(store.write(new StateBatch().put(b("a"), b("1")).put(b("bb"), b("22"))));
    // keys 1 + 2 bytes, values 1 + 2 bytes
    assertThat(await(store.stats())).isEqualTo(new StoreStats(2, 1 + 2 + 1 + 2, 1 + 2 + 1 + 2));
  }

  @Test
  void aCorruptSnapshotIsRejected() throws Exception {
    await(store.put(b("a"), b("1")));
    Path snap = temp.resolve("chk-2").resolve("p1");
    await(store.snapshot(snap));
    Path file = snap.resolve(InMemoryStateStore.SNAPSHOT_FILE);
    byte[] bytes = Files.readAllBytes(file);
    bytes[21] ^= 0x01; // the value byte: magic(4) count(8) keyLen(4) key(1) valueLen(4) value
    Files.write(file, bytes);
    Throwable failure = store.restore(snap).toCompletionStage().toCompletableFuture().handle((v, e) -> e).get();
    assertThat(failure).hasMessageContaining("checksum");
    assertThat(s(await(store.get(b("a"))))).isEqualTo("1");
  }
}
