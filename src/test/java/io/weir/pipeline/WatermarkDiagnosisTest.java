package io.weir.pipeline;

import static org.assertj.core.api.Assertions.assertThat;

import io.weir.pipeline.WatermarkDiagnosis.OperatorDiagnosis;
import java.util.List;
import org.junit.jupiter.api.Test;

class WatermarkDiagnosisTest {
  private static final long NOW = 10_000_000;

  private static PartitionStatus partition(int p, long wm, long eventsIn, long lastEventAt) {
    return new PartitionStatus("src", p, wm, wm + 1001, eventsIn, eventsIn, lastEventAt, false, false);
  }

  private static OperatorStatus operator(long wm, int slowest, long since) {
    return new OperatorStatus(0, wm, new long[] {wm, wm}, new boolean[2], slowest, 0, 0, 0, 0, 0, false, null, since);
  }

  private static PipelineStats stats(PipelineState state, List<PartitionStatus> parts, OperatorStatus op) {
    return new PipelineStats("p", state, 0, 0, 0, 0, 0, op.watermark(), 5, 1, 0, 0, 0, parts, List.of(op));
  }

  private static String hint(PipelineStats s, boolean backpressured, Long idleTimeout) {
    List<OperatorDiagnosis> d = WatermarkDiagnosis.of(s, backpressured, idleTimeout, NOW);
    return d.get(0).hint();
  }

  @Test
  void aSilentPartitionIsNamedWithTheIdlenessAdvice() {
    PipelineStats s =
        stats(PipelineState.RUNNING, List.of(partition(0, 1_000, 10, NOW - 60_000), partition(1, 9_000_000, 10, NOW)), operator(1_000, 0, NOW - 60_000));
    assertThat(hint(s, false, null))
        .isEqualTo("partition 0 of source src has produced nothing for 60 s; set watermarks.idle_timeout_ms so that silent partitions stop holding event time back");
    OperatorDiagnosis d = WatermarkDiagnosis.of(s, false, null, NOW).get(0);
    assertThat(d.heldBackBy()).isZero();
    assertThat(d.stalledForMs()).isEqualTo(60_000);
  }

  @Test
  void backpressureStoppedAndSkewAreToldApart() {
    List<PartitionStatus> parts = List.of(partition(0, 1_000_000, 10, NOW), partition(1, 9_000_000, 10, NOW));
    OperatorStatus op = operator(1_000_000, 0, NOW);
    assertThat(hint(stats(PipelineState.RUNNING, parts, op), true, 30_000L))
        .startsWith("partition 0 of source src holds the watermark back while the source is paused by backpressure");
    assertThat(hint(stats(PipelineState.STOPPED, parts, op), false, 30_000L)).startsWith("the pipeline is stopped");
    // 9,000,000 - 1,000,000 = 8,000 s behind
    assertThat(hint(stats(PipelineState.RUNNING, parts, op), false, 30_000L))
        .isEqualTo("partition 0 of source src is 8000 s of event time behind the fastest partition: its input is skewed or delayed");
  }

  @Test
  void allIdleIsSaidPlainly() {
    List<PartitionStatus> parts = List.of(partition(0, 1_000, 10, NOW), partition(1, 1_000, 10, NOW));
    assertThat(hint(stats(PipelineState.RUNNING, parts, operator(1_000, -1, NOW)), false, 30_000L))
        .startsWith("every input partition is idle");
  }
}
