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

  /** The byte-level scanner for the plainest lines, or null when a field name is not ASCII. */
  private final FlatScanner scanner;

  private TopLevelJsonFields(String key, String timestamp, String value, String id) {
    this.scanner = FlatScanner.of(key, timestamp, value, id);
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
    if (scanner != null && scanner.scan(bytes, start, length)) {
      String line = new String(bytes, start, length, StandardCharsets.ISO_8859_1);
      return new StreamEvent(scanner.id, scanner.key, scanner.timestamp, scanner.value, partition, offset, line);
    }
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

  /**
   * A scanner of the plainest JSONL lines, straight over ASCII bytes, with no parser object per
   * line: a flat object whose values are strings without escapes, numbers, {@code true}, {@code
   * false} or {@code null}. It validates every value it passes (JSON's number grammar, no control
   * characters in strings) and answers false — Jackson decides — for anything else: an escape, a
   * nested object or array, an integer beyond a long, a string timestamp or value, malformed
   * input. Where it answers, it gives what the Jackson path gives (same field rules, last
   * occurrence wins, doubles from {@code Double.parseDouble}, which Jackson's fast parser
   * matches); {@code LineParserDifferentialTest} checks it.
   */
  static final class FlatScanner {
    private final byte[] keyName;
    private final byte[] timestampName;
    private final byte[] valueName;
    private final byte[] idName;
    private byte[] b;
    private int pos;
    private int end;
    String key;
    long timestamp;
    double value;
    String id;

    private FlatScanner(byte[] key, byte[] timestamp, byte[] value, byte[] id) {
      this.keyName = key;
      this.timestampName = timestamp;
      this.valueName = value;
      this.idName = id;
    }

    static FlatScanner of(String key, String timestamp, String value, String id) {
      for (String name : new String[] {key, timestamp, value, id}) {
        if (name != null && !name.chars().allMatch(c -> c >= 0x20 && c < 0x7F && c != '"' && c != '\\')) {
          return null;
        }
      }
      return new FlatScanner(
          key.getBytes(StandardCharsets.US_ASCII),
          timestamp.getBytes(StandardCharsets.US_ASCII),
          value.getBytes(StandardCharsets.US_ASCII),
          id == null ? null : id.getBytes(StandardCharsets.US_ASCII));
    }

    /** Names and numbers longer than this go to Jackson, which enforces its own limits. */
    private static final int MAX_PLAIN_LENGTH = 100;

    // Kinds of scalar.
    private static final int STRING = 1;
    private static final int INT = 2;
    private static final int FLOAT = 3;
    private static final int TRUE = 4;
    private static final int FALSE = 5;
    private static final int NULL = 6;

    /** True when the line was read completely and every field is plain. */
    boolean scan(byte[] bytes, int start, int length) {
      b = bytes;
      pos = start;
      end = start + length;
      key = null;
      boolean timestampOk = false;
      timestamp = 0;
      boolean valueOk = true;
      value = Double.NaN;
      boolean idOk = true;
      id = null;
      skipWhitespace();
      if (pos >= end || b[pos++] != '{') {
        return false;
      }
      skipWhitespace();
      if (pos < end && b[pos] == '}') {
        return false; // no fields: the tree says which is missing
      }
      while (true) {
        if (pos >= end || b[pos] != '"') {
          return false;
        }
        int nameStart = pos + 1;
        int nameEnd = stringEnd(nameStart);
        if (nameEnd < 0 || nameEnd - nameStart > MAX_PLAIN_LENGTH) {
          return false; // Jackson has limits on long names: it decides
        }
        pos = nameEnd + 1;
        skipWhitespace();
        if (pos >= end || b[pos++] != ':') {
          return false;
        }
        skipWhitespace();
        int valueStart = pos;
        int kind = scalar();
        if (kind == 0) {
          return false;
        }
        int valueEnd = pos;
        if (is(keyName, nameStart, nameEnd)) {
          key = text(kind, valueStart, valueEnd);
          if (key == null && kind != NULL) {
            return false;
          }
        }
        if (is(timestampName, nameStart, nameEnd)) {
          if (kind != INT) {
            return false; // strings (ISO-8601) and the rest: Jackson decides
          }
          Long t = integer(valueStart, valueEnd);
          if (t == null) {
            return false;
          }
          timestamp = t;
          timestampOk = true;
        }
        if (is(valueName, nameStart, nameEnd)) {
          if (kind == NULL) {
            value = Double.NaN;
          } else if (kind == INT) {
            Long v = integer(valueStart, valueEnd);
            if (v == null) {
              return false;
            }
            value = v;
          } else if (kind == FLOAT) {
            value = decimal(valueStart, valueEnd);
            if (Double.isInfinite(value)) {
              return false;
            }
          } else {
            return false;
          }
          valueOk = true;
        }
        if (idName != null && is(idName, nameStart, nameEnd)) {
          if (kind == NULL) {
            id = null;
          } else {
            id = text(kind, valueStart, valueEnd);
            if (id == null) {
              return false;
            }
          }
          idOk = true;
        }
        skipWhitespace();
        if (pos >= end) {
          return false;
        }
        byte c = b[pos++];
        if (c == '}') {
          break;
        }
        if (c != ',') {
          return false;
        }
        skipWhitespace();
      }
      return key != null && timestampOk && valueOk && idOk;
    }

    /** A scalar's text as the tree's {@code asText()} gives it, for strings, longs and booleans. */
    private String text(int kind, int start, int stop) {
      switch (kind) {
        case STRING:
          return new String(b, start + 1, stop - start - 2, StandardCharsets.ISO_8859_1);
        case INT:
          Long v = integer(start, stop);
          return v == null ? null : Long.toString(v);
        case TRUE:
          return "true";
        case FALSE:
          return "false";
        default:
          return null;
      }
    }

    private static final double[] POWERS_OF_TEN = {
      1e0, 1e1, 1e2, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9, 1e10, 1e11, 1e12, 1e13, 1e14, 1e15, 1e16,
      1e17, 1e18, 1e19, 1e20, 1e21, 1e22
    };

    /**
     * The double of a decimal in {@code [start, stop)}. Plain decimals (no exponent, at most 15
     * digits) are one exact integer divided by an exact power of ten — a single correctly rounded
     * operation, so the result is {@code Double.parseDouble}'s (Clinger's fast path); the rest go
     * to {@code Double.parseDouble}.
     */
    private double decimal(int start, int stop) {
      boolean negative = b[start] == '-';
      long mantissa = 0;
      int digits = 0;
      int fraction = -1;
      for (int i = negative ? start + 1 : start; i < stop; i++) {
        byte c = b[i];
        if (c == '.') {
          fraction = 0;
        } else if (c >= '0' && c <= '9') {
          mantissa = mantissa * 10 + (c - '0');
          digits++;
          if (fraction >= 0) {
            fraction++;
          }
        } else {
          digits = Integer.MAX_VALUE; // an exponent
          break;
        }
      }
      if (digits <= 15 && fraction >= 0) {
        double v = mantissa / POWERS_OF_TEN[fraction];
        return negative ? -v : v;
      }
      return Double.parseDouble(new String(b, start, stop - start, StandardCharsets.ISO_8859_1));
    }

    /** The integer in {@code [start, stop)}, or null beyond a long. */
    private Long integer(int start, int stop) {
      int digits = stop - start - (b[start] == '-' ? 1 : 0);
      if (digits <= 18) {
        long v = 0;
        int i = b[start] == '-' ? start + 1 : start;
        for (; i < stop; i++) {
          v = v * 10 + (b[i] - '0');
        }
        return b[start] == '-' ? -v : v;
      }
      try {
        return Long.parseLong(new String(b, start, stop - start, StandardCharsets.ISO_8859_1));
      } catch (NumberFormatException e) {
        return null;
      }
    }

    /** Scans one scalar at {@link #pos}; its kind, or 0 when it is not a plain scalar. */
    private int scalar() {
      if (pos >= end) {
        return 0;
      }
      byte c = b[pos];
      if (c == '"') {
        int close = stringEnd(pos + 1);
        if (close < 0) {
          return 0;
        }
        pos = close + 1;
        return STRING;
      }
      if (c == '-' || (c >= '0' && c <= '9')) {
        int from = pos;
        int kind = number();
        // Jackson refuses numbers beyond its length limit: let it decide on long ones.
        return pos - from > MAX_PLAIN_LENGTH ? 0 : kind;
      }
      if (literal("true")) {
        return TRUE;
      }
      if (literal("false")) {
        return FALSE;
      }
      if (literal("null")) {
        return NULL;
      }
      return 0;
    }

    /** JSON's number grammar: -?(0|[1-9][0-9]*)(.[0-9]+)?([eE][+-]?[0-9]+)? */
    private int number() {
      int kind = INT;
      if (b[pos] == '-') {
        pos++;
      }
      if (pos >= end) {
        return 0;
      }
      if (b[pos] == '0') {
        pos++;
      } else if (b[pos] >= '1' && b[pos] <= '9') {
        while (pos < end && b[pos] >= '0' && b[pos] <= '9') {
          pos++;
        }
      } else {
        return 0;
      }
      if (pos < end && b[pos] == '.') {
        pos++;
        if (!digits()) {
          return 0;
        }
        kind = FLOAT;
      }
      if (pos < end && (b[pos] == 'e' || b[pos] == 'E')) {
        pos++;
        if (pos < end && (b[pos] == '+' || b[pos] == '-')) {
          pos++;
        }
        if (!digits()) {
          return 0;
        }
        kind = FLOAT;
      }
      // A number must end at a delimiter (Jackson rejects "12abc").
      if (pos < end && !(b[pos] == ',' || b[pos] == '}' || b[pos] == ']' || isWhitespace(b[pos]))) {
        return 0;
      }
      return kind;
    }

    private boolean digits() {
      int from = pos;
      while (pos < end && b[pos] >= '0' && b[pos] <= '9') {
        pos++;
      }
      return pos > from;
    }

    private boolean literal(String word) {
      int n = word.length();
      if (pos + n > end) {
        return false;
      }
      for (int i = 0; i < n; i++) {
        if (b[pos + i] != word.charAt(i)) {
          return false;
        }
      }
      int after = pos + n;
      if (after < end && !(b[after] == ',' || b[after] == '}' || b[after] == ']' || isWhitespace(b[after]))) {
        return false;
      }
      pos = after;
      return true;
    }

    /** Index of the closing quote of a string starting at {@code from}; -1 for an escape, a control character or no end. */
    private int stringEnd(int from) {
      for (int i = from; i < end; i++) {
        byte c = b[i];
        if (c == '"') {
          return i;
        }
        if (c == '\\' || c < 0x20) {
          return -1;
        }
      }
      return -1;
    }

    private boolean is(byte[] name, int start, int stop) {
      if (stop - start != name.length) {
        return false;
      }
      for (int i = 0; i < name.length; i++) {
        if (b[start + i] != name[i]) {
          return false;
        }
      }
      return true;
    }

    private void skipWhitespace() {
      while (pos < end && isWhitespace(b[pos])) {
        pos++;
      }
    }

    private static boolean isWhitespace(byte c) {
      return c == ' ' || c == '\t' || c == '\n' || c == '\r';
    }
  }
}
