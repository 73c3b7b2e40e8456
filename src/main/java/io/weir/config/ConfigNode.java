package io.weir.config;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Locale;

/**
 * One mapping of the configuration tree, with its key path, read as typed values.
 *
 * <p>Every reader reports a bad value as a problem {@code "<path>: <message>"} into the shared
 * problem list and returns a fallback (the default, or null), so that one parse run finds all
 * problems. Callers therefore never see an exception; they see the problem list grow. A key that is
 * absent takes the default; a key that is present with {@code null} is an error unless the reader
 * is one of the {@code nullable} ones.
 *
 * <p>Not thread-safe; one parse run owns it.
 */
final class ConfigNode {
  private static final long MAX_SAFE_MILLIS = Long.MAX_VALUE / 2;

  private final JsonObject json;
  private final String path;
  private final List<String> problems;

  ConfigNode(JsonObject json, String path, List<String> problems) {
    this.json = json;
    this.path = path;
    this.problems = problems;
  }

  /** The key path of this mapping; empty for the root. */
  String path() {
    return path;
  }

  /** The full path of {@code key} inside this mapping. */
  String pathOf(String key) {
    return path.isEmpty() ? key : path + "." + key;
  }

  boolean has(String key) {
    return json.containsKey(key);
  }

  /** The raw JSON value of {@code key} (JsonObject, JsonArray, String, Number, Boolean or null). */
  Object raw(String key) {
    return json.getValue(key);
  }

  /** Records a problem about {@code key} of this mapping. */
  void problem(String key, String message) {
    problems.add(pathOf(key) + ": " + message);
  }

  /** Records a problem about this mapping as a whole. */
  void problem(String message) {
    problems.add(path + ": " + message);
  }

  /** Records a problem whose text is complete, path included. */
  void problemText(String text) {
    problems.add(text);
  }

  /**
   * Reports every key not in {@code known}.
   *
   * @param context inserted after "unknown key", e.g. {@code " for a mock source"}, or empty
   */
  void rejectUnknownKeys(Collection<String> known, String context) {
    for (String key : json.fieldNames()) {
      if (!known.contains(key)) {
        problem(key, "unknown key" + context + " (known: " + String.join(", ", known) + ")");
      }
    }
  }

  // ---------------------------------------------------------------- strings

  /** A non-blank string; absent gives {@code def}. */
  String string(String key, String def) {
    return has(key) ? presentString(key, false) : def;
  }

  /** A non-blank string or null; absent gives null. */
  String nullableString(String key) {
    return has(key) ? presentString(key, true) : null;
  }

  /** A non-blank string that must be present; null if it is missing or bad. */
  String requiredString(String key) {
    if (!has(key) || raw(key) == null) {
      problem(key, "required");
      return null;
    }
    return presentString(key, false);
  }

  private String presentString(String key, boolean nullable) {
    Object value = raw(key);
    if (value == null && nullable) {
      return null;
    }
    if (!(value instanceof String text)) {
      typeProblem(key, "a string", value);
      return null;
    }
    if (text.isBlank()) {
      problem(key, "must not be blank" + (nullable ? " (use null to leave it unset)" : ""));
      return null;
    }
    return text;
  }

  // ---------------------------------------------------------------- integers

  /** An integral value in {@code [min, max]}; absent gives {@code def}. */
  long integer(String key, long def, long min, long max) {
    if (!has(key)) {
      return def;
    }
    Long value = presentInteger(key, min, max, false);
    return value == null ? def : value;
  }

  /** An integral value in {@code [min, max]}, or null; absent gives {@code def}. */
  Long nullableInteger(String key, Long def, long min, long max) {
    return has(key) ? presentInteger(key, min, max, true) : def;
  }

  private Long presentInteger(String key, long min, long max, boolean nullable) {
    Object value = raw(key);
    if (value == null && nullable) {
      return null;
    }
    if (!isIntegral(value)) {
      typeProblem(key, "an integer", value);
      return null;
    }
    BigDecimal exact = new BigDecimal(value.toString());
    if (exact.compareTo(BigDecimal.valueOf(min)) < 0
        || exact.compareTo(BigDecimal.valueOf(max)) > 0) {
      problem(key, rangeText(min, max, exact.signum() > 0) + ", got " + describe(value));
      return null;
    }
    return exact.longValueExact();
  }

  /** Whether {@code value} is a number without a fractional part (2 and 2.0, not 2.5). */
  static boolean isIntegral(Object value) {
    if (value instanceof Integer
        || value instanceof Long
        || value instanceof Short
        || value instanceof Byte
        || value instanceof BigInteger) {
      return true;
    }
    if (value instanceof Double || value instanceof Float) {
      double d = ((Number) value).doubleValue();
      return Double.isFinite(d) && d == Math.rint(d);
    }
    return value instanceof BigDecimal decimal && decimal.stripTrailingZeros().scale() <= 0;
  }

  /**
   * "must be > 0", "must be >= 0", "must be between 1 and 1024" or, for a value above an
   * unbounded-looking maximum, "must be at most 2147483647".
   */
  static String rangeText(long min, long max, boolean tooLarge) {
    boolean unboundedAbove = max >= Integer.MAX_VALUE;
    if (unboundedAbove && tooLarge) {
      return "must be at most " + max;
    }
    if (!unboundedAbove) {
      return "must be between " + min + " and " + max;
    }
    return min == 1 ? "must be > 0" : "must be >= " + min;
  }

  /**
   * One word out of {@code known}, matched case-insensitively and returned in its lower-case
   * canonical form; absent gives {@code def}, or is a problem when {@code def} is null.
   *
   * @param what names the kind of word in messages, e.g. {@code "window type"}
   */
  String choice(String key, List<String> known, String what, String def) {
    String knownText = " (known: " + String.join(", ", known) + ")";
    if (!has(key) && def != null) {
      return def;
    }
    if (!has(key) || raw(key) == null) {
      problem(key, "required" + knownText);
      return null;
    }
    String text = presentString(key, false);
    if (text == null) {
      return null;
    }
    String word = word(text);
    if (!known.contains(word)) {
      problem(key, "unknown " + what + " '" + text + "'" + knownText);
      return null;
    }
    return word;
  }

  // ---------------------------------------------------------------- numbers and booleans

  /**
   * A finite number above {@code min} ({@code exclusive}) or at least {@code min}; absent gives
   * {@code def}. Pass {@code Double.NEGATIVE_INFINITY} for no lower bound.
   */
  double number(String key, double def, double min, boolean exclusive) {
    if (!has(key)) {
      return def;
    }
    Object value = raw(key);
    if (!(value instanceof Number number) || !Double.isFinite(number.doubleValue())) {
      typeProblem(key, "a number", value);
      return def;
    }
    double d = number.doubleValue();
    if (exclusive ? d <= min : d < min) {
      problem(
          key,
          "must be " + (exclusive ? "> " : ">= ") + formatNumber(min) + ", got " + describe(value));
      return def;
    }
    return d;
  }

  /** {@code true} or {@code false}; absent gives {@code def}. */
  boolean bool(String key, boolean def) {
    if (!has(key)) {
      return def;
    }
    Object value = raw(key);
    if (!(value instanceof Boolean b)) {
      typeProblem(key, "true or false", value);
      return def;
    }
    return b;
  }

  // ---------------------------------------------------------------- durations

  /**
   * A duration in milliseconds given as a value in {@code key} that the user wrote, for the
   * messages that compare two durations.
   *
   * @param key the key it was read from ({@code size_ms} or {@code size_seconds})
   * @param shown the value as written, for messages
   */
  record Millis(long value, String key, String shown) {}

  /**
   * A duration that may be written as {@code msKey} (an integer of milliseconds) or {@code
   * secondsKey} (a number of seconds, converted to whole milliseconds), but not both.
   *
   * @param minMs smallest allowed value in milliseconds (0 or 1)
   * @param required whether a missing duration is a problem
   * @param def the value in milliseconds when both keys are absent and not {@code required}
   * @return the duration, or null when it is missing and required, or bad (reported either way)
   */
  Millis millis(String msKey, String secondsKey, long minMs, boolean required, long def) {
    if (has(msKey) && has(secondsKey)) {
      problem(
          secondsKey, "both " + secondsKey + " and " + msKey + " are set; set only one of them");
      return null;
    }
    if (has(secondsKey)) {
      return seconds(secondsKey, minMs);
    }
    if (has(msKey)) {
      Long ms = presentInteger(msKey, minMs, Long.MAX_VALUE, false);
      return ms == null ? null : new Millis(ms, msKey, describe(raw(msKey)));
    }
    if (required) {
      problem(msKey, "required (or " + secondsKey + ")");
      return null;
    }
    return new Millis(def, msKey, Long.toString(def));
  }

  private Millis seconds(String key, long minMs) {
    Object value = raw(key);
    if (!(value instanceof Number number) || !Double.isFinite(number.doubleValue())) {
      typeProblem(key, "a number of seconds", value);
      return null;
    }
    double seconds = number.doubleValue();
    if (minMs > 0 ? seconds <= 0 : seconds < 0) {
      problem(key, (minMs > 0 ? "must be > 0" : "must be >= 0") + ", got " + describe(value));
      return null;
    }
    double ms = seconds * 1000;
    if (ms > MAX_SAFE_MILLIS) {
      problem(key, "is too large, got " + describe(value));
      return null;
    }
    if (ms != Math.rint(ms)) {
      problem(key, "must be a whole number of milliseconds, got " + describe(value) + " s");
      return null;
    }
    return new Millis((long) ms, key, describe(value));
  }

  // ---------------------------------------------------------------- structure

  /**
   * The mapping under {@code key}; an absent key gives an empty mapping (all defaults), a
   * non-mapping value is reported and also gives an empty mapping.
   */
  ConfigNode section(String key) {
    Object value = raw(key);
    if (has(key) && !(value instanceof JsonObject)) {
      typeProblem(key, "a mapping of keys", value);
    }
    JsonObject child = value instanceof JsonObject object ? object : new JsonObject();
    return new ConfigNode(child, pathOf(key), problems);
  }

  /** A list, or null when absent; a non-list value is reported and gives null. */
  JsonArray list(String key) {
    Object value = raw(key);
    if (!has(key)) {
      return null;
    }
    if (!(value instanceof JsonArray array)) {
      typeProblem(key, "a list", value);
      return null;
    }
    return array;
  }

  /**
   * The mappings of the list under {@code key}, each with its path {@code key[i]}; entries that are
   * not mappings are reported and left out. Absent gives an empty list.
   */
  List<ConfigNode> mappings(String key) {
    JsonArray array = list(key);
    List<ConfigNode> nodes = new ArrayList<>();
    if (array == null) {
      return nodes;
    }
    for (int i = 0; i < array.size(); i++) {
      String entryPath = pathOf(key) + "[" + i + "]";
      Object entry = array.getValue(i);
      if (entry instanceof JsonObject object) {
        nodes.add(new ConfigNode(object, entryPath, problems));
      } else {
        problems.add(entryPath + ": expected a mapping of keys, got " + describe(entry));
      }
    }
    return nodes;
  }

  // ---------------------------------------------------------------- messages

  /** Records "expected X, got Y" for {@code key}. */
  void typeProblem(String key, String expected, Object value) {
    problem(key, "expected " + expected + ", got " + describe(value));
  }

  /**
   * A value as the user would recognise it: strings in double quotes, numbers and booleans as
   * written, null as {@code null}, mappings and lists as JSON.
   */
  static String describe(Object value) {
    if (value == null) {
      return "null";
    }
    if (value instanceof String text) {
      return '"' + text + '"';
    }
    if (value instanceof JsonObject object) {
      return object.encode();
    }
    if (value instanceof JsonArray array) {
      return array.encode();
    }
    if (value instanceof Double || value instanceof Float) {
      return formatNumber(((Number) value).doubleValue());
    }
    return value.toString();
  }

  /** A double as written in a config file: 100 rather than 100.0, 0.0005 rather than 5.0E-4. */
  static String formatNumber(double d) {
    if (d == Math.rint(d) && Math.abs(d) < 1e15) {
      return Long.toString((long) d);
    }
    return Double.isFinite(d)
        ? BigDecimal.valueOf(d).stripTrailingZeros().toPlainString()
        : Double.toString(d);
  }

  /** Lower-case form used to match words such as window types and backends. */
  static String word(String text) {
    return text.trim().toLowerCase(Locale.ROOT);
  }
}
