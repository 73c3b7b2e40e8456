package io.weir.app;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.vertx.core.json.JsonObject;
import io.weir.config.ConfigLoader;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/** GET /state: the store's size, the state cache's figures and the last checkpoint. */
class StateEndpointIT extends InProcessApp {

  private void start(String backend, long cacheMaxBytes) throws Exception {
    newVertx();
    JsonObject overrides =
        TestConfigs.mockToFile(5_000, 50, 5, 200, temp.resolve("out.jsonl"))
            .put("metrics", new JsonObject().put("enabled", false))
            .put(
                "state",
                new JsonObject()
                    .put("backend", backend)
                    .put("dir", temp.resolve("state").toString())
                    .put("checkpoint_dir", temp.resolve("checkpoints").toString())
                    .put("cache_max_bytes", cacheMaxBytes));
    startApp(result(ConfigLoader.load(vertx, overrides)));
  }

  private JsonObject pipeline() throws Exception {
    return TestHttp.get(app.apiPort(), "/state").json().getJsonArray("pipelines").getJsonObject(0);
  }

  @Test
  void aStateCacheFarTooSmallShowsItsEvictionsReloadsAndHitRate() throws Exception {
    start("rocksdb", 1);
    await()
        .atMost(Duration.ofSeconds(30))
        .until(() -> pipeline().getJsonObject("cache").getLong("reloads") > 0 && pipeline().getJsonObject("cache").getLong("evictions") > 0);
    JsonObject state = TestHttp.get(app.apiPort(), "/state").json();
    JsonObject p = state.getJsonArray("pipelines").getJsonObject(0);
    JsonObject cache = p.getJsonObject("cache");
    assertThat(p.getString("pipeline")).isEqualTo("p");
    assertThat(p.getString("backend")).isEqualTo("RocksDbStateStore");
    assertThat(p.getLong("estimated_keys")).isPositive();
    assertThat(cache.getLong("accesses")).isGreaterThanOrEqualTo(cache.getLong("reloads"));
    assertThat(cache.getDouble("hit_rate")).isBetween(0.0, 1.0).isLessThan(1.0);
    assertThat(cache.getLong("evicted_keys")).isBetween(0L, 50L);
    assertThat(p.getLong("last_checkpoint_state_bytes")).isPositive();
    assertThat(state.getJsonObject("last_checkpoint").getString("status")).isEqualTo("completed");
  }

  @Test
  void withEverythingInMemoryEveryAccessHits() throws Exception {
    start("memory", 1);
    await().atMost(Duration.ofSeconds(30)).until(() -> pipeline().getJsonObject("cache").getLong("accesses") > 100);
    JsonObject cache = pipeline().getJsonObject("cache");
    assertThat(cache.getLong("reloads")).isZero();
    assertThat(cache.getLong("evictions")).isZero();
    assertThat(cache.getDouble("hit_rate")).isEqualTo(1.0);
  }
}
