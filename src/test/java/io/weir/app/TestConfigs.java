package io.weir.app;

import io.vertx.core.json.JsonObject;
import java.nio.file.Path;
import java.util.concurrent.atomic.AtomicInteger;

/** Test configurations that keep every run's state and checkpoints in its own temp directory. */
final class TestConfigs {
  private static final AtomicInteger RUNS = new AtomicInteger();

  private TestConfigs() {}

  /**
   * {@code overrides} with state and checkpoints under a fresh directory of {@code temp} and,
   * unless set, checkpoints every 200 ms (file sinks show output only once it is checkpointed).
   */
  static JsonObject isolated(JsonObject overrides, Path temp) {
    JsonObject copy = overrides.copy();
    Path dir = temp.resolve("state-" + RUNS.incrementAndGet());
    JsonObject state = copy.getJsonObject("state", new JsonObject());
    state.put("dir", dir.resolve("live").toString()).put("checkpoint_dir", dir.resolve("checkpoints").toString());
    copy.put("state", state);
    JsonObject processing = copy.getJsonObject("processing", new JsonObject());
    if (!processing.containsKey("checkpoint_interval")) {
      processing.put("checkpoint_interval", 0.2);
    }
    copy.put("processing", processing);
    return copy;
  }
}
