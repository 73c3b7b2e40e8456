package io.weir.window;

/**
 * Which emission of a key's window a result is (Beam-style pane metadata).
 *
 * @param index 0 for the first emission of the key's window, then 1, 2, ...
 * @param timing early (before the watermark reached end - 1), on time (when it did), or late
 *     (after, caused by late data or emitted at the end of lateness)
 * @param isFinal no further emission of this key's window can follow
 */
public record Pane(int index, Timing timing, boolean isFinal) {

  /** When a pane was emitted relative to the watermark. */
  public enum Timing {
    EARLY,
    ON_TIME,
    LATE
  }
}
