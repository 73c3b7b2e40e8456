package io.weir.window;

/**
 * Session windows: each element opens {@code [timestamp, timestamp + gap)}, and windows of the
 * same key that overlap or touch merge (two events exactly {@code gap} apart are one session),
 * as Flink's {@code EventTimeSessionWindows}.
 */
public record SessionWindows(long gap) {

  public SessionWindows {
    if (gap <= 0) {
      throw new IllegalArgumentException("session gap must be > 0, got " + gap);
    }
  }

  public static SessionWindows withGap(long gap) {
    return new SessionWindows(gap);
  }
}
