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
  LAST;

  public String fieldName() {
    return name().toLowerCase(Locale.ROOT);
  }
}
