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
    TimeDomain time,
    Emit emit) {

  /** A tumbling or sliding event-time window spec. */
  public WindowConfig(WindowType type, long sizeMs, long slideMs, long offsetMs, long allowedLatenessMs) {
    this(type, sizeMs, slideMs, offsetMs, allowedLatenessMs, 0, TimeDomain.EVENT, Emit.DEFAULT);
  }

  public static WindowConfig session(long gapMs, long allowedLatenessMs) {
    return new WindowConfig(
        WindowType.SESSION, 0, 0, 0, allowedLatenessMs, gapMs, TimeDomain.EVENT, Emit.DEFAULT);
  }

  public WindowConfig withTime(TimeDomain newTime) {
    return new WindowConfig(type, sizeMs, slideMs, offsetMs, allowedLatenessMs, gapMs, newTime, emit);
  }

  public WindowConfig withEmit(Emit newEmit) {
    return new WindowConfig(type, sizeMs, slideMs, offsetMs, allowedLatenessMs, gapMs, time, newEmit);
  }

  /**
   * When the window emits: {@code on_time_and_late} (Flink's, the default), {@code final_only}
   * (once, when it can no longer change), or {@code {early_every_ms: N}} (on time and late, plus
   * speculative early panes every N ms of processing time).
   *
   * @param earlyEveryMs 0 unless {@code mode} is {@code EARLY}
   */
  public record Emit(Mode mode, long earlyEveryMs) {
    public static final Emit DEFAULT = new Emit(Mode.ON_TIME_AND_LATE, 0);

    /** Emit modes. */
    public enum Mode {
      ON_TIME_AND_LATE,
      FINAL_ONLY,
      EARLY
    }
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
