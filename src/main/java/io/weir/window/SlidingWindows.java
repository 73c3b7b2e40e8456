package io.weir.window;

/**
 * Windows of {@code size} starting every {@code slide}: an element belongs to every window that
 * contains it ({@code ceil(size / slide)} or one fewer when {@code slide} does not divide {@code
 * size}), as Flink's {@code SlidingEventTimeWindows}.
 */
public final class SlidingWindows implements WindowAssigner {
  private final long size;
  private final long slide;
  private final long offset;

  private SlidingWindows(long size, long slide, long offset) {
    if (size <= 0 || slide <= 0) {
      throw new IllegalArgumentException(
          "sliding window size and slide must be > 0, got size " + size + ", slide " + slide);
    }
    if (slide > size) {
      throw new IllegalArgumentException("slide (" + slide + ") must not exceed size (" + size + ")");
    }
    if (Math.abs(offset) >= slide) {
      throw new IllegalArgumentException(
          "sliding window offset (" + offset + ") must be smaller than its slide (" + slide + ")");
    }
    this.size = size;
    this.slide = slide;
    this.offset = offset;
  }

  public static SlidingWindows of(long size, long slide) {
    return new SlidingWindows(size, slide, 0);
  }

  public static SlidingWindows of(long size, long slide, long offset) {
    return new SlidingWindows(size, slide, offset);
  }

  @Override
  public long size() {
    return size;
  }

  @Override
  public long slide() {
    return slide;
  }

  @Override
  public long offset() {
    return offset;
  }

  @Override
  public int maxWindowsPerElement() {
    return (int) ((size + slide - 1) / slide);
  }

  @Override
  public int assign(long timestamp, long[] starts, long[] ends) {
    return WindowAssigner.assign(timestamp, offset, size, slide, starts, ends);
  }

  @Override
  public String typeName() {
    return "sliding";
  }
}
