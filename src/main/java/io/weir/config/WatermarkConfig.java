package io.weir.config;

/**
 * Event-time watermark policy.
 *
 * @param delayMs bounded out-of-orderness: {@code wm = maxTimestamp - delayMs - 1}
 * @param idleTimeoutMs a source partition silent this long is excluded from the minimum; null
 *     disables idleness
 */
public record WatermarkConfig(long delayMs, Long idleTimeoutMs) {}
