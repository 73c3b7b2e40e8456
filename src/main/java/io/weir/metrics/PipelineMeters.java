package io.weir.metrics;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.time.Duration;
import java.util.function.DoubleSupplier;
import java.util.function.LongSupplier;
import java.util.function.ToLongFunction;

/**
 * The meters of one pipeline, registered once when it is created and updated per batch (never
 * per event). Micrometer meters are thread-safe, so every operator of the pipeline shares them.
 */
public final class PipelineMeters {
  private final MeterRegistry registry;
  private final String pipeline;
  private final Counter eventsProcessed;
  private final Counter lateEvents;
  private final Counter duplicates;
  private final Counter resultsEmitted;
  private final Timer processingDuration;

  public PipelineMeters(MeterRegistry registry, String pipeline) {
    this.registry = registry;
    this.pipeline = pipeline;
    this.eventsProcessed =
        Counter.builder(MeterNames.EVENTS_PROCESSED)
            .description("Events processed by the pipeline's window operators")
            .tag(MeterNames.TAG_PIPELINE, pipeline)
            .register(registry);
    this.lateEvents =
        Counter.builder(MeterNames.LATE_EVENTS)
            .description("Events dropped because all their windows were past allowed lateness")
            .tag(MeterNames.TAG_PIPELINE, pipeline)
            .register(registry);
    this.duplicates =
        Counter.builder(MeterNames.DUPLICATES)
            .description("Events dropped because their id was seen within dedup_horizon_ms")
            .tag(MeterNames.TAG_PIPELINE, pipeline)
            .register(registry);
    this.resultsEmitted =
        Counter.builder(MeterNames.RESULTS_EMITTED)
            .description("Window results emitted (firings)")
            .tag(MeterNames.TAG_PIPELINE, pipeline)
            .register(registry);
    this.processingDuration =
        Timer.builder(MeterNames.PROCESSING_DURATION)
            .description("Time an operator spends on one input batch")
            .tag(MeterNames.TAG_PIPELINE, pipeline)
            .publishPercentileHistogram()
            .minimumExpectedValue(Duration.ofNanos(10_000))
            .maximumExpectedValue(Duration.ofSeconds(10))
            .register(registry);
  }

  public Counter eventsProcessed() {
    return eventsProcessed;
  }

  public Counter lateEvents() {
    return lateEvents;
  }

  public Counter duplicates() {
    return duplicates;
  }

  public Counter resultsEmitted() {
    return resultsEmitted;
  }

  public Timer processingDuration() {
    return processingDuration;
  }

  /** Registers the gauge of state held by the pipeline's operators. */
  /** State size as of the pipeline's last checkpoint: estimated keys and snapshot bytes. */
  public void stateSize(LongSupplier keys, LongSupplier bytes) {
    io.micrometer.core.instrument.Gauge.builder(MeterNames.STATE_KEYS, keys, s -> s.getAsLong())
        .description("Keys in the pipeline's state store (estimate) at its last checkpoint")
        .tag(MeterNames.TAG_PIPELINE, pipeline)
        .strongReference(true)
        .register(registry);
    io.micrometer.core.instrument.Gauge.builder(MeterNames.STATE_SIZE_BYTES, bytes, s -> s.getAsLong())
        .description("Bytes of the pipeline's state snapshot at its last checkpoint")
        .tag(MeterNames.TAG_PIPELINE, pipeline)
        .strongReference(true)
        .register(registry);
  }

  public void activeWindows(LongSupplier keyWindows) {
    Gauge.builder(MeterNames.ACTIVE_WINDOWS, keyWindows, s -> s.getAsLong())
        .description("(key, window) pairs holding state")
        .strongReference(true)
        .tag(MeterNames.TAG_PIPELINE, pipeline)
        .register(registry);
  }

  /** Registers the watermark lag gauge of one source partition as read by this pipeline. */
  public void watermarkLag(String source, int partition, DoubleSupplier lagSeconds) {
    Gauge.builder(MeterNames.WATERMARK_LAG_SECONDS, lagSeconds, s -> s.getAsDouble())
        .description("Wall clock minus the partition's watermark, in seconds")
        .strongReference(true)
        .tag(MeterNames.TAG_SOURCE, source)
        .tag(MeterNames.TAG_PARTITION, Integer.toString(partition))
        .tag(MeterNames.TAG_PIPELINE, pipeline)
        .register(registry);
  }

  /**
   * Registers the counter of time the pipeline's source reader waited for capacity. Micrometer
   * holds {@code reader} weakly: it must be an object the pipeline keeps, not a fresh lambda.
   */
  public <T> void backpressure(String source, T reader, ToLongFunction<T> nanos) {
    FunctionCounter.builder(MeterNames.BACKPRESSURE_SECONDS, reader, r -> nanos.applyAsLong(r) / 1e9)
        .description("Seconds the source spent paused because the pipeline was full")
        .tag(MeterNames.TAG_SOURCE, source)
        .tag(MeterNames.TAG_PIPELINE, pipeline)
        .register(registry);
  }

  /** Counts records of {@code source} that went to the dead-letter output, by reason. */
  public void deadLetters(String source, String reason, int n) {
    Counter.builder(MeterNames.DEAD_LETTER)
        .description("Records that could not be processed, by reason")
        .tag(MeterNames.TAG_SOURCE, source)
        .tag(MeterNames.TAG_REASON, reason)
        .tag(MeterNames.TAG_PIPELINE, pipeline)
        .register(registry)
        .increment(n);
  }

  public Counter sinkErrors(String sink) {
    return Counter.builder(MeterNames.SINK_ERRORS)
        .description("Sink batches that failed to be written")
        .tag(MeterNames.TAG_PIPELINE, pipeline)
        .tag(MeterNames.TAG_SINK, sink)
        .register(registry);
  }
}
