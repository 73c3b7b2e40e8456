package io.weir.app;

import io.vertx.core.json.JsonArray;
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
  /**
   * One pipeline {@code p}: a seeded mock source {@code m} ({@code ratePerSec}, {@code keys}),
   * tumbling windows of {@code windowMs}, a file sink {@code out} writing {@code out}; the REST
   * API on an ephemeral port, checkpoints every 100 ms, watermark delay 0.
   */
  static JsonObject mockToFile(int ratePerSec, int keys, long seed, long windowMs, Path out) {
    return new JsonObject()
        .put("api", new JsonObject().put("port", 0))
        .put("processing", new JsonObject().put("checkpoint_interval", 0.1))
        .put("watermarks", new JsonObject().put("delay_ms", 0))
        .put("sources", new JsonArray().add(new JsonObject().put("id", "m").put("type", "mock").put("rate_per_sec", ratePerSec).put("keys", keys).put("seed", seed)))
        .put(
            "pipelines",
            new JsonArray()
                .add(
                    new JsonObject()
                        .put("id", "p")
                        .put("source", "m")
                        .put("window", new JsonObject().put("type", "tumbling").put("size_ms", windowMs))
                        .put("sinks", new JsonArray().add("out"))))
        .put("sinks", new JsonArray().add(new JsonObject().put("id", "out").put("type", "file").put("path", out.toString())));
  }

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
