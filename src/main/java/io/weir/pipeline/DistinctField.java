package io.weir.pipeline;

import com.fasterxml.jackson.core.JsonPointer;
import com.fasterxml.jackson.databind.JsonNode;
import io.weir.event.StreamEvent;

/**
 * Reads the field whose distinct values {@code distinct_count} counts: {@code key}, {@code id}
 * or {@code value} of the event itself, or a JSON pointer (or top-level name) into its parsed
 * payload. Thread-safe.
 */
final class DistinctField {
  private final String field;
  private final JsonPointer pointer;

  DistinctField(String field) {
    this.field = field;
    this.pointer = JsonPointer.compile(field.startsWith("/") ? field : "/" + field.replace("~", "~0").replace("/", "~1"));
  }

  /** The event's value of the field as text, or null when it has none. */
  String of(StreamEvent e) {
    if (e.payload() instanceof JsonNode node) {
      JsonNode v = node.at(pointer);
      if (!v.isMissingNode() && !v.isNull()) {
        return v.isValueNode() ? v.asText() : v.toString();
      }
    }
    return switch (field) {
      case "key", "/key" -> e.key();
      case "id", "/id" -> e.id();
      case "value", "/value" -> Double.isNaN(e.value()) ? null : Double.toString(e.value());
      default -> null;
    };
  }
}
