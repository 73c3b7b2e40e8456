package io.weir.config;

import java.util.List;

/**
 * One pipeline: a source, keyBy on the event key, one window spec, aggregations, sinks.
 *
 * @param parallelism operator partitions for this pipeline (from {@code processing.parallelism}
 *     unless overridden)
 * @param lateSink sink id for late events dropped by the window, or null to drop them (they are
 *     still counted)
 * @param distinctField the field whose distinct values {@code distinct_count} counts: a JSON
 *     pointer into the event ({@code /user}), or {@code key}/{@code id}/{@code value}; null when
 *     not used
 * @param dedupHorizonMs when set, an event whose id this pipeline already saw with an event time
 *     within this many milliseconds (until the watermark passes that time plus the horizon) is
 *     dropped as a duplicate; null: no deduplication. Events without an id are never dropped.
 */
public record PipelineConfig(
    String id,
    String source,
    WindowConfig window,
    List<AggregationKind> aggregations,
    List<String> sinks,
    String lateSink,
    int parallelism,
    String distinctField,
    Long dedupHorizonMs) {

  /** A pipeline without deduplication. */
  public PipelineConfig(
      String id,
      String source,
      WindowConfig window,
      List<AggregationKind> aggregations,
      List<String> sinks,
      String lateSink,
      int parallelism,
      String distinctField) {
    this(id, source, window, aggregations, sinks, lateSink, parallelism, distinctField, null);
  }

  /** A pipeline without a distinct-count field. */
  public PipelineConfig(
      String id,
      String source,
      WindowConfig window,
      List<AggregationKind> aggregations,
      List<String> sinks,
      String lateSink,
      int parallelism) {
    this(id, source, window, aggregations, sinks, lateSink, parallelism, null);
  }

  public PipelineConfig {
    aggregations = List.copyOf(aggregations);
    sinks = List.copyOf(sinks);
  }
}
