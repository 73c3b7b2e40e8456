package io.weir.api;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.weir.config.AggregationKind;
import io.weir.config.PipelineConfig;
import io.weir.config.WindowConfig;
import io.weir.pipeline.OperatorStatus;
import io.weir.pipeline.PartitionStatus;
import io.weir.pipeline.PipelineRuntime;
import io.weir.pipeline.PipelineState;
import io.weir.pipeline.PipelineStats;
import io.weir.pipeline.WatermarkDiagnosis;
import io.weir.window.KeyWindowView;
import java.util.Locale;

/**
 * JSON views of pipelines for the REST API. Watermarks are epoch milliseconds; a watermark that
 * has not started ({@code Long.MIN_VALUE}) is null, an ended one ({@code Long.MAX_VALUE}) is the
 * string {@code "+inf"}.
 */
final class ApiJson {
  private ApiJson() {}

  static Object watermark(long wm) {
    if (wm == Long.MIN_VALUE) {
      return null;
    }
    if (wm == Long.MAX_VALUE) {
      return "+inf";
    }
    return wm;
  }

  static JsonObject summary(PipelineRuntime p) {
    PipelineStats s = p.stats();
    PipelineConfig c = p.config();
    return new JsonObject()
        .put("id", c.id())
        .put("state", lower(s.state()))
        .put("source", c.source())
        .put("window", window(c.window()))
        .put("parallelism", c.parallelism())
        .put("sinks", new JsonArray(c.sinks()))
        .put("events_processed", s.eventsProcessed())
        .put("watermark", watermark(s.watermark()));
  }

  static JsonObject detail(PipelineRuntime p) {
    PipelineConfig c = p.config();
    JsonArray aggregations = new JsonArray();
    for (AggregationKind a : c.aggregations()) {
      aggregations.add(a.fieldName());
    }
    return summary(p)
        .put("aggregations", aggregations)
        .put("late_sink", c.lateSink())
        .put("source_partitions", p.sourceConfig().partitions())
        .put("stats", stats(p.stats()));
  }

  static JsonObject window(WindowConfig w) {
    JsonObject json = new JsonObject().put("type", lower(w.type()));
    if (w.type() == WindowConfig.WindowType.SESSION) {
      return json.put("gap_ms", w.gapMs()).put("allowed_lateness_ms", w.allowedLatenessMs());
    }
    json.put("size_ms", w.sizeMs());
    if (w.type() == WindowConfig.WindowType.SLIDING) {
      json.put("slide_ms", w.slideMs());
    }
    return json.put("offset_ms", w.offsetMs()).put("allowed_lateness_ms", w.allowedLatenessMs());
  }

  static JsonObject stats(PipelineStats s) {
    JsonArray partitions = new JsonArray();
    for (PartitionStatus p : s.partitions()) {
      partitions.add(
          new JsonObject()
              .put("source", p.source())
              .put("partition", p.partition())
              .put("watermark", watermark(p.watermark()))
              .put("max_event_time", watermark(p.maxTimestamp()))
              .put("events_in", p.eventsIn())
              .put("next_offset", p.nextOffset())
              .put("idle", p.idle())
              .put("ended", p.ended()));
    }
    JsonArray operators = new JsonArray();
    for (OperatorStatus o : s.operators()) {
      JsonArray channels = new JsonArray();
      JsonArray idleChannels = new JsonArray();
      for (int c = 0; c < o.channelWatermarks().length; c++) {
        channels.add(watermark(o.channelWatermarks()[c]));
        if (o.channelIdle()[c]) {
          idleChannels.add(c);
        }
      }
      operators.add(
          new JsonObject()
              .put("index", o.index())
              .put("watermark", watermark(o.watermark()))
              .put("channel_watermarks", channels)
              .put("idle_channels", idleChannels)
              .put("slowest_channel", o.slowestChannel())
              .put("events_processed", o.eventsProcessed())
              .put("late_events", o.lateEvents())
              .put("results_emitted", o.resultsEmitted())
              .put("active_key_windows", o.activeKeyWindows())
              .put("active_windows", o.activeWindows())
              .put("finished", o.finished())
              .put("failure", o.failure()));
    }
    return new JsonObject()
        .put("pipeline", s.pipeline())
        .put("state", lower(s.state()))
        .put("events_in", s.eventsIn())
        .put("events_processed", s.eventsProcessed())
        .put("events_per_second", s.eventsPerSecond())
        .put("late_events", s.lateEvents())
        .put("results_emitted", s.resultsEmitted())
        .put("active_key_windows", s.activeKeyWindows())
        .put("watermark", watermark(s.watermark()))
        .put("events_in_flight", s.eventsInFlight())
        .put("sink_batches_in_flight", s.sinkBatchesInFlight())
        .put("backpressure_seconds", s.backpressureSeconds())
        .put("sink_errors", s.sinkErrors())
        .put("partitions", partitions)
        .put("operators", operators);
  }

  static JsonObject watermarks(PipelineRuntime p, Long idleTimeoutMs, long nowMs) {
    PipelineStats s = p.stats();
    boolean backpressured = p.backpressured();
    JsonArray partitions = new JsonArray();
    for (PartitionStatus part : s.partitions()) {
      boolean started = part.watermark() != Long.MIN_VALUE && part.watermark() != Long.MAX_VALUE;
      partitions.add(
          new JsonObject()
              .put("source", part.source())
              .put("partition", part.partition())
              .put("watermark", watermark(part.watermark()))
              .put("max_event_time", watermark(part.maxTimestamp()))
              .put("lag_ms", started ? nowMs - part.watermark() : null)
              .put("idle", part.idle())
              .put("ended", part.ended())
              .put("paused", s.state() == PipelineState.STOPPED || backpressured)
              .put("last_event_at", part.lastEventAtMs() == 0 ? null : part.lastEventAtMs()));
    }
    JsonArray operators = new JsonArray();
    for (WatermarkDiagnosis.OperatorDiagnosis d : WatermarkDiagnosis.of(s, backpressured, idleTimeoutMs, nowMs)) {
      operators.add(
          new JsonObject()
              .put("index", d.index())
              .put("watermark", watermark(d.watermark()))
              .put("held_back_by_partition", d.heldBackBy() < 0 ? null : d.heldBackBy())
              .put("unchanged_for_ms", d.stalledForMs())
              .put("diagnosis", d.hint()));
    }
    return new JsonObject()
        .put("pipeline", s.pipeline())
        .put("state", lower(s.state()))
        .put("watermark", watermark(s.watermark()))
        .put("backpressured", backpressured)
        .put("partitions", partitions)
        .put("operators", operators);
  }

  static JsonObject window(String pipeline, KeyWindowView v) {
    return new JsonObject()
        .put("pipeline", pipeline)
        .put("key", v.key())
        .put("window_start", v.window().start())
        .put("window_end", v.window().end())
        .put("count", v.count())
        .put("sum", v.sum())
        .put("min", Double.isNaN(v.min()) ? null : v.min())
        .put("max", Double.isNaN(v.max()) ? null : v.max())
        .put("firings", v.firings())
        .put("fires_at_watermark", v.firesAt())
        .put("purged_at_watermark", v.purgedAt());
  }

  static JsonObject checkpoint(io.weir.checkpoint.CheckpointInfo i) {
    JsonObject offsets = new JsonObject();
    i.offsets().forEach((pipeline, byPartition) -> {
      JsonObject o = new JsonObject();
      byPartition.forEach((partition, offset) -> o.put(String.valueOf(partition), offset));
      offsets.put(pipeline, o);
    });
    return new JsonObject()
        .put("id", i.id())
        .put("status", i.status())
        .put("trigger", lower(i.trigger()))
        .put("started_at", java.time.Instant.ofEpochMilli(i.startedAtMs()).toString())
        .put("duration_ms", i.durationMs() < 0 ? null : i.durationMs())
        .put("size_bytes", i.sizeBytes())
        .put("phases_ms", new JsonObject(new java.util.LinkedHashMap<String, Object>(i.phasesMs())))
        .put("offsets", offsets)
        .put("error", i.error());
  }

  private static String lower(Enum<?> e) {
    return e.name().toLowerCase(Locale.ROOT);
  }
}
