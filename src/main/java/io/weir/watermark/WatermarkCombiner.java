package io.weir.watermark;

import java.util.Arrays;

/**
 * An operator's view of its input channels: each channel's latest watermark, and their minimum,
 * which is the operator's watermark. A channel's watermark never goes back (a lower value is
 * ignored, as in Flink's {@code StatusWatermarkValve}); the combined watermark never goes back
 * either. Single-threaded.
 */
public final class WatermarkCombiner {
  private final long[] channels;
  private long combined = Long.MIN_VALUE;

  public WatermarkCombiner(int channelCount) {
    if (channelCount < 1) {
      throw new IllegalArgumentException("at least one channel is needed, got " + channelCount);
    }
    channels = new long[channelCount];
    Arrays.fill(channels, Long.MIN_VALUE);
  }

  /**
   * Records channel {@code channel}'s watermark.
   *
   * @return true when the combined watermark advanced (read it with {@link #current()})
   */
  public boolean update(int channel, long watermark) {
    long previous = channels[channel];
    if (watermark <= previous) {
      return false;
    }
    channels[channel] = watermark;
    if (previous != combined) {
      // The channel was ahead of the minimum; the minimum is unchanged.
      return false;
    }
    long min = Long.MAX_VALUE;
    for (long w : channels) {
      min = Math.min(min, w);
    }
    if (min > combined) {
      combined = min;
      return true;
    }
    return false;
  }

  public long current() {
    return combined;
  }

  public long channel(int channel) {
    return channels[channel];
  }

  public int channelCount() {
    return channels.length;
  }

  /** The channel holding the combined watermark back (the lowest one; the first on ties). */
  public int slowestChannel() {
    int slowest = 0;
    for (int i = 1; i < channels.length; i++) {
      if (channels[i] < channels[slowest]) {
        slowest = i;
      }
    }
    return slowest;
  }
}
