package io.weir.pipeline;

import io.weir.config.WindowConfig;
import io.weir.window.AlignedWindowOperator;
import io.weir.window.EmitPolicy;
import io.weir.window.SessionWindowOperator;
import io.weir.window.SessionWindows;
import io.weir.window.SlidingWindows;
import io.weir.window.TumblingWindows;
import io.weir.window.WindowOperator;
import io.weir.window.WindowOutput;

/** Builds the window operator a pipeline's window spec describes. */
public final class WindowOperators {
  private WindowOperators() {}

  /** @param quantiles the pipeline asks for p50/p95/p99: keep quantile sketches */
  public static WindowOperator create(WindowConfig window, WindowOutput output, boolean quantiles) {
    long lateness = window.allowedLatenessMs();
    EmitPolicy emit =
        window.emit().mode() == WindowConfig.Emit.Mode.FINAL_ONLY ? EmitPolicy.FINAL_ONLY : EmitPolicy.ON_TIME_AND_LATE;
    return switch (window.type()) {
      case TUMBLING ->
          new AlignedWindowOperator(
              TumblingWindows.of(window.sizeMs(), window.offsetMs()), lateness, output, quantiles, emit);
      case SLIDING ->
          new AlignedWindowOperator(
              SlidingWindows.of(window.sizeMs(), window.slideMs(), window.offsetMs()),
              lateness,
              output,
              quantiles,
              emit);
      case SESSION -> new SessionWindowOperator(
              SessionWindows.withGap(window.gapMs()), lateness, output, quantiles, emit);
    };
  }
}
