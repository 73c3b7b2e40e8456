package io.weir.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowable;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.weir.config.StateConfig.StateBackend;
import io.weir.config.WindowConfig.WindowType;
import java.io.IOException;
import java.io.InputStream;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.constructor.SafeConstructor;

class ConfigParserTest {
  private static final List<AggregationKind> ALL_FIVE =
      List.of(
          AggregationKind.COUNT,
          AggregationKind.SUM,
          AggregationKind.MIN,
          AggregationKind.MAX,
          AggregationKind.AVG);

  // ---------------------------------------------------------------- valid input

  @Test
  void defaultsResourceParsesIntoTheDocumentedRecords() throws IOException {
    WeirConfig config = ConfigParser.parse(defaultsResource());

    assertThat(config.appName()).isEqualTo("Weir");
    assertThat(config.api()).isEqualTo(new ApiConfig("127.0.0.1", 8080, null));
    assertThat(config.metrics()).isEqualTo(new MetricsConfig(true, "0.0.0.0", 9090));
    assertThat(config.processing()).isEqualTo(new ProcessingConfig(2, 10_000, 1000, 30.0, 10_000));
    assertThat(config.state())
        .isEqualTo(new StateConfig(StateBackend.ROCKSDB, "data/state", "data/checkpoints", 3));
    assertThat(config.watermarks()).isEqualTo(new WatermarkConfig(2000, 30_000L));
    assertThat(config.sources())
        .containsExactly(
            new MockSourceConfig("clicks", 1000, 100, 2, null, 1000, null, null, 0, 100, null));
    // tumbling: slide equals size
    assertThat(config.pipelines())
        .containsExactly(
            new PipelineConfig(
                "clicks-per-minute",
                "clicks",
                new WindowConfig(WindowType.TUMBLING, 60_000, 60_000, 0, 0),
                ALL_FIVE,
                List.of("console", "results"),
                "late",
                2));
    assertThat(config.sinks())
        .containsExactly(
            new ConsoleSinkConfig("console"),
            new FileSinkConfig("results", "data/out/results.jsonl"),
            new FileSinkConfig("late", "data/out/late.jsonl"));
  }

  @Test
  void absentScalarKeysTakeTheSameDefaultsAsTheResource() {
    WeirConfig config = ConfigParser.parse(new JsonObject());

    assertThat(config.appName()).isEqualTo("Weir");
    assertThat(config.api()).isEqualTo(new ApiConfig("127.0.0.1", 8080, null));
    assertThat(config.metrics()).isEqualTo(new MetricsConfig(true, "0.0.0.0", 9090));
    assertThat(config.processing()).isEqualTo(new ProcessingConfig(2, 10_000, 1000, 30.0, 10_000));
    assertThat(config.state())
        .isEqualTo(new StateConfig(StateBackend.ROCKSDB, "data/state", "data/checkpoints", 3));
    assertThat(config.watermarks()).isEqualTo(new WatermarkConfig(2000, 30_000L));
    assertThat(config.sources()).isEmpty();
    assertThat(config.pipelines()).isEmpty();
    assertThat(config.sinks()).isEmpty();
  }

  @Test
  void mockSourceReadsEveryOptionalField() {
    JsonObject tree = valid();
    source0(tree)
        .put("rate_per_sec", 2.5)
        .put("keys", 7)
        .put("partitions", 3)
        .put("seed", 42)
        .put("max_out_of_order_ms", 250)
        .put("start_time", "2024-01-01T00:00:00Z")
        .put("max_events", 5000)
        .put("value_min", -10)
        .put("value_max", 10.5)
        .put("dead_letter", "late");

    MockSourceConfig source = (MockSourceConfig) ConfigParser.parse(tree).sources().get(0);

    // 2024-01-01 is 19723 days after 1970-01-01: 19723 * 86_400_000 ms
    assertThat(source)
        .isEqualTo(
            new MockSourceConfig(
                "clicks", 2.5, 7, 3, 42L, 250, 1_704_067_200_000L, 5000L, -10, 10.5, "late"));
  }

  @Test
  void startTimeAcceptsEpochMillisAndOffsets() {
    JsonObject tree = valid();
    tree.getJsonArray("sources")
        .add(new JsonObject().put("id", "b").put("type", "mock").put("start_time", 1000))
        .add(
            new JsonObject()
                .put("id", "c")
                .put("type", "mock")
                .put("start_time", "1970-01-01T01:00:00+01:00"));

    List<SourceConfig> sources = ConfigParser.parse(tree).sources();

    assertThat(((MockSourceConfig) sources.get(1)).startTime()).isEqualTo(1000L);
    // 01:00 at +01:00 is midnight UTC
    assertThat(((MockSourceConfig) sources.get(2)).startTime()).isEqualTo(0L);
  }

  @Test
  void secondsSpellingsAreConvertedToMilliseconds() {
    JsonObject tree = valid();
    tree.put("watermarks", new JsonObject().put("delay_seconds", 2.5));
    tree.put("processing", new JsonObject().put("buffer_size", 500));
    pipeline0(tree)
        .put(
            "window",
            new JsonObject()
                .put("type", "sliding")
                .put("size_seconds", 300)
                .put("slide_seconds", 60)
                .put("allowed_lateness_seconds", 0.5));

    WeirConfig config = ConfigParser.parse(tree);

    assertThat(config.watermarks().delayMs()).isEqualTo(2500);
    assertThat(config.processing().queueSize()).isEqualTo(500);
    // 300 s = 300_000 ms, 60 s = 60_000 ms, 0.5 s = 500 ms
    assertThat(config.pipelines().get(0).window())
        .isEqualTo(new WindowConfig(WindowType.SLIDING, 300_000, 60_000, 0, 500));
  }

  @Test
  void pipelineParallelismOverridesProcessingParallelism() {
    JsonObject tree = valid();
    tree.put("processing", new JsonObject().put("parallelism", 4));
    tree.getJsonArray("pipelines").add(pipeline("second").put("parallelism", 8));

    List<PipelineConfig> pipelines = ConfigParser.parse(tree).pipelines();

    assertThat(pipelines.get(0).parallelism()).isEqualTo(4);
    assertThat(pipelines.get(1).parallelism()).isEqualTo(8);
  }

  @Test
  void wordsAreMatchedCaseInsensitivelyAndNullDisablesIdleness() {
    JsonObject tree = valid();
    tree.put("state", new JsonObject().put("backend", "MEMORY"));
    tree.put("watermarks", new JsonObject().put("idle_timeout_ms", null));
    window0(tree).put("type", "Tumbling");
    pipeline0(tree).put("aggregations", new JsonArray().add("Count").add("avg"));

    WeirConfig config = ConfigParser.parse(tree);

    assertThat(config.state().backend()).isEqualTo(StateBackend.MEMORY);
    assertThat(config.watermarks().idleTimeoutMs()).isNull();
    assertThat(config.pipelines().get(0).window().type()).isEqualTo(WindowType.TUMBLING);
    assertThat(config.pipelines().get(0).aggregations())
        .containsExactly(AggregationKind.COUNT, AggregationKind.AVG);
  }

  @Test
  void everyProblemIsReportedNotJustTheFirst() {
    JsonObject tree = valid();
    tree.put("processing", new JsonObject().put("parallelism", 0));
    pipeline0(tree).put("source", "nowhere");

    assertThatThrownBy(() -> ConfigParser.parse(tree))
        .isInstanceOf(ConfigException.class)
        .hasMessage(
            "processing.parallelism: must be between 1 and 128, got 0; pipelines[0].source:"
                + " undefined source 'nowhere' (defined: clicks)");
  }

  @Test
  void stateTuningKeysParseIntoTheStateConfig() {
    JsonObject tree = valid();
    tree.put(
        "state",
        new JsonObject()
            .put("ttl_ms", 3_600_000)
            .put("cache_max_bytes", 1024)
            .put("flush_interval_ms", 250)
            .put(
                "rocksdb",
                new JsonObject()
                    .put("block_cache_mb", 128)
                    .put("write_buffer_mb", 16)
                    .put("compression", "ZSTD")));

    assertThat(ConfigParser.parse(tree).state())
        .isEqualTo(
            new StateConfig(
                StateBackend.ROCKSDB,
                "data/state",
                "data/checkpoints",
                3,
                new StateConfig.RocksDbOptions(128, 16, StateConfig.Compression.ZSTD),
                3_600_000L,
                1024,
                250));
  }

  @Test
  void stateTuningDefaultsAreNoTtlAndTheDocumentedRocksDbOptions() {
    StateConfig state = ConfigParser.parse(new JsonObject()).state();

    assertThat(state.ttlMs()).isNull();
    assertThat(state.cacheMaxBytes()).isEqualTo(64L * 1024 * 1024);
    assertThat(state.flushIntervalMs()).isEqualTo(1000);
    assertThat(state.rocksdb())
        .isEqualTo(new StateConfig.RocksDbOptions(64, 32, StateConfig.Compression.LZ4));
  }

  @Test
  void badStateTuningValuesNameTheirKeyPath() {
    JsonObject tree = valid();
    tree.put(
        "state",
        new JsonObject()
            .put("ttl_ms", 0)
            .put("cache_max_bytes", -1)
            .put("flush_interval_ms", -1)
            .put(
                "rocksdb",
                new JsonObject()
                    .put("block_cache_mb", 0)
                    .put("write_buffer_mb", -5)
                    .put("compression", "gzip")
                    .put("bloom", true)));

    assertThat(problems(tree))
        .containsExactlyInAnyOrder(
            "state.ttl_ms: must be > 0, got 0",
            "state.cache_max_bytes: must be >= 0, got -1",
            "state.flush_interval_ms: must be between 0 and 86400000, got -1",
            "state.rocksdb.bloom: unknown key (known: block_cache_mb, write_buffer_mb,"
                + " compression)",
            "state.rocksdb.block_cache_mb: must be between 1 and 1048576, got 0",
            "state.rocksdb.write_buffer_mb: must be between 1 and 1048576, got -5",
            "state.rocksdb.compression: unknown compression 'gzip' (known: none, snappy, lz4,"
                + " zstd)");
  }

  @Test
  void stateRocksdbMustBeAMapping() {
    JsonObject tree = valid();
    tree.put("state", new JsonObject().put("rocksdb", "fast"));

    assertThat(problems(tree))
        .containsExactly("state.rocksdb: expected a mapping of keys, got \"fast\"");
  }

  // ---------------------------------------------------------------- unknown keys

  @Test
  void unknownTopLevelKeyIsReportedWithTheKnownKeys() {
    JsonObject tree = valid().put("foo", 1);

    assertThat(problems(tree))
        .containsExactly(
            "foo: unknown key (known: app_name, api, metrics, processing, state, watermarks,"
                + " sources, pipelines, sinks, windowing)");
  }

  @Test
  void unknownNestedKeysAreReportedWithTheirFullPath() {
    JsonObject tree = valid();
    tree.put("processing", new JsonObject().put("paralelism", 4));
    source0(tree).put("rate", 5);
    window0(tree).put("slide_ms", 30_000);

    assertThat(problems(tree))
        .containsExactly(
            "processing.paralelism: unknown key (known: parallelism, queue_size, batch_size,"
                + " checkpoint_interval, shutdown_timeout_ms, buffer_size)",
            "sources[0].rate: unknown key for a mock source (known: id, type, rate_per_sec, keys,"
                + " partitions, seed, max_out_of_order_ms, start_time, max_events, value_min,"
                + " value_max, dead_letter)",
            "pipelines[0].window.slide_ms: unknown key for a tumbling window (known: type,"
                + " time, emit, size_ms, size_seconds, offset_ms, allowed_lateness_ms,"
                + " allowed_lateness_seconds)");
  }

  @Test
  void pathOnConsoleSinkIsAnUnknownKey() {
    JsonObject tree = valid();
    tree.getJsonArray("sinks").getJsonObject(0).put("path", "out.txt");

    assertThat(problems(tree))
        .containsExactly("sinks[0].path: unknown key for a console sink (known: id, type)");
  }

  // ---------------------------------------------------------------- types and ranges

  @Test
  void wrongTypesNameWhatWasExpectedAndShowTheBadValue() {
    JsonObject tree = valid();
    tree.put("app_name", 123);
    tree.put("api", new JsonObject().put("port", (Object) null));
    tree.put("metrics", new JsonObject().put("enabled", "yes"));
    tree.put("processing", new JsonObject().put("parallelism", "two").put("batch_size", 2.5));
    source0(tree).put("rate_per_sec", "fast");
    pipeline0(tree).put("sinks", "console");

    assertThat(problems(tree))
        .containsExactly(
            "app_name: expected a string, got 123",
            "api.port: expected an integer, got null",
            "metrics.enabled: expected true or false, got \"yes\"",
            "processing.parallelism: expected an integer, got \"two\"",
            "processing.batch_size: expected an integer, got 2.5",
            "sources[0].rate_per_sec: expected a number, got \"fast\"",
            "pipelines[0].sinks: expected a list, got \"console\"");
  }

  @Test
  void outOfRangeValuesNameTheAllowedRange() {
    JsonObject tree = valid();
    tree.put("processing", new JsonObject().put("parallelism", 0).put("shutdown_timeout_ms", 50));
    tree.put("watermarks", new JsonObject().put("delay_ms", -1).put("idle_timeout_ms", 0));
    tree.getJsonArray("sources")
        .add(new JsonObject().put("id", "history").put("type", "mock").put("rate_per_sec", 0));
    window0(tree).put("size_ms", -5);

    assertThat(problems(tree))
        .containsExactly(
            "processing.parallelism: must be between 1 and 128, got 0",
            "processing.shutdown_timeout_ms: must be between 100 and 3600000, got 50",
            "watermarks.delay_ms: must be >= 0, got -1",
            "watermarks.idle_timeout_ms: must be > 0, got 0",
            "sources[1].rate_per_sec: must be > 0, got 0",
            "pipelines[0].window.size_ms: must be > 0, got -5");
  }

  @Test
  void valueMinAboveValueMaxIsReportedOnValueMin() {
    JsonObject tree = valid();
    source0(tree).put("value_min", 200).put("value_max", 100);

    assertThat(problems(tree))
        .containsExactly("sources[0].value_min (200) must not exceed value_max (100)");
  }

  @Test
  void unknownWordsListTheKnownOnes() {
    JsonObject tree = valid();
    tree.put("state", new JsonObject().put("backend", "redis"));
    source0(tree).put("type", "kafka");
    tree.getJsonArray("sinks").getJsonObject(1).put("type", "s3");
    window0(tree).put("type", "hopping");
    pipeline0(tree).put("aggregations", new JsonArray().add("count").add("median").add("count"));

    assertThat(problems(tree))
        .containsExactly(
            "state.backend: unknown state backend 'redis' (known: rocksdb, memory)",
            "sources[0].type: unknown source type 'kafka' (known: mock, file)",
            "sinks[1].type: unknown sink type 's3' (known: console, file)",
            "pipelines[0].window.type: unknown window type 'hopping' (known: tumbling, sliding,"
                + " session)",
            "pipelines[0].aggregations[1]: unknown aggregation 'median' (known: count, sum, min,"
                + " max, avg, first, last, p50, p95, p99, distinct_count)",
            "pipelines[0].aggregations[2]: duplicate aggregation 'count'");
  }

  @Test
  void sessionWindowsTakeAGapAndLateness() {
    JsonObject tree = valid();
    pipeline0(tree)
        .put("window", new JsonObject().put("type", "session").put("gap_seconds", 30).put("allowed_lateness_ms", 1_000));
    assertThat(ConfigParser.parse(tree).pipelines().get(0).window())
        .isEqualTo(WindowConfig.session(30_000, 1_000));

    pipeline0(tree).put("window", new JsonObject().put("type", "session").put("size_ms", 10));
    assertThat(problems(tree))
        .containsExactly(
            "pipelines[0].window.size_ms: unknown key for a session window (known: type, gap_ms,"
                + " gap_seconds, allowed_lateness_ms, allowed_lateness_seconds, emit)",
            "pipelines[0].window.gap_ms: required (or gap_seconds)");
  }

  @Test
  void requiredKeysMustBePresentAndNotNull() {
    JsonObject tree = valid();
    source0(tree).remove("type");
    tree.getJsonArray("sinks").getJsonObject(1).remove("path");
    JsonObject pipeline = pipeline0(tree);
    pipeline.put("id", (Object) null);
    pipeline.remove("window");

    assertThat(problems(tree))
        .containsExactly(
            "sources[0].type: required (known: mock, file)",
            "sinks[1].path: required",
            "pipelines[0].id: required",
            "pipelines[0].window: required, e.g. { type: tumbling, size_ms: 60000 }");
  }

  @Test
  void idsMustUseTheIdAlphabet() {
    JsonObject tree = valid();
    source0(tree).put("id", "my clicks");
    pipeline0(tree).put("source", "my clicks");

    assertThat(problems(tree))
        .containsExactly(
            "sources[0].id: 'my clicks' is not a valid id (use letters, digits, '_', '.' and '-')");
  }

  // ---------------------------------------------------------------- references and ids

  @Test
  void pipelineNamingAnUndefinedSourceListsTheDefinedOnes() {
    JsonObject tree = valid();
    tree.getJsonArray("sources").add(new JsonObject().put("id", "history").put("type", "mock"));
    pipeline0(tree).put("source", "foo");

    assertThat(problems(tree))
        .containsExactly("pipelines[0].source: undefined source 'foo' (defined: clicks, history)");
  }

  @Test
  void undefinedSinkInPipelineSinksIsReportedAtItsIndex() {
    JsonObject tree = valid();
    pipeline0(tree).put("sinks", new JsonArray().add("console").add("x"));

    assertThat(problems(tree))
        .containsExactly(
            "pipelines[0].sinks[1]: undefined sink 'x' (defined: console, results, late)");
  }

  @Test
  void undefinedLateSinkAndDeadLetterSinkAreReported() {
    JsonObject tree = valid();
    pipeline0(tree).put("late_sink", "nope");
    source0(tree).put("dead_letter", "dlq");

    assertThat(problems(tree))
        .containsExactly(
            "sources[0].dead_letter: undefined sink 'dlq' (defined: console, results, late)",
            "pipelines[0].late_sink: undefined sink 'nope' (defined: console, results, late)");
  }

  @Test
  void duplicateIdsNameTheFirstEntry() {
    JsonObject tree = valid();
    tree.put(
        "sinks",
        new JsonArray()
            .add(new JsonObject().put("id", "results").put("type", "file").put("path", "a.jsonl"))
            .add(new JsonObject().put("id", "results").put("type", "file").put("path", "b.jsonl"))
            .add(new JsonObject().put("id", "console").put("type", "console"))
            .add(new JsonObject().put("id", "late").put("type", "console")));
    tree.getJsonArray("sources").add(new JsonObject().put("id", "clicks").put("type", "mock"));
    tree.getJsonArray("pipelines").add(pipeline("p"));

    assertThat(problems(tree))
        .containsExactly(
            "sources[1].id: duplicate id 'clicks' (also sources[0])",
            "sinks[1].id: duplicate id 'results' (also sinks[0])",
            "pipelines[1].id: duplicate id 'p' (also pipelines[0])");
  }

  // ---------------------------------------------------------------- windows

  @Test
  void slideLargerThanSizeIsRejectedWithBothValues() {
    JsonObject tree = valid();
    pipeline0(tree)
        .put(
            "window",
            new JsonObject().put("type", "sliding").put("size_ms", 60_000).put("slide_ms", 90_000));

    assertThat(problems(tree))
        .containsExactly(
            "pipelines[0].window.slide_ms (90000) must not exceed window.size_ms (60000)");
  }

  @Test
  void slidingWindowRequiresASlide() {
    JsonObject tree = valid();
    window0(tree).put("type", "sliding");

    assertThat(problems(tree))
        .containsExactly("pipelines[0].window.slide_ms: required (or slide_seconds)");
  }

  @Test
  void offsetMustBeSmallerThanThePeriod() {
    JsonObject tree = valid();
    window0(tree).put("offset_ms", -60_000);

    assertThat(problems(tree))
        .containsExactly(
            "pipelines[0].window.offset_ms: must be less than window.size_ms (60000) in absolute"
                + " value, got -60000");
  }

  @Test
  void secondsMustConvertToWholeMilliseconds() {
    JsonObject tree = valid();
    window0(tree).remove("size_ms");
    window0(tree).put("size_seconds", 0.0005);

    assertThat(problems(tree))
        .containsExactly(
            "pipelines[0].window.size_seconds: must be a whole number of milliseconds, got 0.0005"
                + " s");
  }

  @Test
  void secondsAndMillisecondsForTheSameSettingAreRejected() {
    JsonObject tree = valid();
    tree.put("watermarks", new JsonObject().put("delay_ms", 2000).put("delay_seconds", 2));
    window0(tree).put("size_seconds", 60);

    assertThat(problems(tree))
        .containsExactly(
            "watermarks.delay_seconds: both delay_seconds and delay_ms are set; set only one of"
                + " them",
            "pipelines[0].window.size_seconds: both size_seconds and size_ms are set; set only one"
                + " of them");
  }

  // ---------------------------------------------------------------- api

  @Test
  void nonLoopbackApiHostRequiresAToken() {
    JsonObject open = valid().put("api", new JsonObject().put("host", "0.0.0.0"));
    JsonObject guarded =
        valid().put("api", new JsonObject().put("host", "0.0.0.0").put("token", "s3cret"));
    JsonObject local = valid().put("api", new JsonObject().put("host", "localhost"));

    assertThat(problems(open))
        .containsExactly("api.token: required when api.host (0.0.0.0) is not a loopback address");
    assertThat(ConfigParser.parse(guarded).api())
        .isEqualTo(new ApiConfig("0.0.0.0", 8080, "s3cret"));
    assertThat(ConfigParser.parse(local).api()).isEqualTo(new ApiConfig("localhost", 8080, null));
  }

  @Test
  void loopbackHostsAreRecognisedWithoutNameResolution() {
    assertThat(ConfigParser.isLoopback("127.0.0.1")).isTrue();
    assertThat(ConfigParser.isLoopback("127.1.2.3")).isTrue();
    assertThat(ConfigParser.isLoopback("::1")).isTrue();
    assertThat(ConfigParser.isLoopback("[::1]")).isTrue();
    assertThat(ConfigParser.isLoopback("LOCALHOST")).isTrue();
    assertThat(ConfigParser.isLoopback("0.0.0.0")).isFalse();
    assertThat(ConfigParser.isLoopback("10.0.0.5")).isFalse();
    assertThat(ConfigParser.isLoopback("127.example.com")).isFalse();
  }

  // ---------------------------------------------------------------- helpers

  /** A small valid tree: one mock source, one tumbling pipeline, three sinks. */
  @Test
  void boundsThatProtectTheRuntimeAreEnforcedWithTheKey() {
    JsonObject tree = valid();
    source0(tree).put("keys", 1).put("partitions", 2).put("max_out_of_order_ms", Long.MAX_VALUE).put("start_time", Long.MAX_VALUE);
    window0(tree).put("type", "sliding").put("size_ms", 86_400_000).put("slide_ms", 1);
    tree.getJsonArray("sinks").getJsonObject(2).put("path", "out/./results.jsonl");

    assertThat(problems(tree))
        .containsExactlyInAnyOrder(
            "sources[0].keys (1) must be at least partitions (2)",
            // 365 days; 100,000 years of milliseconds
            "sources[0].max_out_of_order_ms: must be at most 31536000000, got 9223372036854775807",
            "sources[0].start_time: must be at most 3153600000000000, got 9223372036854775807",
            "pipelines[0].window.slide_ms (1) is too small for window.size_ms (86400000): every event"
                + " would be in more than 10000 windows",
            "sinks[2].path: the same file as sinks[1].path ('out/./results.jsonl'); each file sink"
                + " needs its own file");
  }

  @Test
  void fileSourcesTakeAPathFormatAndFieldNames() {
    JsonObject tree = valid();
    tree.getJsonArray("sources")
        .add(
            new JsonObject()
                .put("id", "history")
                .put("type", "file")
                .put("path", "data/in/*.csv")
                .put("format", "csv")
                .put("bounded", false)
                .put("key_field", "/user/id")
                .put("dead_letter", "late"));
    FileSourceConfig file = (FileSourceConfig) ConfigParser.parse(tree).sources().get(1);
    assertThat(file)
        .isEqualTo(
            new FileSourceConfig(
                "history", "data/in/*.csv", FileSourceConfig.FileFormat.CSV, false, "/user/id",
                "timestamp", "value", "id", 200, "late", List.of()));

    tree.getJsonArray("sources").getJsonObject(1).put("format", "xml").put("key_field", "/").remove("path");
    assertThat(problems(tree))
        .containsExactly(
            "sources[1].path: required",
            "sources[1].format: unknown file format 'xml' (known: jsonl, csv)",
            "sources[1].key_field: must name a field, e.g. \"key\" or \"/payload/key\"");
  }

  @Test
  void watermarkGuardsHaveDefaultsAndIdleAdvanceNeedsIdleness() {
    JsonObject tree = valid();
    assertThat(ConfigParser.parse(tree).watermarks()).isEqualTo(new WatermarkConfig(2000, 30_000L, null, 86_400_000L));
    tree.put("watermarks", new JsonObject().putNull("idle_timeout_ms").put("idle_advance_ms", 5000).putNull("max_future_ms"));
    assertThat(problems(tree))
        .containsExactly(
            "watermarks.idle_advance_ms: needs watermarks.idle_timeout_ms: only idle partitions follow the wall clock");
  }

  @Test
  void processingTimeIsAWindowOptionWithoutLateness() {
    JsonObject tree = valid();
    window0(tree).put("time", "processing");
    assertThat(ConfigParser.parse(tree).pipelines().get(0).window().time())
        .isEqualTo(WindowConfig.TimeDomain.PROCESSING);
    window0(tree).put("allowed_lateness_ms", 5);
    assertThat(problems(tree))
        .containsExactly(
            "pipelines[0].window.allowed_lateness_ms: has no meaning for a processing-time window"
                + " (nothing is late by the wall clock)");
    window0(tree).put("allowed_lateness_ms", 0).put("time", "ingestion");
    assertThat(problems(tree))
        .containsExactly("pipelines[0].window.time: unknown time domain 'ingestion' (known: event, processing)");
  }

  @Test
  void emitPoliciesAreAWordOrAnEarlyInterval() {
    JsonObject tree = valid();
    window0(tree).put("emit", "final_only");
    assertThat(ConfigParser.parse(tree).pipelines().get(0).window().emit())
        .isEqualTo(new WindowConfig.Emit(WindowConfig.Emit.Mode.FINAL_ONLY, 0));
    window0(tree).put("emit", new JsonObject().put("early_every_ms", 5000));
    assertThat(ConfigParser.parse(tree).pipelines().get(0).window().emit())
        .isEqualTo(new WindowConfig.Emit(WindowConfig.Emit.Mode.EARLY, 5000));
    window0(tree).put("emit", "sometimes");
    assertThat(problems(tree))
        .containsExactly(
            "pipelines[0].window.emit: unknown emit policy 'sometimes' (known: on_time_and_late, final_only)");
    window0(tree).put("emit", new JsonObject().put("early_every", 5));
    assertThat(problems(tree))
        .containsExactly(
            "pipelines[0].window.emit.early_every: unknown key (known: early_every_ms)",
            "pipelines[0].window.emit.early_every_ms: required, e.g. emit: { early_every_ms: 5000 }");
  }

  @Test
  void distinctCountNeedsADistinctFieldAndOnlyThen() {
    JsonObject tree = valid();
    pipeline0(tree).put("aggregations", new JsonArray().add("count").add("distinct_count")).put("distinct_field", "/user");
    assertThat(ConfigParser.parse(tree).pipelines().get(0).distinctField()).isEqualTo("/user");
    pipeline0(tree).remove("distinct_field");
    assertThat(problems(tree))
        .containsExactly(
            "pipelines[0].distinct_field: required by the distinct_count aggregation, e.g. \"/user\" or \"id\"");
    pipeline0(tree).put("aggregations", new JsonArray().add("count")).put("distinct_field", "/user");
    assertThat(problems(tree))
        .containsExactly(
            "pipelines[0].distinct_field: is only used by the distinct_count aggregation, which the pipeline does not list");
  }

  private static JsonObject valid() {
    return new JsonObject(
        """
        {
          "sources": [ { "id": "clicks", "type": "mock" } ],
          "pipelines": [ {
            "id": "p", "source": "clicks",
            "window": { "type": "tumbling", "size_ms": 60000 },
            "sinks": [ "console", "results" ], "late_sink": "late"
          } ],
          "sinks": [
            { "id": "console", "type": "console" },
            { "id": "results", "type": "file", "path": "out/results.jsonl" },
            { "id": "late", "type": "file", "path": "out/late.jsonl" }
          ]
        }
        """);
  }

  private static JsonObject pipeline(String id) {
    return new JsonObject()
        .put("id", id)
        .put("source", "clicks")
        .put("window", new JsonObject().put("type", "tumbling").put("size_ms", 1000))
        .put("sinks", new JsonArray().add("console"));
  }

  private static JsonObject source0(JsonObject tree) {
    return tree.getJsonArray("sources").getJsonObject(0);
  }

  private static JsonObject pipeline0(JsonObject tree) {
    return tree.getJsonArray("pipelines").getJsonObject(0);
  }

  private static JsonObject window0(JsonObject tree) {
    return pipeline0(tree).getJsonObject("window");
  }

  private static List<String> problems(JsonObject tree) {
    Throwable thrown = catchThrowable(() -> ConfigParser.parse(tree));
    assertThat(thrown).isInstanceOf(ConfigException.class);
    return ((ConfigException) thrown).problems();
  }

  @SuppressWarnings("unchecked")
  private static JsonObject defaultsResource() throws IOException {
    try (InputStream in = ConfigParserTest.class.getResourceAsStream("/weir-defaults.yaml")) {
      assertThat(in).as("weir-defaults.yaml on the classpath").isNotNull();
      Map<String, Object> yaml = new Yaml(new SafeConstructor(new LoaderOptions())).load(in);
      return ConfigLayers.normalizeObject(new JsonObject(yaml));
    }
  }
}
