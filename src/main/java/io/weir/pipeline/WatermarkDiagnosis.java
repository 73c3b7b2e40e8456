package io.weir.pipeline;

import java.util.ArrayList;
import java.util.List;

/**
 * Why an operator's watermark is where it is: which input channel (source partition) holds it
 * back, since when, and a plain-language hint — an idle partition that is not marked idle, a
 * backpressured source, a partition far behind the others, a stopped pipeline.
 */
public final class WatermarkDiagnosis {
  /** A partition this far behind the fastest one is called skewed. */
  static final long SKEW_MS = 60_000;

  private WatermarkDiagnosis() {}

  /**
   * @param heldBackBy the partition holding the watermark back, or -1 (all idle or ended)
   * @param stalledForMs how long the watermark has kept its current value
   */
  public record OperatorDiagnosis(int index, long watermark, int heldBackBy, long stalledForMs, String hint) {}

  public static List<OperatorDiagnosis> of(
      PipelineStats stats, boolean backpressured, Long idleTimeoutMs, long nowMs) {
    List<OperatorDiagnosis> out = new ArrayList<>();
    long fastest = Long.MIN_VALUE;
    for (PartitionStatus p : stats.partitions()) {
      if (!p.ended()) {
        fastest = Math.max(fastest, p.watermark());
      }
    }
    for (OperatorStatus op : stats.operators()) {
      long stalled = Math.max(0, nowMs - op.watermarkSinceMs());
      int channel = op.slowestChannel();
      PartitionStatus slow =
          channel >= 0 && channel < stats.partitions().size() ? stats.partitions().get(channel) : null;
      out.add(
          new OperatorDiagnosis(
              op.index(), op.watermark(), channel, stalled, hint(stats, op, slow, fastest, backpressured, idleTimeoutMs, nowMs)));
    }
    return out;
  }

  private static String hint(
      PipelineStats stats,
      OperatorStatus op,
      PartitionStatus slow,
      long fastest,
      boolean backpressured,
      Long idleTimeoutMs,
      long nowMs) {
    if (op.failure() != null) {
      return "the operator failed and processes nothing: " + op.failure();
    }
    if (op.finished()) {
      return "every input partition has ended: all windows have fired";
    }
    if (stats.state() == PipelineState.STOPPED) {
      return "the pipeline is stopped (POST /pipelines/" + stats.pipeline() + "/start resumes it)";
    }
    if (slow == null) {
      return "every input partition is idle: event time waits for data (watermarks.idle_advance_ms lets it follow the wall clock)";
    }
    String who = "partition " + slow.partition() + " of source " + slow.source();
    if (backpressured) {
      return who + " holds the watermark back while the source is paused by backpressure: operators or sinks are the bottleneck ("
          + stats.eventsInFlight() + " events and " + stats.sinkBatchesInFlight() + " sink batches in flight)";
    }
    if (slow.eventsIn() == 0) {
      return who + " has produced no event yet" + idleAdvice(idleTimeoutMs);
    }
    long silentMs = nowMs - slow.lastEventAtMs();
    if (silentMs > 10_000) {
      return who + " has produced nothing for " + silentMs / 1000 + " s" + idleAdvice(idleTimeoutMs);
    }
    if (fastest != Long.MIN_VALUE && slow.watermark() != Long.MIN_VALUE && fastest - slow.watermark() > SKEW_MS) {
      return who + " is " + (fastest - slow.watermark()) / 1000 + " s of event time behind the fastest partition: its input is skewed or delayed";
    }
    return "advancing: " + who + " is the slowest input";
  }

  private static String idleAdvice(Long idleTimeoutMs) {
    return idleTimeoutMs == null
        ? "; set watermarks.idle_timeout_ms so that silent partitions stop holding event time back"
        : " (it is marked idle after watermarks.idle_timeout_ms = " + idleTimeoutMs + " ms)";
  }
}
