package io.weir.event;

/**
 * The channel's event time has advanced to {@code timestamp}: no more events with a timestamp
 * {@code <= timestamp} are expected on it. Sent when the watermark moved but no event of the
 * channel went to this operator.
 */
public record Watermark(int channel, long timestamp) implements StreamElement {

  /** The watermark of a channel that has not seen any event yet. */
  public static final long MIN = Long.MIN_VALUE;

  /** The watermark of a channel that has ended: every window can fire. */
  public static final long MAX = Long.MAX_VALUE;
}
