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
    WindowType type,
    long sizeMs,
    long slideMs,
    long offsetMs,
    long allowedLatenessMs,
    long gapMs,
    TimeDomain time) {

  /** A tumbling or sliding event-time window spec. */
  public WindowConfig(WindowType type, long sizeMs, long slideMs, long offsetMs, long allowedLatenessMs) {
    this(type, sizeMs, slideMs, offsetMs, allowedLatenessMs, 0, TimeDomain.EVENT);
  }

  public static WindowConfig session(long gapMs, long allowedLatenessMs) {
    return new WindowConfig(WindowType.SESSION, 0, 0, 0, allowedLatenessMs, gapMs, TimeDomain.EVENT);
  }

  public WindowConfig withTime(TimeDomain newTime) {
    return new WindowConfig(type, sizeMs, slideMs, offsetMs, allowedLatenessMs, gapMs, newTime);
  }

  /**
   * Which clock places events in windows. {@code PROCESSING}: the wall-clock time an operator
   * processes the event; windows close by the wall clock; not deterministic, outside the
   * equality guarantee with Flink's event-time windows.
   */
  public enum TimeDomain {
    EVENT,
    PROCESSING
  }

  /** Window shapes. */
  public enum WindowType {
    TUMBLING,
    SLIDING,
    SESSION
  }
}
