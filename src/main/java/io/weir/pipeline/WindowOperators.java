package io.weir.pipeline;

import io.weir.config.WindowConfig;
import io.weir.window.Accumulator;
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

  /** @param spec the optional sketches (quantiles, distinct count) each key window keeps */
  public static WindowOperator create(WindowConfig window, WindowOutput output, Accumulator.Spec spec) {
    long lateness = window.allowedLatenessMs();
    EmitPolicy emit =
        window.emit().mode() == WindowConfig.Emit.Mode.FINAL_ONLY ? EmitPolicy.FINAL_ONLY : EmitPolicy.ON_TIME_AND_LATE;
    return switch (window.type()) {
      case TUMBLING ->
          new AlignedWindowOperator(
              TumblingWindows.of(window.sizeMs(), window.offsetMs()), lateness, output, spec, emit);
      case SLIDING ->
          new AlignedWindowOperator(
              SlidingWindows.of(window.sizeMs(), window.slideMs(), window.offsetMs()),
              lateness,
              output,
              spec,
              emit);
      case SESSION -> new SessionWindowOperator(
              SessionWindows.withGap(window.gapMs()), lateness, output, spec, emit);
    };
  }
}
