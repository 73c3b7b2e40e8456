package io.weir.watermark;

import java.util.Arrays;

/**
 * An operator's view of its input channels, as Flink's {@code StatusWatermarkValve}: each
 * channel's latest watermark and whether it is idle; the operator's watermark is the minimum over
 * the active, aligned channels.
 *
 * <ul>
 *   <li>A channel's watermark never goes back (a lower value is ignored); the combined watermark
 *       never goes back either.
 *   <li>An idle channel is left out of the minimum. When the last active channel goes idle and
 *       it held the minimum, the combined watermark moves up to the largest channel watermark.
 *   <li>A channel that becomes active again with a watermark below the combined one is
 *       unaligned: it is left out until it catches up, instead of pulling event time back.
 * </ul>
 *
 * Single-threaded.
 */
public final class WatermarkCombiner {
  private final long[] channels;
  private final boolean[] idle;
  private long combined = Long.MIN_VALUE;

  public WatermarkCombiner(int channelCount) {
    if (channelCount < 1) {
      throw new IllegalArgumentException("at least one channel is needed, got " + channelCount);
    }
    channels = new long[channelCount];
    idle = new boolean[channelCount];
    Arrays.fill(channels, Long.MIN_VALUE);
  }

  /**
   * Records channel {@code channel}'s watermark; the channel is active from now on.
   *
   * @return true when the combined watermark advanced (read it with {@link #current()})
   */
  public boolean update(int channel, long watermark) {
    idle[channel] = false;
    long previous = channels[channel];
    if (watermark <= previous) {
      return false;
    }
    channels[channel] = watermark;
    // A channel that was ahead of the minimum cannot raise it. One at the minimum can, and so
    // can one catching up from below (unaligned) when no aligned channel is left.
    return previous <= combined && recompute();
  }

  /**
   * Records a watermark for a channel without making it active (an idle channel whose time
   * follows the wall clock).
   *
   * @return true when the combined watermark advanced
   */
  public boolean advanceIdle(int channel, long watermark) {
    if (watermark <= channels[channel]) {
      return false;
    }
    channels[channel] = watermark;
    return recompute();
  }

  /** The channel produces again: it counts towards the minimum once aligned. */
  public void activate(int channel) {
    idle[channel] = false;
  }

  /**
   * Leaves an idle channel out of the minimum.
   *
   * @return true when the combined watermark advanced
   */
  public boolean markIdle(int channel) {
    if (idle[channel]) {
      return false;
    }
    idle[channel] = true;
    if (allIdle() && channels[channel] != combined) {
      // As Flink: the flush to the largest watermark happens only when the last channel to go
      // idle was the one holding the minimum.
      return false;
    }
    return recompute();
  }

  private boolean allIdle() {
    for (boolean i : idle) {
      if (!i) {
        return false;
      }
    }
    return true;
  }

  private boolean recompute() {
    long min = Long.MAX_VALUE;
    long max = Long.MIN_VALUE;
    boolean anyAligned = false;
    boolean allIdle = true;
    for (int c = 0; c < channels.length; c++) {
      max = Math.max(max, channels[c]);
      if (!idle[c]) {
        allIdle = false;
        if (channels[c] >= combined) {
          anyAligned = true;
          min = Math.min(min, channels[c]);
        }
      }
    }
    long next = anyAligned ? min : allIdle ? max : combined;
    if (next > combined) {
      combined = next;
      return true;
    }
    return false;
  }

  /** Sets a channel's watermark and idleness as a checkpoint recorded them. */
  public void restore(int channel, long watermark, boolean isIdle) {
    channels[channel] = watermark;
    idle[channel] = isIdle;
  }

  /** Sets the combined watermark as a checkpoint recorded it (after {@link #restore}). */
  public void restoreCombined(long watermark) {
    combined = watermark;
  }

  public long current() {
    return combined;
  }

  public long channel(int channel) {
    return channels[channel];
  }

  public boolean idle(int channel) {
    return idle[channel];
  }

  public int channelCount() {
    return channels.length;
  }

  /**
   * The channel holding the combined watermark back: the active channel with the lowest
   * watermark (the first on ties), or -1 when every channel is idle.
   */
  public int slowestChannel() {
    int slowest = -1;
    for (int c = 0; c < channels.length; c++) {
      if (!idle[c] && (slowest < 0 || channels[c] < channels[slowest])) {
        slowest = c;
      }
    }
    return slowest;
  }
}
