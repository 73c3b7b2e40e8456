package io.weir.source;

import com.fasterxml.jackson.core.JsonPointer;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.weir.config.FileSourceConfig;
import io.weir.event.StreamEvent;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Turns JSONL or CSV lines into events (DESIGN.md §3): key, timestamp (epoch ms, or ISO-8601 with
 * an offset), value (a number; absent means counted but not summed) and id, each found by a JSON
 * pointer or a top-level name (a CSV column). A line that is not an event yields a failure with a
 * reason: {@code invalid_json}, {@code invalid_csv}, {@code missing_key}, {@code
 * missing_timestamp}, {@code invalid_timestamp}, {@code invalid_value}. Single-threaded.
 */
final class LineParser {
  private static final ObjectMapper MAPPER = new ObjectMapper();

  private final FileSourceConfig config;
  private final JsonPointer key;
  private final JsonPointer timestamp;
  private final JsonPointer value;
  private final JsonPointer id;
  /** The streaming path for top-level fields, or null (CSV, or a nested pointer). */
  private final TopLevelJsonFields topLevel;
  private String[] header;

  LineParser(FileSourceConfig config) {
    this.config = config;
    this.key = pointer(config.keyField());
    this.timestamp = pointer(config.timestampField());
    this.value = pointer(config.valueField());
    this.id = config.idField() == null ? null : pointer(config.idField());
    this.topLevel =
        config.format() == FileSourceConfig.FileFormat.JSONL
            ? TopLevelJsonFields.of(key, timestamp, value, id)
            : null;
  }

  private static JsonPointer pointer(String field) {
    return JsonPointer.compile(field.startsWith("/") ? field : "/" + field.replace("~", "~0").replace("/", "~1"));
  }

  /** True while the next non-blank line is a CSV header this parser has not been given yet. */
  boolean awaitsHeader() {
    return config.format() == FileSourceConfig.FileFormat.CSV && header == null;
  }

  /** True for the CSV header line, which the parser keeps and which is not an event. */
  boolean consumeHeader(String line) {
    if (!awaitsHeader()) {
      return false;
    }
    header = Csv.split(line).toArray(String[]::new);
    return true;
  }

  /**
   * The event of {@code line} or why it is not one. With top-level fields the event's payload is
   * the raw line (a {@code String}); otherwise, and for every failure, the parsed tree.
   */
  ParsedLine parse(String line, int partition, long offset) {
    if (topLevel != null) {
      StreamEvent event = topLevel.read(line, partition, offset);
      if (event != null) {
        return ParsedLine.ok(event);
      }
    }
    return parseTree(line, partition, offset);
  }

  /**
   * The event of the ASCII JSONL line {@code bytes[start, start + length)} read straight from the
   * bytes, or null when the line must go through {@link #parse} (a failure, an unusual field,
   * nested pointers, CSV). Equal to what {@link #parse} gives for the decoded line when not null.
   */
  StreamEvent parseAscii(byte[] bytes, int start, int length, int partition, long offset) {
    return topLevel == null ? null : topLevel.readAscii(bytes, start, length, partition, offset);
  }

  /** {@link #parse} through a Jackson tree: the reference behaviour, and the path for nested pointers. */
  ParsedLine parseTree(String line, int partition, long offset) {
    JsonNode node;
    if (config.format() == FileSourceConfig.FileFormat.CSV) {
      List<String> fields = Csv.split(line);
      if (header == null || fields.size() != header.length) {
        return ParsedLine.failed(
            "invalid_csv",
            "expected " + (header == null ? 0 : header.length) + " fields, got " + fields.size(),
            line);
      }
      Map<String, String> row = new LinkedHashMap<>();
      for (int i = 0; i < header.length; i++) {
        row.put(header[i], fields.get(i));
      }
      node = MAPPER.valueToTree(row);
    } else {
      try {
        node = MAPPER.readTree(line);
      } catch (JsonProcessingException e) {
        // Some of Jackson's refusals (a number longer than its limit) carry no location.
        String where = e.getLocation() == null ? "" : " at column " + e.getLocation().getColumnNr();
        return ParsedLine.failed("invalid_json", e.getOriginalMessage() + where, line);
      }
      if (node == null || !node.isObject()) {
        return ParsedLine.failed("invalid_json", "expected a JSON object", line);
      }
    }
    return event(node, partition, offset);
  }

  private ParsedLine event(JsonNode node, int partition, long offset) {
    JsonNode k = node.at(key);
    if (k.isMissingNode() || k.isNull() || k.isContainerNode()) {
      return ParsedLine.failed("missing_key", "no " + config.keyField() + " field", node);
    }
    JsonNode t = node.at(timestamp);
    if (t.isMissingNode() || t.isNull()) {
      return ParsedLine.failed("missing_timestamp", "no " + config.timestampField() + " field", node);
    }
    long ts;
    if (t.isIntegralNumber() && t.canConvertToLong()) {
      ts = t.longValue();
    } else if (t.isTextual()) {
      Long parsed = timestampText(t.textValue());
      if (parsed == null) {
        return ParsedLine.failed(
            "invalid_timestamp",
            config.timestampField() + " '" + t.textValue().trim() + "' is neither epoch milliseconds nor ISO-8601 with an offset",
            node);
      }
      ts = parsed;
    } else {
      return ParsedLine.failed("invalid_timestamp", config.timestampField() + " must be epoch milliseconds or an ISO-8601 string, got " + t, node);
    }
    JsonNode v = node.at(value);
    double val = Double.NaN;
    if (!v.isMissingNode() && !v.isNull()) {
      if (v.isNumber()) {
        val = v.doubleValue();
      } else if (v.isTextual() && !v.textValue().isBlank()) {
        try {
          val = Double.parseDouble(v.textValue().trim());
        } catch (NumberFormatException e) {
          return ParsedLine.failed("invalid_value", config.valueField() + " '" + v.textValue() + "' is not a number", node);
        }
      } else if (!v.isTextual()) {
        return ParsedLine.failed("invalid_value", config.valueField() + " must be a number, got " + v, node);
      }
      if (Double.isInfinite(val)) {
        return ParsedLine.failed("invalid_value", config.valueField() + " is not finite", node);
      }
    }
    String eventId = null;
    if (id != null) {
      JsonNode i = node.at(id);
      eventId = i.isMissingNode() || i.isNull() ? null : i.asText();
    }
    return ParsedLine.ok(new StreamEvent(eventId, k.asText(), ts, val, partition, offset, node));
  }

  /** A textual timestamp as epoch milliseconds (digits, or ISO-8601 with an offset); null when it is neither. */
  static Long timestampText(String raw) {
    String text = raw.trim();
    try {
      return text.chars().allMatch(c -> c == '-' || Character.isDigit(c)) && !text.isEmpty()
          ? Long.parseLong(text)
          : OffsetDateTime.parse(text).toInstant().toEpochMilli();
    } catch (DateTimeParseException | NumberFormatException | ArithmeticException e) {
      return null;
    }
  }

  /** RFC 4180 fields of one line (quoted fields, doubled quotes; no line breaks inside fields). */
  static final class Csv {
    private Csv() {}

    static List<String> split(String line) {
      List<String> out = new ArrayList<>();
      StringBuilder field = new StringBuilder();
      boolean quoted = false;
      for (int i = 0; i < line.length(); i++) {
        char c = line.charAt(i);
        if (quoted) {
          if (c == '"') {
            if (i + 1 < line.length() && line.charAt(i + 1) == '"') {
              field.append('"');
              i++;
            } else {
              quoted = false;
            }
          } else {
            field.append(c);
          }
        } else if (c == '"') {
          quoted = true;
        } else if (c == ',') {
          out.add(field.toString());
          field.setLength(0);
        } else {
          field.append(c);
        }
      }
      out.add(field.toString());
      return out;
    }
  }
}
