package io.weir.app;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.weir.config.ConfigLoader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/** A bounded JSONL file through tumbling windows, with malformed and late lines: by hand. */
class FileSourceIT extends InProcessApp {

  @Test
  void malformedLinesGoToTheDeadLetterSinkAndWindowsMatchTheHandComputedOnes() throws Exception {
    Path in = temp.resolve("in/events.jsonl");
    Files.createDirectories(in.getParent());
    Files.writeString(
        in,
        String.join(
            "\n",
            "{\"id\":\"e1\",\"key\":\"a\",\"timestamp\":1000,\"value\":1.5}",
            "{\"id\":\"e2\",\"key\":\"b\",\"timestamp\":1500,\"value\":2}",
            "not json",
            "{\"id\":\"e4\",\"key\":\"a\",\"timestamp\":\"1970-01-01T00:00:02.500Z\",\"value\":4}",
            "{\"id\":\"e5\",\"timestamp\":2600,\"value\":1}",
            "{\"id\":\"e6\",\"key\":\"a\",\"timestamp\":900,\"value\":10}",
            "{\"id\":\"e7\",\"key\":\"b\",\"timestamp\":3999,\"value\":3}"));
    newVertx();
    JsonObject overrides =
        new JsonObject()
            .put("api", new JsonObject().put("port", 0))
            .put("metrics", new JsonObject().put("host", "127.0.0.1").put("port", 0))
            .put("watermarks", new JsonObject().put("delay_ms", 0))
            .put(
                "sources",
                new JsonArray()
                    .add(
                        new JsonObject()
                            .put("id", "history")
                            .put("type", "file")
                            .put("path", temp.resolve("in").toString() + "/*.jsonl")
                            .put("dead_letter", "dlq")))
            .put(
                "pipelines",
                new JsonArray()
                    .add(
                        new JsonObject()
                            .put("id", "p")
                            .put("source", "history")
                            .put("window", new JsonObject().put("type", "tumbling").put("size_ms", 2000))
                            .put("aggregations", new JsonArray().add("count").add("sum").add("p50"))
                            .put("sinks", new JsonArray().add("out"))
                            .put("late_sink", "late")))
            .put(
                "sinks",
                new JsonArray()
                    .add(file("out"))
                    .add(file("late"))
                    .add(file("dlq")));
    startApp(result(ConfigLoader.load(vertx, TestConfigs.isolated(overrides, temp))));
    int api = app.apiPort();
    await()
        .atMost(Duration.ofSeconds(30))
        .until(() -> "finished".equals(TestHttp.get(api, "/pipelines/p/stats").json().getString("state")));

    // delay 0: the watermark after an event is its timestamp - 1 (the maximum so far).
    // e1 (a,1000) e2 (b,1500) -> 1499; e4 (a,2500) -> 2499 fires [0,2000) for a and b;
    // e6 (a,900) is then late for [0,2000) (1999 <= 2499): late_by 2499 - 1999 = 500;
    // e7 (b,3999) -> 3998; end of the file -> +inf fires [2000,4000) for a (e4) and b (e7).
    long inf = Long.MAX_VALUE;
    assertThat(lines("out"))
        .containsExactlyInAnyOrder(
            result("a", 0, 2000, 1, 1.5, 2499),
            result("b", 0, 2000, 1, 2.0, 2499),
            result("a", 2000, 4000, 1, 4.0, inf),
            result("b", 2000, 4000, 1, 3.0, inf));
    List<JsonObject> late = lines("late").stream().map(JsonObject::new).collect(Collectors.toList());
    assertThat(late).hasSize(1);
    assertThat(late.get(0).getString("reason")).isEqualTo("late");
    assertThat(late.get(0).getJsonObject("payload").getString("id")).isEqualTo("e6");
    assertThat(late.get(0).getLong("offset")).isEqualTo(6); // line 6
    assertThat(late.get(0).getLong("event_time")).isEqualTo(900);
    assertThat(late.get(0).getLong("watermark")).isEqualTo(2499);
    assertThat(late.get(0).getLong("window_end")).isEqualTo(2000);
    assertThat(late.get(0).getLong("late_by_ms")).isEqualTo(500);

    List<JsonObject> dead = lines("dlq").stream().map(JsonObject::new).collect(Collectors.toList());
    assertThat(dead).extracting(d -> d.getString("reason")).containsExactly("invalid_json", "missing_key");
    assertThat(dead).extracting(d -> d.getLong("offset")).containsExactly(3L, 5L);
    assertThat(dead.get(0).getString("payload")).isEqualTo("not json");
    assertThat(dead.get(1).getJsonObject("payload").getString("id")).isEqualTo("e5");
    assertThat(dead).allMatch(d -> "history".equals(d.getString("source")));

    String metrics = TestHttp.get(app.metricsPort(), "/metrics").body();
    assertThat(WeirApplicationIT.metricValue(metrics, "stream_dead_letter_total", "reason=\"invalid_json\"")).isEqualTo(1.0);
    assertThat(WeirApplicationIT.metricValue(metrics, "stream_dead_letter_total", "reason=\"missing_key\"")).isEqualTo(1.0);
    assertThat(WeirApplicationIT.metricValue(metrics, "stream_late_events_total", "pipeline=\"p\"")).isEqualTo(1.0);
  }

  private JsonObject file(String id) {
    return new JsonObject().put("id", id).put("type", "file").put("path", temp.resolve("out/" + id + ".jsonl").toString());
  }

  private List<String> lines(String sink) throws Exception {
    return Files.readAllLines(temp.resolve("out/" + sink + ".jsonl"));
  }

  private static String result(String key, long start, long end, long count, double sum, long watermark) {
    return "{\"pipeline\":\"p\",\"key\":\"" + key + "\",\"window_type\":\"tumbling\",\"window_start\":" + start
        + ",\"window_end\":" + end + ",\"count\":" + count + ",\"sum\":" + sum
        // one event per window: its median is its value
        + ",\"p50\":" + sum
        // lateness 0: the on-time pane is the only and final one
        + ",\"is_update\":false,\"pane_index\":0,\"timing\":\"on_time\",\"is_final\":true"
        + ",\"watermark\":" + watermark + "}";
  }
}
