package io.weir.config;

import java.util.List;

/**
 * One pipeline: a source, keyBy on the event key, one window spec, aggregations, sinks.
 *
 * @param parallelism operator partitions for this pipeline (from {@code processing.parallelism}
 *     unless overridden)
 * @param lateSink sink id for late events dropped by the window, or null to drop them (they are
 *     still counted)
 */
public record PipelineConfig(
    String id,
    String source,
    WindowConfig window,
    List<AggregationKind> aggregations,
    List<String> sinks,
    String lateSink,
    int parallelism) {

  public PipelineConfig {
    aggregations = List.copyOf(aggregations);
    sinks = List.copyOf(sinks);
  }
}
