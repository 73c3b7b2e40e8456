package io.weir.config;

import java.util.Locale;

/** Aggregations a window can compute; the lower-case name is the config word and JSON field. */
public enum AggregationKind {
  COUNT,
  SUM,
  MIN,
  MAX,
  AVG,
  /** Value of the earliest event of the window by event time. */
  FIRST,
  /** Value of the latest event of the window by event time. */
  LAST,
  /** Approximate median of the values (DataSketches KLL). */
  P50,
  /** Approximate 95th percentile of the values. */
  P95,
  /** Approximate 99th percentile of the values. */
  P99,
  /** Approximate number of distinct values of the pipeline's {@code distinct_field} (HLL). */
  DISTINCT_COUNT;

  /** True for the sketch-based quantiles. */
  public boolean isQuantile() {
    return this == P50 || this == P95 || this == P99;
  }

  public String fieldName() {
    return name().toLowerCase(Locale.ROOT);
  }
}
