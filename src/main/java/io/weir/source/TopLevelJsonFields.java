package io.weir.source;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonPointer;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.StreamReadFeature;
import io.weir.event.StreamEvent;
import java.io.IOException;
import java.nio.charset.StandardCharsets;

/**
 * The fast path of {@link LineParser} for JSONL whose key, timestamp, value and id fields are all
 * top-level names (JSON pointers of one segment, the common case): streams the line with a
 * Jackson {@link JsonParser}, reads only those four fields, skips every other value without
 * building it, and keeps the raw line as the event's payload instead of a tree.
 *
 * <p>It answers only the plain case — a JSON object whose fields hold a string or integer key,
 * an integer (fits a long) or string timestamp, a number or string value, and a string, integer
 * or boolean id — and returns null for everything else (malformed JSON, a missing or unusual
 * field, any failure), so that {@link LineParser} parses the line again with the tree and gives
 * exactly the tree's event or failure. Failures are rare, so that second parse costs nothing,
 * and it keeps the failure reasons, details and dead-letter payloads (the parsed object) of the
 * tree path by construction. {@code LineParserDifferentialTest} checks both paths agree.
 *
 * <p>Duplicate names: the last occurrence of a field wins, as in Jackson's tree (an {@code
 * ObjectNode} replaces the earlier value). The whole object is read, so a line that is
 * malformed after the fields of interest is rejected (by the tree path) as before; what follows
 * the closing brace of the object is not read, as Jackson's {@code readTree} does not read it.
 *
 * <p>Single-threaded (one per partition, like {@link LineParser}).
 */
final class TopLevelJsonFields {
  /**
   * Jackson's defaults (those of the tree path's {@code ObjectMapper}) plus its fast double
   * parser, which gives the same, correctly rounded, doubles as {@code Double.parseDouble}.
   */
  private static final JsonFactory FACTORY =
      JsonFactory.builder().enable(StreamReadFeature.USE_FAST_DOUBLE_PARSER).build();

  private final String keyName;
  private final String timestampName;
  private final String valueName;
  private final String idName;

  // The fields of the line being read: mutable reuse on the source's hot path (one instance per
  // partition, one line at a time), so that reading a line allocates only what the event keeps.
  private String key;
  private long timestamp;
  private double value;
  private String id;

  private TopLevelJsonFields(String key, String timestamp, String value, String id) {
    this.keyName = key;
    this.timestampName = timestamp;
    this.valueName = value;
    this.idName = id;
  }

  /**
   * The fast path for these pointers, or null when one of them goes deeper than the top level
   * (those lines keep the tree path).
   *
   * @param id null when the source reads no id
   */
  static TopLevelJsonFields of(
      JsonPointer key, JsonPointer timestamp, JsonPointer value, JsonPointer id) {
    if (!topLevel(key) || !topLevel(timestamp) || !topLevel(value) || (id != null && !topLevel(id))) {
      return null;
    }
    return new TopLevelJsonFields(
        key.getMatchingProperty(),
        timestamp.getMatchingProperty(),
        value.getMatchingProperty(),
        id == null ? null : id.getMatchingProperty());
  }

  private static boolean topLevel(JsonPointer pointer) {
    return !pointer.matches() && pointer.tail() != null && pointer.tail().matches();
  }

  /** The event of {@code line}, or null when the tree path must decide. */
  StreamEvent read(String line, int partition, long offset) {
    try (JsonParser p = FACTORY.createParser(line)) {
      if (!readFields(p)) {
        return null;
      }
    } catch (IOException | RuntimeException e) {
      // Malformed JSON or a number Jackson refuses: the tree path says why.
      return null;
    }
    return new StreamEvent(id, key, timestamp, value, partition, offset, line);
  }

  /**
   * The event of the ASCII line {@code bytes[start, start + length)}, parsed from the bytes
   * without decoding a {@code String} first (the line becomes one only as the event's payload),
   * or null when the tree path must decide. ASCII only: for other bytes Jackson's UTF-8 decoding
   * and Java's (which the tree path sees) may differ on malformed input.
   */
  StreamEvent readAscii(byte[] bytes, int start, int length, int partition, long offset) {
    try (JsonParser p = FACTORY.createParser(bytes, start, length)) {
      if (!readFields(p)) {
        return null;
      }
    } catch (IOException | RuntimeException e) {
      return null;
    }
    String line = new String(bytes, start, length, StandardCharsets.ISO_8859_1);
    return new StreamEvent(id, key, timestamp, value, partition, offset, line);
  }

  /**
   * Reads the object's fields into {@link #key}, {@link #timestamp}, {@link #value} and {@link
   * #id}; false when the line needs the tree path.
   */
  private boolean readFields(JsonParser p) throws IOException {
    // Per field: the extracted value of its last occurrence, or a flag that it needs the tree.
    key = null;
    boolean timestampOk = false;
    timestamp = 0;
    boolean valueOk = true;
    value = Double.NaN;
    boolean idOk = true;
    id = null;
    if (p.nextToken() != JsonToken.START_OBJECT) {
      return false;
    }
    JsonToken t;
    while ((t = p.nextToken()) == JsonToken.FIELD_NAME) {
      String name = p.currentName();
      JsonToken v = p.nextToken();
      boolean used = false;
      if (name.equals(keyName)) {
        key = text(p, v);
        used = true;
      }
      if (name.equals(timestampName)) {
        timestampOk = false;
        if (v == JsonToken.VALUE_NUMBER_INT && p.getNumberType() != JsonParser.NumberType.BIG_INTEGER) {
          timestamp = p.getLongValue();
          timestampOk = true;
        } else if (v == JsonToken.VALUE_STRING) {
          Long parsed = LineParser.timestampText(p.getText());
          if (parsed != null) {
            timestamp = parsed;
            timestampOk = true;
          }
        }
        used = true;
      }
      if (name.equals(valueName)) {
        valueOk = true;
        if (v == JsonToken.VALUE_NULL) {
          value = Double.NaN;
        } else if (v == JsonToken.VALUE_NUMBER_INT && p.getNumberType() != JsonParser.NumberType.BIG_INTEGER) {
          value = p.getLongValue();
        } else if (v == JsonToken.VALUE_NUMBER_FLOAT) {
          value = p.getDoubleValue();
          valueOk = !Double.isInfinite(value);
        } else if (v == JsonToken.VALUE_STRING) {
          String s = p.getText();
          if (s.isBlank()) {
            value = Double.NaN;
          } else {
            try {
              value = Double.parseDouble(s.trim());
              valueOk = !Double.isInfinite(value);
            } catch (NumberFormatException e) {
              valueOk = false;
            }
          }
        } else {
          valueOk = false;
        }
        used = true;
      }
      if (idName != null && name.equals(idName)) {
        if (v == JsonToken.VALUE_NULL) {
          id = null;
          idOk = true;
        } else {
          id = text(p, v);
          idOk = id != null;
        }
        used = true;
      }
      if (!used || v.isStructStart()) {
        p.skipChildren();
      }
    }
    return t == JsonToken.END_OBJECT && key != null && timestampOk && valueOk && idOk;
  }

  /**
   * A scalar as the tree's {@code asText()} would give it, for the kinds whose text is plain
   * (strings, integers that fit a long, booleans); null for the rest (the tree decides).
   */
  private static String text(JsonParser p, JsonToken v) throws IOException {
    return switch (v) {
      case VALUE_STRING -> p.getText();
      case VALUE_NUMBER_INT -> p.getNumberType() == JsonParser.NumberType.BIG_INTEGER ? null : Long.toString(p.getLongValue());
      case VALUE_TRUE -> "true";
      case VALUE_FALSE -> "false";
      default -> null;
    };
  }
}
