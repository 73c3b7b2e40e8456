package io.weir.app;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.vertx.core.json.JsonObject;
import io.weir.checkpoint.CheckpointStorage;
import io.weir.config.ConfigLoader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * The checkpoint directory becomes unwritable mid-run: checkpoints fail loudly (REST, metric,
 * /health), processing goes on, nothing half-written is published, and checkpoints succeed
 * again once the directory is back.
 */
class CheckpointFailureIT extends InProcessApp {

  private static JsonObject latest(int api) throws Exception {
    return TestHttp.get(api, "/checkpoints").json().getJsonArray("checkpoints").stream()
        .map(JsonObject.class::cast)
        .filter(c -> !"in_progress".equals(c.getString("status")))
        .findFirst()
        .orElse(new JsonObject());
  }

  private static double metric(int port, String status) throws Exception {
    return WeirApplicationIT.metricValue(TestHttp.get(port, "/metrics").body(), "stream_checkpoints_total", "status=\"" + status + "\"");
  }

  @Test
  void anUnwritableCheckpointDirectoryFailsCheckpointsButNotProcessing() throws Exception {
    newVertx();
    Path checkpoints = temp.resolve("checkpoints");
    JsonObject overrides =
        TestConfigs.mockToFile(2_000, 5, 3, 100, temp.resolve("out.jsonl"))
            .put("metrics", new JsonObject().put("host", "127.0.0.1").put("port", 0))
            .put("state", new JsonObject().put("dir", temp.resolve("state").toString()).put("checkpoint_dir", checkpoints.toString()));
    startApp(result(ConfigLoader.load(vertx, overrides)));
    int api = app.apiPort();
    int metrics = app.metricsPort();
    await().atMost(Duration.ofSeconds(30)).until(() -> "completed".equals(latest(api).getString("status")));

    // The directory goes away and a file takes its place: nothing can be created under it.
    Path moved = temp.resolve("checkpoints-moved");
    Files.move(checkpoints, moved);
    Files.writeString(checkpoints, "not a directory");
    await().atMost(Duration.ofSeconds(30)).until(() -> "failed".equals(latest(api).getString("status")));
    assertThat(latest(api).getString("error")).isNotBlank();
    assertThat(metric(metrics, "failed")).isPositive();
    assertThat(TestHttp.get(api, "/health").status()).isEqualTo(503);
    long processed = TestHttp.get(api, "/pipelines/p/stats").json().getLong("events_processed");
    await().atMost(Duration.ofSeconds(30)).until(() -> TestHttp.get(api, "/pipelines/p/stats").json().getLong("events_processed") > processed);

    // Back: checkpoints succeed again and /health recovers.
    Files.delete(checkpoints);
    Files.move(moved, checkpoints);
    double completedBefore = metric(metrics, "completed");
    await().atMost(Duration.ofSeconds(30)).until(() -> metric(metrics, "completed") > completedBefore && "completed".equals(latest(api).getString("status")));
    await().atMost(Duration.ofSeconds(10)).until(() -> TestHttp.get(api, "/health").status() == 200);

    // Nothing half-written was ever published: once checkpointing is quiet, every checkpoint
    // directory left has its metadata (failed attempts were removed), and the newest reads back.
    app.checkpoints().stopPeriodic();
    await().atMost(Duration.ofSeconds(10)).until(() -> app.checkpoints().inProgress() == null);
    try (Stream<Path> dirs = Files.list(checkpoints)) {
      for (Path dir : dirs.filter(d -> d.getFileName().toString().startsWith("chk-")).toList()) {
        assertThat(dir.resolve(CheckpointStorage.METADATA)).as(dir.toString()).exists();
      }
    }
    assertThat(new CheckpointStorage(checkpoints).latest()).isPresent();
    // Output produced around the failures is committed by the next checkpoints.
    app.checkpoints().startPeriodic(100);
    await().atMost(Duration.ofSeconds(30)).until(() -> !Files.readAllLines(temp.resolve("out.jsonl")).isEmpty());
  }
}
