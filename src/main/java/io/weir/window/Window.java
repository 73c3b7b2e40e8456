package io.weir.window;

/**
 * A time window {@code [start, end)}. Its last timestamp, {@link #maxTimestamp()}, is {@code end
 * - 1}: an event-time window fires when the watermark reaches it.
 */
public record Window(long start, long end) {

  public Window {
    if (end <= start) {
      throw new IllegalArgumentException("window end (" + end + ") must be after start (" + start + ")");
    }
  }

  public long maxTimestamp() {
    return end - 1;
  }

  public boolean contains(long timestamp) {
    return timestamp >= start && timestamp < end;
  }
}
