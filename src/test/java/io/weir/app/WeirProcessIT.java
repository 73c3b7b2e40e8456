package io.weir.app;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The fat jar as an operator runs it: start, serve, stop on SIGTERM, fail clearly. */
class WeirProcessIT {
  @TempDir Path work;

  private Path writeConfig(String yaml) throws Exception {
    Path file = work.resolve("weir.yaml");
    Files.writeString(file, yaml);
    return file;
  }

  private static final String LIVE =
      String.join(
          "\n",
          "api: { port: 0 }",
          "metrics: { host: 127.0.0.1, port: 0 }",
          "watermarks: { delay_ms: 100 }",
          "processing: { checkpoint_interval: 0.2 }",
          "sources:",
          "  - { id: clicks, type: mock, rate_per_sec: 2000, keys: 5, partitions: 2, seed: 1, max_out_of_order_ms: 50 }",
          "pipelines:",
          "  - id: live",
          "    source: clicks",
          "    window: { type: tumbling, size_ms: 200 }",
          "    sinks: [console, results]",
          "sinks:",
          "  - { id: console, type: console }",
          "  - { id: results, type: file, path: out/results.jsonl }",
          "");

  @Test
  void servesHealthAndMetricsThenExitsZeroOnSigterm() throws Exception {
    Path config = writeConfig(LIVE);
    try (WeirProcess weir = WeirProcess.start(work, "--config", config.toString())) {
      await().atMost(Duration.ofSeconds(30)).until(() -> weir.apiPort() > 0 && weir.metricsPort() > 0);
      int api = weir.apiPort();
      assertThat(TestHttp.get(api, "/health").status()).isEqualTo(200);

      double first = WeirApplicationIT.metricValue(TestHttp.get(weir.metricsPort(), "/metrics").body(), "stream_events_processed_total", "pipeline=\"live\"");
      await()
          .atMost(Duration.ofSeconds(20))
          .until(() -> WeirApplicationIT.metricValue(TestHttp.get(weir.metricsPort(), "/metrics").body(), "stream_events_processed_total", "pipeline=\"live\"") > first);

      // Results reach both the console (stdout) and the file.
      Path results = work.resolve("out/results.jsonl");
      await().atMost(Duration.ofSeconds(20)).until(() -> Files.exists(results) && !Files.readAllLines(results).isEmpty());
      await().atMost(Duration.ofSeconds(10)).until(() -> weir.stdout.stream().anyMatch(l -> l.contains("\"pipeline\":\"live\"")));

      weir.sigterm();
      assertThat(weir.waitFor(30)).as(weir.log()).isZero();
      assertThat(weir.log()).contains("shutdown complete");
      // Every line the file sink wrote is whole JSON.
      for (String line : Files.readAllLines(results)) {
        assertThat(line).startsWith("{\"pipeline\":\"live\"").endsWith("}");
      }
    }
  }

  @Test
  void aTakenPortGivesAOneLineErrorAndExitCodeOne() throws Exception {
    try (ServerSocket taken = new ServerSocket(0, 1, InetAddress.getByName("127.0.0.1"))) {
      Path config = writeConfig(LIVE);
      try (WeirProcess weir =
          WeirProcess.start(work, "--config", config.toString(), "--set", "api.port=" + taken.getLocalPort())) {
        assertThat(weir.waitFor(30)).isEqualTo(1);
        assertThat(weir.log())
            .contains("api: cannot listen on 127.0.0.1:" + taken.getLocalPort() + ": address already in use")
            .contains("api.port")
            .doesNotContain("Exception")
            .doesNotContain("\tat ");
      }
    }
  }

  @Test
  void validateNamesTheOffendingKeyAndExitsOne() throws Exception {
    Path config = writeConfig("processing: { parallelism: 0 }\nsurprise: 1\n");
    try (WeirProcess weir = WeirProcess.start(work, "validate", "--config", config.toString())) {
      assertThat(weir.waitFor(30)).isEqualTo(1);
      List<String> out = weir.stdout;
      assertThat(out).anyMatch(l -> l.startsWith("config error: processing.parallelism"));
      assertThat(out).anyMatch(l -> l.startsWith("config error: surprise"));
    }
  }

  @Test
  void validateAcceptsTheShippedConfigs() throws Exception {
    Path repo = Path.of("").toAbsolutePath();
    try (var files = Files.list(repo.resolve("conf/examples"))) {
      for (Path example : (Iterable<Path>) files.filter(f -> f.toString().endsWith(".yaml"))::iterator) {
        try (WeirProcess weir = WeirProcess.start(work, "validate", "--config", example.toString())) {
          assertThat(weir.waitFor(30)).as(example + ": " + weir.stdout).isZero();
        }
      }
    }
    try (WeirProcess weir = WeirProcess.start(work, "validate", "--config", repo.resolve("conf/stream.yaml").toString())) {
      assertThat(weir.waitFor(30)).as(String.join("\n", weir.stdout)).isZero();
    }
  }

  @Test
  void replayOfABoundedSourceFiresEveryWindowAndExitsZero() throws Exception {
    Path config =
        writeConfig(
            String.join(
                "\n",
                "api: { port: 0 }",
                "metrics: { enabled: false }",
                "sources:",
                "  - { id: history, type: mock, rate_per_sec: 50000, keys: 3, partitions: 3, seed: 9, start_time: 0, max_events: 6000 }",
                "pipelines:",
                "  - id: replay",
                "    source: history",
                "    window: { type: tumbling, size_ms: 10 }",
                "    aggregations: [count]",
                "    sinks: [results]",
                "sinks:",
                "  - { id: results, type: file, path: out/replay.jsonl }",
                ""));
    try (WeirProcess weir = WeirProcess.start(work, "--config", config.toString())) {
      assertThat(weir.waitFor(60)).as(weir.log()).isZero();
    }
    // 6000 events over 3 partitions at 50000/s: each partition advances 3*1000/50000 = 0.06 ms per
    // event, so its 2000 events span [0, 120) ms: 12 windows of 10 ms; 3 keys (one per partition).
    List<String> lines = Files.readAllLines(work.resolve("out/replay.jsonl"));
    assertThat(lines).hasSize(12 * 3);
    long total = lines.stream().mapToLong(l -> new io.vertx.core.json.JsonObject(l).getLong("count")).sum();
    assertThat(total).isEqualTo(6000);
  }

  @Test
  void replayOfACsvFileExitsZeroWithEveryWindowFired() throws Exception {
    Path in = work.resolve("in");
    Files.createDirectories(in);
    StringBuilder csv = new StringBuilder("user,ts,amount\n");
    // 3 users x 50 events, one every 100 ms: ts 0..4900, so 5 windows of 1 s per user
    for (int i = 0; i < 50; i++) {
      for (String user : List.of("u1", "u2", "u3")) {
        csv.append(user).append(',').append(i * 100).append(",1\n");
      }
    }
    Files.writeString(in.resolve("orders.csv"), csv.toString());
    Path config =
        writeConfig(
            String.join(
                "\n",
                "api: { port: 0 }",
                "metrics: { enabled: false }",
                "sources:",
                "  - { id: orders, type: file, path: in/orders.csv, format: csv, key_field: user, timestamp_field: ts, value_field: amount }",
                "pipelines:",
                "  - { id: per-user, source: orders, window: { type: tumbling, size_ms: 1000 }, aggregations: [count, sum], sinks: [results] }",
                "sinks:",
                "  - { id: results, type: file, path: out/per-user.jsonl }",
                ""));
    try (WeirProcess weir = WeirProcess.start(work, "--config", config.toString())) {
      assertThat(weir.waitFor(60)).as(weir.log()).isZero();
    }
    List<String> lines = Files.readAllLines(work.resolve("out/per-user.jsonl"));
    assertThat(lines).hasSize(5 * 3);
    // each window: 10 events of amount 1
    assertThat(lines).allMatch(l -> l.contains("\"count\":10,\"sum\":10.0"));
  }

  @Test
  void theContainerEnvironmentNeedsATokenAndValidatesWithOne() throws Exception {
    // docker/Dockerfile sets WEIR_API_HOST=0.0.0.0 and runs --config conf/stream.yaml.
    Path config = Path.of("").toAbsolutePath().resolve("conf/stream.yaml");
    try (WeirProcess weir =
        WeirProcess.start(work, java.util.Map.of("WEIR_API_HOST", "0.0.0.0"), "validate", "--config", config.toString())) {
      assertThat(weir.waitFor(30)).isEqualTo(1);
      assertThat(weir.stdout).anyMatch(l -> l.startsWith("config error: api.token"));
    }
    try (WeirProcess weir =
        WeirProcess.start(
            work, java.util.Map.of("WEIR_API_HOST", "0.0.0.0", "WEIR_API_TOKEN", "s3cret"), "validate", "--config", config.toString())) {
      assertThat(weir.waitFor(30)).as(String.join("\n", weir.stdout)).isZero();
    }
  }
}
