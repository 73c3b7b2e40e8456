package io.weir.sink;

import com.fasterxml.jackson.core.JsonGenerator;
import io.weir.config.AggregationKind;
import java.io.IOException;
import java.util.List;

/**
 * One firing of one key's window (DESIGN.md §3). Only the configured aggregations are written,
 * in the configured order; min/max/avg of a window without values are written as null (NaN
 * here). {@code quantiles} holds p50, p95, p99 (NaN when not computed).
 */
public record WindowResult(
    String pipeline,
    String key,
    String windowType,
    long windowStart,
    long windowEnd,
    long count,
    double sum,
    double min,
    double max,
    double avg,
    double first,
    double last,
    double[] quantiles,
    double distinctCount,
    List<AggregationKind> aggregations,
    boolean isUpdate,
    int paneIndex,
    String timing,
    boolean isFinal,
    long watermark)
    implements SinkRecord {

  /** No quantiles computed. */
  public static final double[] NO_QUANTILES = {Double.NaN, Double.NaN, Double.NaN};

  @Override
  public void writeJson(JsonGenerator json) throws IOException {
    json.writeStartObject();
    json.writeStringField("pipeline", pipeline);
    json.writeStringField("key", key);
    json.writeStringField("window_type", windowType);
    json.writeNumberField("window_start", windowStart);
    json.writeNumberField("window_end", windowEnd);
    for (AggregationKind kind : aggregations) {
      switch (kind) {
        case COUNT -> json.writeNumberField("count", count);
        case SUM -> json.writeNumberField("sum", sum);
        case MIN -> writeNumberOrNull(json, "min", min);
        case MAX -> writeNumberOrNull(json, "max", max);
        case AVG -> writeNumberOrNull(json, "avg", avg);
        case FIRST -> writeNumberOrNull(json, "first", first);
        case LAST -> writeNumberOrNull(json, "last", last);
        case P50 -> writeNumberOrNull(json, "p50", quantiles[0]);
        case P95 -> writeNumberOrNull(json, "p95", quantiles[1]);
        case P99 -> writeNumberOrNull(json, "p99", quantiles[2]);
        case DISTINCT_COUNT -> json.writeNumberField("distinct_count", (long) distinctCount);
      }
    }
    json.writeBooleanField("is_update", isUpdate);
    json.writeNumberField("pane_index", paneIndex);
    json.writeStringField("timing", timing);
    json.writeBooleanField("is_final", isFinal);
    json.writeNumberField("watermark", watermark);
    json.writeEndObject();
  }

  private static void writeNumberOrNull(JsonGenerator json, String field, double v)
      throws IOException {
    if (Double.isNaN(v)) {
      json.writeNullField(field);
    } else {
      json.writeNumberField(field, v);
    }
  }
}
