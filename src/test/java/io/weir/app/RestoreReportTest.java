package io.weir.app;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.weir.checkpoint.ChannelState;
import io.weir.checkpoint.CheckpointMetadata;
import io.weir.checkpoint.KeyGroups;
import io.weir.checkpoint.PipelineCheckpoint;
import io.weir.config.ConfigParser;
import io.weir.config.WeirConfig;
import io.weir.config.WindowConfig;
import io.weir.config.WindowConfig.WindowType;
import io.weir.sink.SinkCommit;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class RestoreReportTest {
  private static final Path WORK = Path.of("/srv/weir");
  private static final Path CHK_12 = WORK.resolve("data/checkpoints/chk-12");
  // 2026-11-28T17:18:16Z
  private static final long CREATED = 1_795_886_296_000L;
  private static final String MINUTE = new WindowConfig(WindowType.TUMBLING, 60_000, 60_000, 0, 0).toString();

  private static JsonObject pipeline(String id, long sizeMs, int parallelism) {
    return new JsonObject()
        .put("id", id)
        .put("source", "clicks")
        .put("window", new JsonObject().put("type", "tumbling").put("size_ms", sizeMs))
        .put("aggregations", new JsonArray().add("count").add("sum"))
        .put("parallelism", parallelism)
        .put("sinks", new JsonArray().add("results"));
  }

  private static JsonObject config(JsonArray pipelines, String resultsPath) {
    return new JsonObject()
        .put("state", new JsonObject().put("checkpoint_dir", "data/checkpoints"))
        .put(
            "sources",
            new JsonArray()
                .add(new JsonObject().put("id", "clicks").put("type", "mock").put("partitions", 2).put("keys", 10)))
        .put("pipelines", pipelines)
        .put(
            "sinks",
            new JsonArray().add(new JsonObject().put("id", "results").put("type", "file").put("path", resultsPath)));
  }

  private static WeirConfig oneMinutePipeline(int parallelism) {
    return ConfigParser.parse(config(new JsonArray().add(pipeline("clicks-per-minute", 60_000, parallelism)), "out/results.jsonl"));
  }

  private static PipelineCheckpoint checkpointOf(String window, int parallelism) {
    return new PipelineCheckpoint(
        "clicks",
        List.of(
            new ChannelState(0, 51_234, -1, -1, 1_000, 900, false, false),
            new ChannelState(1, 51_200, -1, -1, 1_100, 950, false, false)),
        parallelism,
        KeyGroups.COUNT,
        window,
        List.of("count", "sum"),
        "clicks-per-minute",
        // 1970-01-01T00:00:00.900Z
        900,
        10,
        4_096);
  }

  private static CheckpointMetadata metadata(Map<String, PipelineCheckpoint> pipelines, Map<String, SinkCommit> sinks) {
    return new CheckpointMetadata(
        CheckpointMetadata.VERSION, 12, CREATED, pipelines, sinks, Map.of(),
        Map.of("clicks", Map.of("seed", 42L, "start_time", 0L)));
  }

  private static SinkCommit results(String target) {
    return new SinkCommit("results", 12, target, null, 100, 300, 2);
  }

  private static RestoreReport report(WeirConfig config, CheckpointMetadata metadata) {
    return RestoreReport.of(config, metadata, CHK_12, 12, WORK);
  }

  @Test
  void anUnchangedConfigRestoresWithOffsetsWatermarkAndReusedMockSettings() {
    RestoreReport report =
        report(
            oneMinutePipeline(2),
            metadata(Map.of("clicks-per-minute", checkpointOf(MINUTE, 2)), Map.of("results", results("/srv/weir/out/results.jsonl"))));

    assertThat(report.restorable()).isTrue();
    assertThat(report.lines())
        .containsExactly(
            "checkpoint: chk-12 (2026-11-28T17:18:16Z) in /srv/weir/data/checkpoints",
            "pipeline clicks-per-minute: restores (state ~10 keys, 4096 bytes; resumes source clicks at"
                + " partition 0 offset 51234, partition 1 offset 51200; watermark 1970-01-01T00:00:00.900Z)",
            "sink results: continues /srv/weir/out/results.jsonl at 300 committed bytes",
            "source clicks: mock, reuses seed 42 from the checkpoint",
            "source clicks: mock, reuses start_time 1970-01-01T00:00:00Z from the checkpoint",
            "result: OK, restores chk-12 (0 warnings)");
  }

  @Test
  void aFinishedReplayRestoresToNothingMore() {
    PipelineCheckpoint ended =
        new PipelineCheckpoint(
            "clicks",
            List.of(new ChannelState(0, 3, -1, -1, 20, Long.MAX_VALUE, false, true), new ChannelState(1, 4, -1, -1, 30, Long.MAX_VALUE, false, true)),
            2, KeyGroups.COUNT, MINUTE, List.of("count", "sum"), "clicks-per-minute", Long.MAX_VALUE, 0, 100);

    RestoreReport report = report(oneMinutePipeline(2), metadata(Map.of("clicks-per-minute", ended), Map.of()));

    assertThat(report.lines())
        .contains(
            "pipeline clicks-per-minute: restores (state ~0 keys, 100 bytes; resumes source clicks at"
                + " partition 0 offset 3 (ended), partition 1 offset 4 (ended); watermark end of input)",
            "pipeline clicks-per-minute: every partition of source clicks had ended: it produces nothing more"
                + " (a new state.checkpoint_dir replays from the beginning)");
  }

  @Test
  void aChangedWindowCannotRestoreAndSaysWhatTheStartUpWouldRefuse() {
    String fiveMinutes = new WindowConfig(WindowType.TUMBLING, 300_000, 300_000, 0, 0).toString();
    WeirConfig config =
        ConfigParser.parse(config(new JsonArray().add(pipeline("clicks-per-minute", 300_000, 2)), "out/results.jsonl"));

    RestoreReport report =
        report(config, metadata(Map.of("clicks-per-minute", checkpointOf(MINUTE, 2)), Map.of("results", results("/srv/weir/out/results.jsonl"))));

    assertThat(report.restorable()).isFalse();
    assertThat(report.lines())
        .contains(
            "pipeline clicks-per-minute: CANNOT restore: its window changed from " + MINUTE + " to " + fiveMinutes,
            "result: CANNOT restore chk-12 (1 problem, 0 warnings)");
  }

  @Test
  void aParallelismChangeRestoresByKeyGroup() {
    RestoreReport report =
        report(oneMinutePipeline(3), metadata(Map.of("clicks-per-minute", checkpointOf(MINUTE, 2)), Map.of()));

    assertThat(report.restorable()).isTrue();
    assertThat(report.lines()).contains("pipeline clicks-per-minute: parallelism 2 -> 3: fine, state is by key group");
  }

  @Test
  void addedAndRemovedPipelinesAreAllowedButTheDiscardIsNamed() {
    WeirConfig config =
        ConfigParser.parse(config(new JsonArray().add(pipeline("clicks-per-5-minutes", 300_000, 2)), "out/results.jsonl"));
    Map<String, PipelineCheckpoint> old = new LinkedHashMap<>();
    old.put("clicks-per-minute", checkpointOf(MINUTE, 2));

    RestoreReport report = report(config, metadata(old, Map.of()));

    assertThat(report.restorable()).isTrue();
    assertThat(report.lines())
        .contains(
            "pipeline clicks-per-5-minutes: new, starts from the beginning of source clicks",
            "pipeline clicks-per-minute: in the checkpoint but not configured: its state (10 keys, 4096 bytes) would be discarded",
            "result: OK, restores chk-12 (1 warning)");
  }

  @Test
  void aFileSinkWithAnotherTargetStartsANewHistoryAndARemovedSinkIsNamed() {
    WeirConfig config = ConfigParser.parse(config(new JsonArray().add(pipeline("clicks-per-minute", 60_000, 2)), "out/v2.jsonl"));
    Map<String, SinkCommit> sinks = new LinkedHashMap<>();
    sinks.put("results", results("/srv/weir/out/results.jsonl"));
    sinks.put("late", new SinkCommit("late", 12, "/srv/weir/out/late.jsonl", null, 0, 0, 0));

    RestoreReport report = report(config, metadata(Map.of("clicks-per-minute", checkpointOf(MINUTE, 2)), sinks));

    assertThat(report.restorable()).isTrue();
    assertThat(report.lines())
        .contains(
            "sink results: target was /srv/weir/out/results.jsonl, now /srv/weir/out/v2.jsonl: a new file history starts",
            "sink late: in the checkpoint but not configured: /srv/weir/out/late.jsonl is no longer written,"
                + " its transaction history would be discarded",
            "result: OK, restores chk-12 (2 warnings)");
  }

  @Test
  void aConfiguredSeedOtherThanTheRecordedOneIsAWarning() {
    JsonObject tree = config(new JsonArray().add(pipeline("clicks-per-minute", 60_000, 2)), "out/results.jsonl");
    tree.getJsonArray("sources").getJsonObject(0).put("seed", 7);

    RestoreReport report = report(ConfigParser.parse(tree), metadata(Map.of("clicks-per-minute", checkpointOf(MINUTE, 2)), Map.of()));

    assertThat(report.lines())
        .contains("source clicks: mock seed is 7, the checkpoint's was 42: the restored pipelines go on with a different stream");
  }

  @Test
  void aCheckpointOutsideTheConfiguredDirectoryIsNotWhatTheServiceRestores() {
    RestoreReport report =
        RestoreReport.of(
            oneMinutePipeline(2),
            metadata(Map.of("clicks-per-minute", checkpointOf(MINUTE, 2)), Map.of()),
            Path.of("/backup/checkpoints/chk-12"),
            14,
            WORK);

    assertThat(report.restorable()).isTrue();
    assertThat(report.lines())
        .contains(
            "checkpoint: the config's state.checkpoint_dir is /srv/weir/data/checkpoints, not /backup/checkpoints:"
                + " the service would not restore this checkpoint",
            "checkpoint: chk-12 is not the newest: a start restores chk-14");
  }

  @Test
  void noCheckpointIsAFreshStart() {
    RestoreReport report = RestoreReport.noCheckpoint(Path.of("/srv/weir/data/checkpoints"));

    assertThat(report.restorable()).isTrue();
    assertThat(report.lines())
        .containsExactly(
            "checkpoint: none published in /srv/weir/data/checkpoints: every pipeline starts from the beginning of its source",
            "result: OK, fresh start");
  }
}
