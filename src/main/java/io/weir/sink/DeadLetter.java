package io.weir.sink;

import com.fasterxml.jackson.core.JsonGenerator;
import io.weir.event.StreamEvent;
import java.io.IOException;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A record that could not be processed, or a late event dropped by a window (DESIGN.md §3).
 *
 * @param payload the original event as a JSON-serialisable value when it parsed, else the raw
 *     text
 * @param pipeline the pipeline that dropped it, or null for a source-level failure
 * @param lateness ledger fields for {@code reason: late}, else null
 */
public record DeadLetter(
    String reason,
    String detail,
    Object payload,
    String source,
    int partition,
    long offset,
    String pipeline,
    Lateness lateness)
    implements SinkRecord {

  /**
   * Why a late event was dropped.
   *
   * @param windowEnd end of the latest window it missed
   * @param lateByMs how far the watermark was past that window's last timestamp plus lateness
   */
  public record Lateness(long eventTime, long watermark, long windowEnd, long lateByMs) {}

  /** An event as a dead-letter payload: {@code id, key, timestamp, value} in that order. */
  public static Map<String, Object> eventPayload(StreamEvent e) {
    Map<String, Object> payload = new LinkedHashMap<>();
    payload.put("id", e.id());
    payload.put("key", e.key());
    payload.put("timestamp", e.timestamp());
    payload.put("value", Double.isNaN(e.value()) ? null : e.value());
    return payload;
  }

  @Override
  public void writeJson(JsonGenerator json) throws IOException {
    json.writeStartObject();
    json.writeStringField("reason", reason);
    json.writeStringField("detail", detail);
    json.writeFieldName("payload");
    json.writeObject(payload);
    json.writeStringField("source", source);
    json.writeNumberField("partition", partition);
    json.writeNumberField("offset", offset);
    json.writeStringField("pipeline", pipeline);
    if (lateness != null) {
      json.writeNumberField("event_time", lateness.eventTime());
      json.writeNumberField("watermark", lateness.watermark());
      json.writeNumberField("window_end", lateness.windowEnd());
      json.writeNumberField("late_by_ms", lateness.lateByMs());
    }
    json.writeEndObject();
  }
}
