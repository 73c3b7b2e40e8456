package io.weir.config;

/**
 * Event-time window spec of a pipeline.
 *
 * @param slideMs for sliding windows; equals {@code sizeMs} for tumbling ones
 * @param offsetMs shifts window starts: {@code start = ts - ((ts - offset) mod slide)}
 * @param allowedLatenessMs how long after a window fired late elements still update it
 */
public record WindowConfig(
    WindowType type, long sizeMs, long slideMs, long offsetMs, long allowedLatenessMs) {

  /** Window shapes. */
  public enum WindowType {
    TUMBLING,
    SLIDING
  }
}
