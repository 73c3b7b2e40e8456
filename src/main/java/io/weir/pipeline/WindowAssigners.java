package io.weir.pipeline;

import io.weir.config.WindowConfig;
import io.weir.window.SlidingWindows;
import io.weir.window.TumblingWindows;
import io.weir.window.WindowAssigner;

/** Builds the window assigner a pipeline's window spec describes. */
public final class WindowAssigners {
  private WindowAssigners() {}

  public static WindowAssigner from(WindowConfig window) {
    return switch (window.type()) {
      case TUMBLING -> TumblingWindows.of(window.sizeMs(), window.offsetMs());
      case SLIDING -> SlidingWindows.of(window.sizeMs(), window.slideMs(), window.offsetMs());
    };
  }
}
