package io.weir.event;

/**
 * The channel's event time has advanced to {@code timestamp}: no more events with a timestamp
 * {@code <= timestamp} are expected on it. Operators apply it like an advance carried in an
 * {@link EventBatch}. The current sources carry every advance in their batches (so that each
 * operator sees them in their place between events); this element is for advances that come
 * without events.
 */
public record Watermark(int channel, long timestamp) implements StreamElement {

  /** The watermark of a channel that has not seen any event yet. */
  public static final long MIN = Long.MIN_VALUE;

  /** The watermark of a channel that has ended: every window can fire. */
  public static final long MAX = Long.MAX_VALUE;
}
