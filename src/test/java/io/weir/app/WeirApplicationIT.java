package io.weir.app;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.weir.config.ConfigLoader;
import io.weir.config.MockSourceConfig;
import io.weir.config.WeirConfig;
import io.weir.event.StreamEvent;
import io.weir.source.MockEventGenerator;
import io.weir.window.WindowAssigner;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/**
 * The whole application in-process on ephemeral ports: a seeded, bounded mock source through
 * keyBy and tumbling windows to a file sink, checked against windows computed independently
 * from the same generated events, plus the REST and metrics endpoints.
 */
class WeirApplicationIT extends InProcessApp {
  private static final long START = 1_700_000_000_000L;
  private static final long WINDOW_MS = 50;


  private WeirConfig config(Long maxEvents, double rate) throws Exception {
    JsonObject overrides =
        new JsonObject()
            .put("api", new JsonObject().put("port", 0))
            .put("metrics", new JsonObject().put("host", "127.0.0.1").put("port", 0))
            .put("processing", new JsonObject().put("parallelism", 2).put("queue_size", 4000).put("batch_size", 300))
            .put("watermarks", new JsonObject().put("delay_ms", 500))
            .put(
                "sources",
                new JsonArray()
                    .add(
                        new JsonObject()
                            .put("id", "it-mock")
                            .put("type", "mock")
                            .put("rate_per_sec", rate)
                            .put("keys", 10)
                            .put("partitions", 2)
                            .put("seed", 42)
                            .put("max_out_of_order_ms", 400)
                            .put("start_time", START)
                            .put("max_events", maxEvents)))
            .put(
                "pipelines",
                new JsonArray()
                    .add(
                        new JsonObject()
                            .put("id", "it")
                            .put("source", "it-mock")
                            .put("window", new JsonObject().put("type", "tumbling").put("size_ms", WINDOW_MS))
                            .put("aggregations", new JsonArray().add("count").add("sum").add("min").add("max").add("avg"))
                            .put("sinks", new JsonArray().add("results"))
                            .put("late_sink", "late")))
            .put(
                "sinks",
                new JsonArray()
                    .add(new JsonObject().put("id", "results").put("type", "file").put("path", temp.resolve("out/results.jsonl").toString()))
                    .add(new JsonObject().put("id", "late").put("type", "file").put("path", temp.resolve("out/late.jsonl").toString())));
    return result(ConfigLoader.load(vertx, TestConfigs.isolated(overrides, temp)));
  }


  record Expected(long count, double sum, double min, double max) {}

  /** Tumbling windows computed directly from the generator's events: no operator involved. */
  private static Map<String, Expected> expectedWindows(MockSourceConfig source) {
    MockEventGenerator generator = new MockEventGenerator(source, source.startTime(), source.seed());
    Map<String, Expected> out = new HashMap<>();
    for (int p = 0; p < source.partitions(); p++) {
      while (!generator.exhausted(p)) {
        StreamEvent e = generator.next(p);
        long start = WindowAssigner.windowStart(e.timestamp(), 0, WINDOW_MS);
        out.merge(
            e.key() + "@" + start,
            new Expected(1, e.value(), e.value(), e.value()),
            (a, b) -> new Expected(a.count + b.count, a.sum + b.sum, Math.min(a.min, b.min), Math.max(a.max, b.max)));
      }
    }
    return out;
  }

  @Test
  void boundedMockStreamProducesExactlyTheExpectedWindows() throws Exception {
    newVertx();
    WeirConfig config = config(20_000L, 20_000);
    startApp(config);
    int api = app.apiPort();
    assertThat(api).isPositive();

    await()
        .atMost(Duration.ofSeconds(60))
        .until(() -> "finished".equals(TestHttp.get(api, "/pipelines/it/stats").json().getString("state")));

    // Results in the file sink equal windows computed from the same events.
    MockSourceConfig source = (MockSourceConfig) config.sources().get(0);
    Map<String, Expected> expected = expectedWindows(source);
    List<JsonObject> lines =
        Files.readAllLines(temp.resolve("out/results.jsonl")).stream().map(JsonObject::new).collect(Collectors.toList());
    assertThat(lines).hasSize(expected.size());
    long total = 0;
    for (JsonObject r : lines) {
      long start = r.getLong("window_start");
      Expected e = expected.get(r.getString("key") + "@" + start);
      assertThat(e).as("unexpected window %s", r).isNotNull();
      assertThat(r.getString("pipeline")).isEqualTo("it");
      assertThat(r.getString("window_type")).isEqualTo("tumbling");
      assertThat(r.getLong("window_end")).isEqualTo(start + WINDOW_MS);
      assertThat(r.getLong("count")).isEqualTo(e.count());
      assertThat(r.getDouble("sum")).isCloseTo(e.sum(), org.assertj.core.data.Offset.offset(1e-6));
      assertThat(r.getDouble("min")).isEqualTo(e.min());
      assertThat(r.getDouble("max")).isEqualTo(e.max());
      assertThat(r.getDouble("avg")).isCloseTo(e.sum() / e.count(), org.assertj.core.data.Offset.offset(1e-6));
      assertThat(r.getBoolean("is_update")).isFalse();
      assertThat(r.getLong("watermark")).isGreaterThanOrEqualTo(start + WINDOW_MS - 1);
      total += r.getLong("count");
    }
    // Jitter (400 ms) stays within the watermark delay (500 ms): nothing is late, every event counted once.
    assertThat(total).isEqualTo(20_000);
    assertThat(temp.resolve("out/late.jsonl")).isEmptyFile();

    JsonObject stats = TestHttp.get(api, "/pipelines/it/stats").json();
    assertThat(stats.getLong("events_in")).isEqualTo(20_000);
    assertThat(stats.getLong("events_processed")).isEqualTo(20_000);
    assertThat(stats.getLong("results_emitted")).isEqualTo(expected.size());
    assertThat(stats.getLong("late_events")).isZero();
    assertThat(stats.getLong("active_key_windows")).isZero();
    assertThat(stats.getString("watermark")).isEqualTo("+inf");

    String metrics = TestHttp.get(app.metricsPort(), "/metrics").body();
    assertThat(metricValue(metrics, "stream_events_processed_total", "pipeline=\"it\"")).isEqualTo(20_000.0);
    assertThat(metricValue(metrics, "stream_active_windows", "pipeline=\"it\"")).isEqualTo(0.0);
    assertThat(metrics).contains("stream_processing_duration_seconds_bucket{");
    assertThat(metrics).contains("stream_watermark_lag_seconds{");
    assertThat(metrics).contains("jvm_memory_used_bytes");
    assertThat(metrics).contains("vertx_eventbus_");
  }

  static double metricValue(String exposition, String name, String label) {
    Matcher m = Pattern.compile("(?m)^" + name + "\\{[^}]*" + Pattern.quote(label) + "[^}]*} (\\S+)$").matcher(exposition);
    assertThat(m.find()).as("metric %s{%s} in:%n%s", name, label, exposition).isTrue();
    return Double.parseDouble(m.group(1));
  }

  @Test
  void restApiReportsHealthStatusAndPipelinesAndRejectsUnknownIds() throws Exception {
    newVertx();
    startApp(config(null, 2_000));
    int api = app.apiPort();

    TestHttp.Response health = TestHttp.get(api, "/health");
    assertThat(health.status()).isEqualTo(200);
    assertThat(health.contentType()).startsWith("application/json");
    assertThat(health.json().getString("status")).isEqualTo("UP");
    assertThat(health.json().getJsonArray("checks").stream().map(c -> ((JsonObject) c).getString("id")))
        .contains("api", "metrics", "pipeline-it", "sink-results", "sink-late");

    JsonObject status = TestHttp.get(api, "/status").json();
    assertThat(status.getInteger("api_port")).isEqualTo(api);
    assertThat(status.getInteger("metrics_port")).isEqualTo(app.metricsPort());

    JsonArray pipelines = TestHttp.get(api, "/pipelines").json().getJsonArray("pipelines");
    assertThat(pipelines).hasSize(1);
    assertThat(pipelines.getJsonObject(0).getString("id")).isEqualTo("it");
    assertThat(pipelines.getJsonObject(0).getString("state")).isEqualTo("running");

    JsonObject detail = TestHttp.get(api, "/pipelines/it").json();
    assertThat(detail.getJsonObject("window").getLong("size_ms")).isEqualTo(WINDOW_MS);
    assertThat(detail.getInteger("parallelism")).isEqualTo(2);

    TestHttp.Response missing = TestHttp.get(api, "/pipelines/nope");
    assertThat(missing.status()).isEqualTo(404);
    assertThat(missing.json().getString("error")).isEqualTo("pipeline_not_found");
    assertThat(missing.json().getString("detail")).contains("nope");
    assertThat(TestHttp.post(api, "/pipelines/nope/stop").status()).isEqualTo(404);
    assertThat(TestHttp.get(api, "/no/such/route").json().getString("error")).isEqualTo("not_found");
    TestHttp.Response wrongMethod = TestHttp.get(api, "/pipelines/it/stop");
    assertThat(wrongMethod.status()).isEqualTo(405);
    assertThat(wrongMethod.json().getString("error")).isEqualTo("method_not_allowed");
    assertThat(TestHttp.get(api, "/windows?limit=zero").status()).isEqualTo(400);
  }

  @Test
  void stopReallyStopsConsumptionAndStartResumesIt() throws Exception {
    newVertx();
    startApp(config(null, 2_000));
    int api = app.apiPort();
    await().atMost(Duration.ofSeconds(20)).until(() -> eventsIn(api) > 100);

    TestHttp.Response stopped = TestHttp.post(api, "/pipelines/it/stop");
    assertThat(stopped.status()).isEqualTo(200);
    assertThat(stopped.json().getString("state")).isEqualTo("stopped");
    long atStop = eventsIn(api);
    JsonObject watermarks = TestHttp.get(api, "/watermarks").json().getJsonArray("pipelines").getJsonObject(0);
    assertThat(watermarks.getString("pipeline")).isEqualTo("it");
    assertThat(watermarks.getJsonArray("partitions")).hasSize(2);
    assertThat(watermarks.getJsonArray("operators").getJsonObject(0).getString("diagnosis")).startsWith("the pipeline is stopped");
    // Nothing more is read while stopped: the count holds for a while, and all of it is processed.
    await()
        .during(Duration.ofMillis(500))
        .atMost(Duration.ofSeconds(5))
        .until(() -> eventsIn(api) == atStop);
    await().atMost(Duration.ofSeconds(5)).until(() -> TestHttp.get(api, "/pipelines/it/stats").json().getLong("events_processed") == atStop);

    TestHttp.Response started = TestHttp.post(api, "/pipelines/it/start");
    assertThat(started.json().getString("state")).isEqualTo("running");
    await().atMost(Duration.ofSeconds(10)).until(() -> eventsIn(api) > atStop);
  }

  @Test
  void resultsDoNotDependOnParallelismEvenWithLateData() throws Exception {
    newVertx();
    // One source partition, jitter (300 ms) far beyond the watermark delay (100 ms): late events,
    // re-firings within the 50 ms lateness and drops beyond it. The same events through 1 and 3
    // operator partitions must give the same results, record for record. The source has no seed
    // and no start time: both pipelines must still read the same events.
    JsonObject window =
        new JsonObject().put("type", "sliding").put("size_ms", 40).put("slide_ms", 20).put("allowed_lateness_ms", 50);
    // Sessions of 1 ms gap with 50 ms lateness: with this disorder, many late merges and bridges.
    JsonObject session = new JsonObject().put("type", "session").put("gap_ms", 1).put("allowed_lateness_ms", 50);
    JsonObject overrides =
        new JsonObject()
            .put("api", new JsonObject().put("port", 0))
            .put("metrics", new JsonObject().put("enabled", false))
            .put("processing", new JsonObject().put("batch_size", 37))
            .put("watermarks", new JsonObject().put("delay_ms", 100))
            .put(
                "sources",
                new JsonArray()
                    .add(
                        new JsonObject()
                            .put("id", "shared")
                            .put("type", "mock")
                            .put("rate_per_sec", 20_000)
                            .put("keys", 7)
                            .put("partitions", 1)
                            .put("max_out_of_order_ms", 300)
                            .put("max_events", 10_000)))
            .put(
                "pipelines",
                new JsonArray()
                    .add(pipeline("one", window, 1))
                    .add(pipeline("three", window, 3))
                    .add(pipeline("sone", session, 1))
                    .add(pipeline("sthree", session, 3)))
            .put(
                "sinks",
                new JsonArray()
                    .add(new JsonObject().put("id", "out-one").put("type", "file").put("path", temp.resolve("one.jsonl").toString()))
                    .add(new JsonObject().put("id", "out-three").put("type", "file").put("path", temp.resolve("three.jsonl").toString()))
                    .add(new JsonObject().put("id", "late-one").put("type", "file").put("path", temp.resolve("late-one.jsonl").toString()))
                    .add(new JsonObject().put("id", "late-three").put("type", "file").put("path", temp.resolve("late-three.jsonl").toString())));
    for (String id : List.of("sone", "sthree")) {
      overrides
          .getJsonArray("sinks")
          .add(new JsonObject().put("id", "out-" + id).put("type", "file").put("path", temp.resolve(id + ".jsonl").toString()))
          .add(new JsonObject().put("id", "late-" + id).put("type", "file").put("path", temp.resolve("late-" + id + ".jsonl").toString()));
    }
    startApp(result(ConfigLoader.load(vertx, TestConfigs.isolated(overrides, temp))));
    int api = app.apiPort();
    await()
        .atMost(Duration.ofSeconds(60))
        .until(
            () ->
                List.of("one", "three", "sone", "sthree").stream()
                    .allMatch(p -> "finished".equals(state(api, p))));
    assertThat(TestHttp.get(api, "/health").status()).isEqualTo(200); // no metrics check when disabled

    List<String> one = sortedWithoutPipeline(temp.resolve("one.jsonl"));
    List<String> three = sortedWithoutPipeline(temp.resolve("three.jsonl"));
    assertThat(one).isNotEmpty().isEqualTo(three);
    assertThat(one).anyMatch(l -> l.contains("\"is_update\":true"));
    List<String> lateOne = sortedWithoutPipeline(temp.resolve("late-one.jsonl"));
    assertThat(lateOne).isNotEmpty().isEqualTo(sortedWithoutPipeline(temp.resolve("late-three.jsonl")));

    List<String> sessionsOne = sortedWithoutPipeline(temp.resolve("sone.jsonl"));
    assertThat(sessionsOne).isNotEmpty().isEqualTo(sortedWithoutPipeline(temp.resolve("sthree.jsonl")));
    assertThat(sessionsOne).allMatch(l -> l.contains("\"window_type\":\"session\""));
    assertThat(sessionsOne).anyMatch(l -> l.contains("\"is_update\":true"));
    assertThat(sortedWithoutPipeline(temp.resolve("late-sone.jsonl")))
        .isEqualTo(sortedWithoutPipeline(temp.resolve("late-sthree.jsonl")));
  }

  @Test
  void aBoundedMultiPartitionReplayGivesTheSameResultsWhateverTheParallelismAndQueueSize() throws Exception {
    // Three partitions and disorder beyond the watermark delay: which events are late depends on
    // how the partitions interleave. A bounded mock emits whole batches in a fixed order, so two
    // runs with a different parallelism and a queue small enough to backpressure agree exactly.
    List<String> first = replay(1, 100_000, 100, 3, "a");
    List<String> second = replay(3, 700, 100, 3, "b");
    assertThat(first).isNotEmpty().isEqualTo(second);
    assertThat(first).anyMatch(l -> l.startsWith("late"));
    assertThat(first).anyMatch(l -> l.contains("\"is_update\":true"));
  }

  @Test
  void aSinglePartitionReplayGivesTheSameResultsForAnyBatchSize() throws Exception {
    // With one partition the per-event watermark makes batching invisible: batches of 1 and of
    // 500 events, with late data, re-firings and drops, give the same records.
    List<String> one = replay(2, 100_000, 1, 1, "one");
    List<String> many = replay(2, 100_000, 500, 1, "many");
    assertThat(one).isNotEmpty().isEqualTo(many);
    assertThat(one).anyMatch(l -> l.startsWith("late"));
    assertThat(one).anyMatch(l -> l.contains("\"is_update\":true"));
  }

  private List<String> replay(int parallelism, int queueSize, int batchSize, int partitions, String run)
      throws Exception {
    newVertx();
    JsonObject overrides =
        new JsonObject()
            .put("api", new JsonObject().put("port", 0))
            .put("metrics", new JsonObject().put("enabled", false))
            .put("processing", new JsonObject().put("parallelism", parallelism).put("queue_size", queueSize).put("batch_size", batchSize))
            .put("watermarks", new JsonObject().put("delay_ms", 20))
            .put(
                "sources",
                new JsonArray()
                    .add(
                        new JsonObject()
                            .put("id", "three")
                            .put("type", "mock")
                            .put("rate_per_sec", 30_000)
                            .put("keys", 9)
                            .put("partitions", partitions)
                            .put("seed", 5)
                            .put("start_time", START)
                            .put("max_out_of_order_ms", 60)
                            .put("max_events", 9_000)))
            .put(
                "pipelines",
                new JsonArray()
                    .add(
                        new JsonObject()
                            .put("id", "replay")
                            .put("source", "three")
                            .put("window", new JsonObject().put("type", "tumbling").put("size_ms", 10).put("allowed_lateness_ms", 10))
                            .put("sinks", new JsonArray().add("out"))
                            .put("late_sink", "late")))
            .put(
                "sinks",
                new JsonArray()
                    .add(new JsonObject().put("id", "out").put("type", "file").put("path", temp.resolve(run + "/out.jsonl").toString()))
                    .add(new JsonObject().put("id", "late").put("type", "file").put("path", temp.resolve(run + "/late.jsonl").toString())));
    startApp(result(ConfigLoader.load(vertx, TestConfigs.isolated(overrides, temp))));
    int api = app.apiPort();
    await().atMost(Duration.ofSeconds(60)).until(() -> "finished".equals(state(api, "replay")));
    List<String> lines = new java.util.ArrayList<>(Files.readAllLines(temp.resolve(run + "/out.jsonl")));
    Files.readAllLines(temp.resolve(run + "/late.jsonl")).forEach(l -> lines.add("late " + l));
    result(app.shutdown());
    result(vertx.close());
    app = null;
    vertx = null;
    java.util.Collections.sort(lines);
    return lines;
  }

  @Test
  void processingTimeWindowsUseTheArrivalTimeNotTheEventTime() throws Exception {
    newVertx();
    JsonObject overrides =
        new JsonObject()
            .put("api", new JsonObject().put("port", 0))
            .put("metrics", new JsonObject().put("enabled", false))
            .put(
                "sources",
                new JsonArray()
                    .add(
                        new JsonObject()
                            .put("id", "old")
                            .put("type", "mock")
                            .put("rate_per_sec", 2_000)
                            .put("keys", 3)
                            .put("seed", 1)
                            .put("start_time", 0))) // event times in 1970
            .put(
                "pipelines",
                new JsonArray()
                    .add(
                        new JsonObject()
                            .put("id", "pt")
                            .put("source", "old")
                            .put("window", new JsonObject().put("type", "tumbling").put("size_ms", 200).put("time", "processing"))
                            .put("sinks", new JsonArray().add("out")))
                    .add(
                        // an event-time window that never closes during the test: early panes only
                        new JsonObject()
                            .put("id", "early")
                            .put("source", "old")
                            .put("window", new JsonObject().put("type", "tumbling").put("size_ms", 86_400_000).put("emit", new JsonObject().put("early_every_ms", 50)))
                            .put("sinks", new JsonArray().add("early-out"))))
            .put(
                "sinks",
                new JsonArray()
                    .add(new JsonObject().put("id", "out").put("type", "file").put("path", temp.resolve("pt.jsonl").toString()))
                    .add(new JsonObject().put("id", "early-out").put("type", "file").put("path", temp.resolve("early.jsonl").toString())));
    long startedAt = System.currentTimeMillis();
    startApp(result(ConfigLoader.load(vertx, TestConfigs.isolated(overrides, temp))));
    Path out = temp.resolve("pt.jsonl");
    await().atMost(Duration.ofSeconds(20)).until(() -> Files.exists(out) && Files.readAllLines(out).size() >= 6);
    long now = System.currentTimeMillis();
    for (String line : Files.readAllLines(out)) {
      JsonObject r = new JsonObject(line);
      // windows of the wall clock, not of 1970, each closed when the clock passed its end
      assertThat(r.getLong("window_start")).isBetween(startedAt - 200, now);
      assertThat(r.getLong("window_end") - r.getLong("window_start")).isEqualTo(200);
      assertThat(r.getLong("window_start") % 200).isZero();
      assertThat(r.getLong("watermark")).isGreaterThanOrEqualTo(r.getLong("window_end") - 1);
      assertThat(r.getLong("count")).isPositive();
      assertThat(r.getString("timing")).isEqualTo("on_time");
    }
    // Early panes: speculative, growing, never final, indices counting up per key window.
    Path early = temp.resolve("early.jsonl");
    await().atMost(Duration.ofSeconds(20)).until(() -> Files.exists(early) && Files.readAllLines(early).size() >= 6);
    Map<String, Long> lastIndex = new HashMap<>();
    for (String line : Files.readAllLines(early)) {
      JsonObject r = new JsonObject(line);
      assertThat(r.getString("timing")).isEqualTo("early");
      assertThat(r.getBoolean("is_final")).isFalse();
      long index = r.getLong("pane_index");
      Long previous = lastIndex.put(r.getString("key"), index);
      assertThat(index).isEqualTo(previous == null ? 0 : previous + 1);
    }
  }

  @Test
  void aConfiguredTokenGuardsEveryEndpointButHealth() throws Exception {
    newVertx();
    WeirConfig base = config(null, 1_000);
    WeirConfig guarded =
        new WeirConfig(
            base.appName(), new io.weir.config.ApiConfig("127.0.0.1", 0, "s3cret"), base.metrics(), base.processing(),
            base.state(), base.watermarks(), base.sources(), base.pipelines(), base.sinks());
    startApp(guarded);
    int api = app.apiPort();
    assertThat(TestHttp.get(api, "/health").status()).isEqualTo(200);
    TestHttp.Response denied = TestHttp.get(api, "/pipelines");
    assertThat(denied.status()).isEqualTo(401);
    assertThat(denied.json().getString("error")).isEqualTo("unauthorized");
    assertThat(TestHttp.get(api, "/pipelines", "wrong").status()).isEqualTo(401);
    assertThat(TestHttp.get(api, "/pipelines", "s3cret").status()).isEqualTo(200);
  }

  private static String state(int api, String pipeline) {
    try {
      return TestHttp.get(api, "/pipelines/" + pipeline + "/stats").json().getString("state");
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }

  private static JsonObject pipeline(String id, JsonObject window, int parallelism) {
    return new JsonObject()
        .put("id", id)
        .put("source", "shared")
        .put("window", window)
        .put("parallelism", parallelism)
        .put("sinks", new JsonArray().add("out-" + id))
        .put("late_sink", "late-" + id);
  }

  private static List<String> sortedWithoutPipeline(Path file) throws Exception {
    return Files.readAllLines(file).stream()
        .map(l -> l.replaceAll("\"pipeline\":\"[a-z]+\"", "\"pipeline\":\"-\""))
        .sorted()
        .collect(Collectors.toList());
  }

  private static long eventsIn(int api) throws Exception {
    return TestHttp.get(api, "/pipelines/it/stats").json().getLong("events_in");
  }
}
