package io.weir.window;

/**
 * Assigns an element to the fixed-size windows {@code [start, start + size())} that contain its
 * timestamp. Stateless and thread-safe.
 */
public interface WindowAssigner {

  /** Window length in milliseconds. */
  long size();

  /** Distance between the starts of consecutive windows: {@link #size()} for tumbling windows. */
  long slide();

  /** Shift of the window grid: windows start at {@code offset + k * slide()}. */
  long offset();

  /** The largest number of windows one element can belong to. */
  int maxWindowsPerElement();

  /**
   * Writes the start and end of every window containing {@code timestamp} into {@code starts}
   * and {@code ends}, latest window first, and returns how many were written. Both arrays must
   * hold at least {@link #maxWindowsPerElement()} entries. Near the bounds of {@code long} a
   * window is cut at {@link Long#MIN_VALUE} or {@link Long#MAX_VALUE} (its other bound stays on
   * the grid).
   */
  int assign(long timestamp, long[] starts, long[] ends);

  /** Starts only, for callers that do not need the ends. */
  default int assign(long timestamp, long[] starts) {
    return assign(timestamp, starts, new long[starts.length]);
  }

  /** The name used in window results: {@code tumbling} or {@code sliding}. */
  String typeName();

  /**
   * Start of the window of length {@code size} with {@code offset} that contains {@code
   * timestamp}: {@code timestamp - ((timestamp - offset) mod size)} with a floor modulo, so
   * negative timestamps land in the right window (as Flink's {@code
   * TimeWindow.getWindowStartWithOffset}).
   */
  static long windowStart(long timestamp, long offset, long size) {
    return addSaturated(timestamp, -Math.floorMod(timestamp - offset, size));
  }

  /**
   * The windows of length {@code size} every {@code slide} containing {@code timestamp}: window
   * {@code i} is {@code [ts + off - size, ts + off)} with {@code off = size - mod - i * slide > 0}
   * (small offsets, so only the final addition can leave the range, and it saturates).
   */
  static int assign(long timestamp, long offset, long size, long slide, long[] starts, long[] ends) {
    long mod = Math.floorMod(timestamp - offset, slide);
    int n = 0;
    for (long off = size - mod; off > 0 && n < starts.length; off -= slide) {
      ends[n] = addSaturated(timestamp, off);
      starts[n] = addSaturated(timestamp, off - size);
      n++;
    }
    return n;
  }

  /** {@code a + b} clamped to the range of {@code long}. */
  static long addSaturated(long a, long b) {
    long r = a + b;
    if (((a ^ r) & (b ^ r)) < 0) {
      return b > 0 ? Long.MAX_VALUE : Long.MIN_VALUE;
    }
    return r;
  }
}
