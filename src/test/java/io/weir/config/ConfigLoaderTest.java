package io.weir.config;

import static java.util.concurrent.TimeUnit.SECONDS;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.VertxExtension;
import io.weir.config.StateConfig.StateBackend;
import io.weir.config.WindowConfig.WindowType;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

@ExtendWith(VertxExtension.class)
class ConfigLoaderTest {
  private static final List<AggregationKind> ALL_FIVE =
      List.of(
          AggregationKind.COUNT,
          AggregationKind.SUM,
          AggregationKind.MIN,
          AggregationKind.MAX,
          AggregationKind.AVG);

  @TempDir Path dir;

  // ---------------------------------------------------------------- defaults and file

  @Test
  void withoutFileEnvironmentOrSetsTheBuiltInDefaultsApply(Vertx vertx) throws Exception {
    WeirConfig config = await(ConfigLoader.load(vertx, sources(null, false, Map.of())));

    assertThat(config.processing()).isEqualTo(new ProcessingConfig(2, 10_000, 1000, 30.0, 10_000));
    assertThat(config.sources()).extracting(SourceConfig::id).containsExactly("clicks");
    assertThat(config.pipelines())
        .extracting(PipelineConfig::id)
        .containsExactly("clicks-per-minute");
    assertThat(config.sinks())
        .extracting(SinkConfig::id)
        .containsExactly("console", "results", "late");
  }

  @Test
  void fileMergesMappingsDeeplyAndReplacesLists(Vertx vertx) throws Exception {
    Path file =
        write(
            "stream.yaml",
            """
            processing: { parallelism: 4 }
            watermarks: { idle_timeout_ms: null }
            sources:
              - { id: history, type: mock, rate_per_sec: 5, start_time: 2024-01-01T00:00:00Z }
            pipelines:
              - id: history-per-minute
                source: history
                window: { type: tumbling, size_ms: 60000 }
                sinks: [results]
            """);

    WeirConfig config = await(ConfigLoader.load(vertx, sources(file, true, Map.of())));

    // parallelism from the file, the rest of processing from the defaults
    assertThat(config.processing()).isEqualTo(new ProcessingConfig(4, 10_000, 1000, 30.0, 10_000));
    // explicit null replaces the default 30000
    assertThat(config.watermarks()).isEqualTo(new WatermarkConfig(2000, null));
    // the default clicks source (partitions 2) is gone; history takes partitions' own default 1;
    // 2024-01-01T00:00:00Z is 19723 days * 86_400_000 ms after the epoch
    assertThat(config.sources())
        .containsExactly(
            new MockSourceConfig(
                "history", 5, 100, 1, null, 0, 1_704_067_200_000L, null, 0, 100, null));
    assertThat(config.pipelines())
        .containsExactly(
            new PipelineConfig(
                "history-per-minute",
                "history",
                new WindowConfig(WindowType.TUMBLING, 60_000, 60_000, 0, 0),
                ALL_FIVE,
                List.of("results"),
                null,
                4));
    assertThat(config.sinks())
        .extracting(SinkConfig::id)
        .containsExactly("console", "results", "late");
  }

  @Test
  void secondsSpellingInTheFileReplacesTheDefaultMilliseconds(Vertx vertx) throws Exception {
    Path file =
        write("stream.yaml", "watermarks: { delay_seconds: 5 }\nprocessing: { buffer_size: 64 }\n");

    WeirConfig config = await(ConfigLoader.load(vertx, sources(file, true, Map.of())));

    assertThat(config.watermarks().delayMs()).isEqualTo(5000);
    assertThat(config.processing().queueSize()).isEqualTo(64);
  }

  @Test
  void explicitConfigFileThatDoesNotExistFails(Vertx vertx) {
    Path missing = dir.resolve("missing.yaml");

    assertThat(problems(ConfigLoader.load(vertx, sources(missing, true, Map.of()))))
        .containsExactly("config file not found: " + missing);
  }

  @Test
  void defaultConfigFileThatDoesNotExistIsSkipped(Vertx vertx) throws Exception {
    Path missing = dir.resolve("missing.yaml");

    WeirConfig config = await(ConfigLoader.load(vertx, sources(missing, false, Map.of())));

    assertThat(config.appName()).isEqualTo("Weir");
  }

  @Test
  void yamlSyntaxErrorNamesTheFileLineAndColumn(Vertx vertx) throws Exception {
    // the second ':' on line 2 is its 10th character
    Path file = write("broken.yaml", "app_name: Weir\napi: port: 8080\n");

    assertThat(problems(ConfigLoader.load(vertx, sources(file, true, Map.of()))))
        .containsExactly(
            "config file "
                + file
                + ": invalid YAML at line 2, column 10: mapping values are not allowed here");
  }

  @Test
  void fileWhoseTopLevelIsAListFails(Vertx vertx) throws Exception {
    Path file = write("list.yaml", "- a\n- b\n");

    assertThat(problems(ConfigLoader.load(vertx, sources(file, true, Map.of()))))
        .containsExactly(
            "config file "
                + file
                + ": the top level must be a mapping of keys (such as app_name: Weir), not a list"
                + " or a single value");
  }

  @Test
  void fileWithOnlyCommentsChangesNothing(Vertx vertx) throws Exception {
    Path file = write("comments.yaml", "# nothing configured yet\n");

    WeirConfig config = await(ConfigLoader.load(vertx, sources(file, true, Map.of())));

    assertThat(config.pipelines())
        .extracting(PipelineConfig::id)
        .containsExactly("clicks-per-minute");
  }

  // ---------------------------------------------------------------- environment

  @Test
  void environmentVariablesSetScalarKeysWhoseNamesContainUnderscores(Vertx vertx) throws Exception {
    Map<String, String> env =
        Map.of(
            "WEIR_API_PORT", "9000",
            "WEIR_PROCESSING_QUEUE_SIZE", "500",
            "WEIR_PROCESSING_CHECKPOINT_INTERVAL", "2.5",
            "WEIR_APP_NAME", "Edge",
            "WEIR_WATERMARKS_DELAY_MS", "100",
            "WEIR_WATERMARKS_IDLE_TIMEOUT_MS", "null",
            "WEIR_STATE_BACKEND", "memory",
            "WEIR_METRICS_ENABLED", "false",
            "PATH", "/usr/bin");

    WeirConfig config = await(ConfigLoader.load(vertx, sources(null, false, env)));

    assertThat(config.appName()).isEqualTo("Edge");
    assertThat(config.api()).isEqualTo(new ApiConfig("127.0.0.1", 9000, null));
    assertThat(config.metrics()).isEqualTo(new MetricsConfig(false, "0.0.0.0", 9090));
    assertThat(config.processing()).isEqualTo(new ProcessingConfig(2, 500, 1000, 2.5, 10_000));
    assertThat(config.state().backend()).isEqualTo(StateBackend.MEMORY);
    assertThat(config.watermarks()).isEqualTo(new WatermarkConfig(100, null));
  }

  @Test
  void environmentOverridesTheConfigFile(Vertx vertx) throws Exception {
    Path file = write("stream.yaml", "api: { port: 7000 }\n");

    WeirConfig config =
        await(ConfigLoader.load(vertx, sources(file, true, Map.of("WEIR_API_PORT", "7001"))));

    assertThat(config.api().port()).isEqualTo(7001);
  }

  @Test
  void weirVariableNamingNoKeyAndBadValuesFail(Vertx vertx) {
    Map<String, String> env = Map.of("WEIR_FOO", "1", "WEIR_API_PORT", "eighty");

    assertThat(problems(ConfigLoader.load(vertx, sources(null, false, env))))
        .containsExactly(
            "environment variable WEIR_API_PORT: expected an integer, got \"eighty\"",
            "environment variable WEIR_FOO: does not name a config key (e.g. WEIR_API_PORT for"
                + " api.port)");
  }

  // ---------------------------------------------------------------- --set

  @Test
  void setOverridesIndexIntoListsAndReadYamlValues(Vertx vertx) throws Exception {
    List<String> sets =
        List.of(
            "sources.0.rate_per_sec=5",
            "sources[0].keys=7",
            "pipelines[0].aggregations=[count, sum]",
            "pipelines[0].late_sink=null",
            "metrics.enabled=false",
            "app_name=Test",
            "watermarks.delay_seconds=1.5",
            "api.port=9100");
    ConfigSources sources = new ConfigSources(null, false, Map.of("WEIR_API_PORT", "9000"), sets);

    WeirConfig config = await(ConfigLoader.load(vertx, sources));

    MockSourceConfig clicks = (MockSourceConfig) config.sources().get(0);
    assertThat(clicks.ratePerSec()).isEqualTo(5.0);
    assertThat(clicks.keys()).isEqualTo(7);
    assertThat(clicks.partitions()).isEqualTo(2);
    assertThat(config.pipelines().get(0).aggregations())
        .containsExactly(AggregationKind.COUNT, AggregationKind.SUM);
    assertThat(config.pipelines().get(0).lateSink()).isNull();
    assertThat(config.metrics().enabled()).isFalse();
    assertThat(config.appName()).isEqualTo("Test");
    // 1.5 s replaces the default delay_ms instead of conflicting with it
    assertThat(config.watermarks().delayMs()).isEqualTo(1500);
    // --set comes after the environment
    assertThat(config.api().port()).isEqualTo(9100);
  }

  @Test
  void malformedSetsAndMissingListElementsFailTogetherWithValidation(Vertx vertx) {
    List<String> sets =
        List.of(
            "foo",
            "sources.3.rate_per_sec=5",
            "app_name.x=1",
            "api.port=[8080",
            "processing.parallelism=two");
    ConfigSources sources = new ConfigSources(null, false, Map.of(), sets);

    assertThat(problems(ConfigLoader.load(vertx, sources)))
        .containsExactly(
            "--set foo: expected key.path=value",
            "--set sources.3.rate_per_sec=5: sources has no element [3] (it has 1 element)",
            "--set app_name.x=1: app_name is \"Weir\", not a mapping or a list, so it has no x",
            // "[8080" ends at its 6th column where ',' or ']' was due
            "--set api.port=[8080: value is not valid YAML at column 6: expected ',' or ']', but"
                + " got <stream end>",
            "processing.parallelism: expected an integer, got \"two\"");
  }

  // ---------------------------------------------------------------- windowing shorthand

  @Test
  void windowingShorthandReplacesThePipelines(Vertx vertx) throws Exception {
    Path file =
        write(
            "seed.yaml",
            """
            windowing:
              windows:
                - { type: tumbling, size_seconds: 60 }
                - { type: sliding, size_seconds: 300, slide_seconds: 60, id: five-min }
                - { type: tumbling, size_ms: 60000, aggregations: [count] }
            """);

    WeirConfig config = await(ConfigLoader.load(vertx, sources(file, true, Map.of())));

    // on the first mock source, with the sinks of the default pipeline; 60 s = 60_000 ms,
    // 300 s = 300_000 ms; the second tumbling-60s gets a suffix
    List<String> sinks = List.of("console", "results");
    assertThat(config.pipelines())
        .containsExactly(
            new PipelineConfig(
                "tumbling-60s",
                "clicks",
                new WindowConfig(WindowType.TUMBLING, 60_000, 60_000, 0, 0),
                ALL_FIVE,
                sinks,
                null,
                2),
            new PipelineConfig(
                "five-min",
                "clicks",
                new WindowConfig(WindowType.SLIDING, 300_000, 60_000, 0, 0),
                ALL_FIVE,
                sinks,
                null,
                2),
            new PipelineConfig(
                "tumbling-60s-2",
                "clicks",
                new WindowConfig(WindowType.TUMBLING, 60_000, 60_000, 0, 0),
                List.of(AggregationKind.COUNT),
                sinks,
                null,
                2));
  }

  @Test
  void windowingShorthandWithoutPipelinesUsesTheConsoleAndResultsSinks(Vertx vertx)
      throws Exception {
    Path file =
        write(
            "seed.yaml",
            """
            pipelines: []
            windowing: { windows: [ { type: sliding, size_seconds: 300, slide_seconds: 60 } ] }
            """);

    WeirConfig config = await(ConfigLoader.load(vertx, sources(file, true, Map.of())));

    assertThat(config.pipelines())
        .extracting(PipelineConfig::id)
        .containsExactly("sliding-300s-60s");
    assertThat(config.pipelines().get(0).sinks()).containsExactly("console", "results");
  }

  @Test
  void windowingShorthandProblemsNameTheWindow(Vertx vertx) throws Exception {
    Path file =
        write(
            "seed.yaml",
            """
            windowing:
              windows:
                - { type: tumbling, size_seconds: 60 }
                - { type: tumbling, size_seconds: 60, foo: 1 }
                - { type: session, size_seconds: 60 }
                - { type: sliding, size_seconds: 60, slide_seconds: 90 }
            """);

    assertThat(problems(ConfigLoader.load(vertx, sources(file, true, Map.of()))))
        .containsExactly(
            "windowing.windows[1].foo: unknown key for a tumbling window (known: id, name,"
                + " aggregations, type, time, emit, size_ms, size_seconds, offset_ms, allowed_lateness_ms,"
                + " allowed_lateness_seconds)",
            "windowing.windows[2].size_seconds: unknown key for a session window (known: id, name,"
                + " aggregations, type, gap_ms, gap_seconds, allowed_lateness_ms,"
                + " allowed_lateness_seconds, emit)",
            "windowing.windows[2].gap_ms: required (or gap_seconds)",
            "windowing.windows[3].slide_seconds (90) must not exceed size_seconds (60)");
  }

  @Test
  void windowingShorthandWithoutAMockSourceFails(Vertx vertx) throws Exception {
    Path file =
        write(
            "seed.yaml",
            "sources: []\nwindowing: { windows: [ { type: tumbling, size_seconds: 60 } ] }\n");

    assertThat(problems(ConfigLoader.load(vertx, sources(file, true, Map.of()))))
        .containsExactly(
            "windowing.windows[0]: no mock source to attach to (define a source with type: mock)");
  }

  // ---------------------------------------------------------------- overrides tree

  @Test
  void overridesTreeIsMergedOverTheDefaults(Vertx vertx) throws Exception {
    JsonObject overrides =
        new JsonObject().put("processing", new JsonObject().put("parallelism", 8));

    WeirConfig config = await(ConfigLoader.load(vertx, overrides));

    assertThat(config.processing()).isEqualTo(new ProcessingConfig(8, 10_000, 1000, 30.0, 10_000));
    assertThat(config.pipelines().get(0).parallelism()).isEqualTo(8);
  }

  @Test
  void invalidOverridesTreeFailsWithTheProblem(Vertx vertx) {
    JsonObject overrides = new JsonObject().put("api", new JsonObject().put("port", 70_000));

    assertThat(problems(ConfigLoader.load(vertx, overrides)))
        .containsExactly("api.port: must be between 0 and 65535, got 70000");
  }

  // ---------------------------------------------------------------- helpers

  private static ConfigSources sources(Path file, boolean explicit, Map<String, String> env) {
    return new ConfigSources(file, explicit, env, List.of());
  }

  private Path write(String name, String yaml) throws IOException {
    return Files.writeString(dir.resolve(name), yaml);
  }

  private static WeirConfig await(Future<WeirConfig> future) throws Exception {
    return future.toCompletionStage().toCompletableFuture().get(10, SECONDS);
  }

  private static List<String> problems(Future<WeirConfig> future) {
    Throwable thrown = catchThrowable(() -> await(future));
    assertThat(thrown).isInstanceOf(ExecutionException.class);
    assertThat(thrown.getCause()).isInstanceOf(ConfigException.class);
    return ((ConfigException) thrown.getCause()).problems();
  }
}
