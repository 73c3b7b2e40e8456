package io.weir.metrics;

/**
 * Every Weir meter name, in Micrometer's dotted form; the Prometheus registry renders {@code
 * stream.events.processed} as {@code stream_events_processed_total} (counters get {@code
 * _total}, timers {@code _seconds}).
 */
public final class MeterNames {
  private MeterNames() {}

  public static final String EVENTS_PROCESSED = "stream.events.processed";
  public static final String PROCESSING_DURATION = "stream.processing.duration";
  public static final String ACTIVE_WINDOWS = "stream.active.windows";
  public static final String WATERMARK_LAG_SECONDS = "stream.watermark.lag.seconds";
  public static final String LATE_EVENTS = "stream.late.events";
  /** Prometheus: {@code stream_duplicates_dropped_total{pipeline}}. */
  public static final String DUPLICATES = "stream.duplicates.dropped";
  public static final String DEAD_LETTER = "stream.dead.letter";
  public static final String BACKPRESSURE_SECONDS = "stream.backpressure.seconds";
  public static final String RESULTS_EMITTED = "stream.results.emitted";
  public static final String SINK_ERRORS = "stream.sink.errors";
  /** Prometheus: {@code stream_checkpoint_duration_seconds}. */
  public static final String CHECKPOINT_DURATION = "stream.checkpoint.duration";
  /** Prometheus: {@code stream_checkpoints_total{status}}. */
  public static final String CHECKPOINTS = "stream.checkpoints";
  /** Prometheus: {@code stream_state_keys{pipeline}} (estimate, sampled at checkpoints). */
  public static final String STATE_KEYS = "stream.state.keys";
  /** Prometheus: {@code stream_state_size_bytes{pipeline}} (last checkpoint's snapshot size). */
  public static final String STATE_SIZE_BYTES = "stream.state.size.bytes";

  public static final String TAG_PIPELINE = "pipeline";
  public static final String TAG_SOURCE = "source";
  public static final String TAG_PARTITION = "partition";
  public static final String TAG_SINK = "sink";
  public static final String TAG_REASON = "reason";
}
