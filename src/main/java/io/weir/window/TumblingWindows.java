package io.weir.window;

/** Non-overlapping windows of one size: every element is in exactly one. */
public final class TumblingWindows implements WindowAssigner {
  private final long size;
  private final long offset;

  private TumblingWindows(long size, long offset) {
    if (size <= 0) {
      throw new IllegalArgumentException("tumbling window size must be > 0, got " + size);
    }
    if (Math.abs(offset) >= size) {
      throw new IllegalArgumentException(
          "tumbling window offset (" + offset + ") must be smaller than its size (" + size + ")");
    }
    this.size = size;
    this.offset = offset;
  }

  public static TumblingWindows of(long size) {
    return new TumblingWindows(size, 0);
  }

  public static TumblingWindows of(long size, long offset) {
    return new TumblingWindows(size, offset);
  }

  @Override
  public long size() {
    return size;
  }

  @Override
  public long slide() {
    return size;
  }

  @Override
  public long offset() {
    return offset;
  }

  @Override
  public int maxWindowsPerElement() {
    return 1;
  }

  @Override
  public int assign(long timestamp, long[] starts, long[] ends) {
    return WindowAssigner.assign(timestamp, offset, size, size, starts, ends);
  }

  @Override
  public String typeName() {
    return "tumbling";
  }
}
