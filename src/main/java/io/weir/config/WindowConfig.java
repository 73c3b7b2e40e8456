package io.weir.config;

/**
 * Event-time window spec of a pipeline.
 *
 * @param sizeMs window length (tumbling, sliding); 0 for sessions
 * @param slideMs for sliding windows; equals {@code sizeMs} for tumbling ones; 0 for sessions
 * @param offsetMs shifts window starts: {@code start = ts - ((ts - offset) mod slide)}
 * @param allowedLatenessMs how long after a window fired late elements still update it
 * @param gapMs session gap; 0 for tumbling and sliding windows
 */
public record WindowConfig(
    WindowType type, long sizeMs, long slideMs, long offsetMs, long allowedLatenessMs, long gapMs) {

  /** A tumbling or sliding window spec. */
  public WindowConfig(WindowType type, long sizeMs, long slideMs, long offsetMs, long allowedLatenessMs) {
    this(type, sizeMs, slideMs, offsetMs, allowedLatenessMs, 0);
  }

  public static WindowConfig session(long gapMs, long allowedLatenessMs) {
    return new WindowConfig(WindowType.SESSION, 0, 0, 0, allowedLatenessMs, gapMs);
  }

  /** Window shapes. */
  public enum WindowType {
    TUMBLING,
    SLIDING,
    SESSION
  }
}
