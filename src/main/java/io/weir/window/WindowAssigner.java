package io.weir.window;

/**
 * Assigns an element to the fixed-size windows {@code [start, start + size())} that contain its
 * timestamp. Stateless and thread-safe.
 */
public interface WindowAssigner {

  /** Window length in milliseconds. */
  long size();

  /** The largest number of windows one element can belong to. */
  int maxWindowsPerElement();

  /**
   * Writes the start of every window containing {@code timestamp} into {@code starts}, latest
   * window first, and returns how many were written. {@code starts} must hold at least {@link
   * #maxWindowsPerElement()} entries.
   */
  int assign(long timestamp, long[] starts);

  /** The name used in window results: {@code tumbling} or {@code sliding}. */
  String typeName();

  /**
   * Start of the window of length {@code size} with {@code offset} that contains {@code
   * timestamp}: {@code timestamp - ((timestamp - offset) mod size)} with a floor modulo, so
   * negative timestamps land in the right window (as Flink's {@code
   * TimeWindow.getWindowStartWithOffset}).
   */
  static long windowStart(long timestamp, long offset, long size) {
    return timestamp - Math.floorMod(timestamp - offset, size);
  }
}
