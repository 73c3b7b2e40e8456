package io.weir.watermark;

/**
 * Watermark generator of one source partition, identical to Flink's {@code
 * BoundedOutOfOrdernessWatermarks} with a watermark emitted after every event: after an event,
 * {@code watermark = maxTimestampSeen - delay - 1}; before the first event it is {@link
 * Long#MIN_VALUE}. Single-threaded; not thread-safe.
 */
public final class BoundedOutOfOrdernessWatermarks {
  private final long delayMs;
  private long maxTimestamp;
  private boolean seenAny;

  public BoundedOutOfOrdernessWatermarks(long delayMs) {
    if (delayMs < 0) {
      throw new IllegalArgumentException("delay must be >= 0, got " + delayMs);
    }
    this.delayMs = delayMs;
  }

  /** Accounts for an event and returns the watermark after it. */
  public long onEvent(long timestamp) {
    if (!seenAny || timestamp > maxTimestamp) {
      maxTimestamp = timestamp;
      seenAny = true;
    }
    return current();
  }

  /** Continues from a checkpoint that saw {@code maxTimestamp} ({@code Long.MIN_VALUE}: nothing). */
  public void restore(long maxTimestamp) {
    if (maxTimestamp != Long.MIN_VALUE) {
      this.maxTimestamp = maxTimestamp;
      this.seenAny = true;
    }
  }

  /** The current watermark; never decreases. */
  public long current() {
    if (!seenAny) {
      return Long.MIN_VALUE;
    }
    // maxTimestamp - delay - 1 without wrapping below Long.MIN_VALUE.
    long bound = delayMs + 1;
    return maxTimestamp < Long.MIN_VALUE + bound ? Long.MIN_VALUE : maxTimestamp - bound;
  }

  /** Largest event time seen, or {@link Long#MIN_VALUE} before the first event. */
  public long maxTimestamp() {
    return seenAny ? maxTimestamp : Long.MIN_VALUE;
  }

  public long delayMs() {
    return delayMs;
  }
}
