package io.weir.pipeline;

import com.fasterxml.jackson.core.JsonPointer;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.weir.event.StreamEvent;

/**
 * Reads the field whose distinct values {@code distinct_count} counts: {@code key}, {@code id}
 * or {@code value} of the event itself, or a JSON pointer (or top-level name) into its parsed
 * payload. The payload is a Jackson tree, or the raw JSON line (the file source's fast path keeps
 * the line instead of a tree), which is parsed here when the field is read. Thread-safe.
 */
final class DistinctField {
  private static final ObjectMapper MAPPER = new ObjectMapper();
  private final String field;
  private final JsonPointer pointer;

  DistinctField(String field) {
    this.field = field;
    this.pointer = JsonPointer.compile(field.startsWith("/") ? field : "/" + field.replace("~", "~0").replace("/", "~1"));
  }

  /** The event's value of the field as text, or null when it has none. */
  String of(StreamEvent e) {
    JsonNode node = tree(e.payload());
    if (node != null) {
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

  private static JsonNode tree(Object payload) {
    if (payload instanceof JsonNode node) {
      return node;
    }
    if (payload instanceof String line) {
      try {
        return MAPPER.readTree(line);
      } catch (JsonProcessingException e) {
        // The source parsed this line already; a line it could not parse never becomes an event.
        return null;
      }
    }
    return null;
  }
}
