package io.weir.config;

/**
 * Event-time watermark policy.
 *
 * @param delayMs bounded out-of-orderness: {@code wm = maxTimestamp - delayMs - 1}
 * @param idleTimeoutMs a source partition silent this long is excluded from the minimum; null
 *     disables idleness
 * @param idleAdvanceMs when every partition of a source is idle, its watermark follows the wall
 *     clock, {@code now - idleAdvanceMs}; null: it stays where it is
 * @param maxFutureMs an event more than this ahead of the wall clock goes to the dead-letter
 *     output ({@code future_timestamp}) instead of pushing event time forward; null: no guard
 */
public record WatermarkConfig(long delayMs, Long idleTimeoutMs, Long idleAdvanceMs, Long maxFutureMs) {

  /** Delay and idleness only, the other guards at their defaults (none, one day). */
  public WatermarkConfig(long delayMs, Long idleTimeoutMs) {
    this(delayMs, idleTimeoutMs, null, 86_400_000L);
  }
}
