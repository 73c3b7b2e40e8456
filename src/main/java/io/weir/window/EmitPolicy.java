package io.weir.window;

/**
 * When a window emits.
 *
 * <ul>
 *   <li>{@code ON_TIME_AND_LATE} (the default, Flink's): when the watermark reaches {@code end -
 *       1}, and again at once for each late element within lateness;
 *   <li>{@code FINAL_ONLY}: once per key window, when it can no longer change (the watermark
 *       reached {@code end - 1 + lateness}), like Kafka Streams' emit-on-window-close;
 *   <li>{@code ON_TIME_AND_LATE} with early firings: in addition, speculative early panes of
 *       the windows that changed, every {@code early_every_ms} of processing time, driven by the
 *       runtime through {@link WindowOperator#emitEarly()}.
 * </ul>
 */
public enum EmitPolicy {
  ON_TIME_AND_LATE,
  FINAL_ONLY
}
