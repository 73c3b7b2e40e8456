package io.weir.config;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * The key names of Weir's configuration that more than one step needs: the parser (known keys), the
 * {@code WEIR_*} environment mapping (key paths and value types) and the layer merge (keys that are
 * alternative spellings of one setting).
 *
 * <p>Only the scalar sections are described here; the keys of list entries (sources, sinks,
 * pipelines, windows) belong to the parser alone because the environment cannot set them.
 */
final class ConfigSchema {

  /** The type a scalar key holds; {@link #expected()} completes "expected ..." in messages. */
  enum ValueType {
    STRING("a string"),
    INTEGER("an integer"),
    NUMBER("a number"),
    BOOLEAN("true or false");

    private final String expected;

    ValueType(String expected) {
      this.expected = expected;
    }

    String expected() {
      return expected;
    }
  }

  /** A scalar key: its dotted path ({@code api.port}) and value type. */
  record ScalarKey(String path, ValueType type) {}

  /** Top-level keys in documentation order. */
  static final List<String> TOP_LEVEL_KEYS =
      List.of(
          "app_name",
          "api",
          "metrics",
          "processing",
          "state",
          "watermarks",
          "sources",
          "pipelines",
          "sinks",
          "windowing");

  private static final Map<String, Map<String, ValueType>> SECTIONS = sections();

  /**
   * Pairs of keys that spell the same setting ({@code delay_ms} / {@code delay_seconds}). A layer
   * that sets one of them removes the other from the layers below it, so a file saying {@code
   * delay_seconds: 5} overrides the default {@code delay_ms} instead of conflicting with it.
   */
  private static final Map<String, String> ALTERNATIVE_SPELLINGS =
      Map.ofEntries(
          Map.entry("delay_ms", "delay_seconds"),
          Map.entry("delay_seconds", "delay_ms"),
          Map.entry("queue_size", "buffer_size"),
          Map.entry("buffer_size", "queue_size"),
          Map.entry("size_ms", "size_seconds"),
          Map.entry("size_seconds", "size_ms"),
          Map.entry("slide_ms", "slide_seconds"),
          Map.entry("slide_seconds", "slide_ms"),
          Map.entry("gap_ms", "gap_seconds"),
          Map.entry("gap_seconds", "gap_ms"),
          Map.entry("allowed_lateness_ms", "allowed_lateness_seconds"),
          Map.entry("allowed_lateness_seconds", "allowed_lateness_ms"));

  private ConfigSchema() {}

  private static Map<String, Map<String, ValueType>> sections() {
    Map<String, Map<String, ValueType>> sections = new LinkedHashMap<>();
    sections.put(
        "api",
        ordered("host", ValueType.STRING, "port", ValueType.INTEGER, "token", ValueType.STRING));
    sections.put(
        "metrics",
        ordered("enabled", ValueType.BOOLEAN, "host", ValueType.STRING, "port", ValueType.INTEGER));
    Map<String, ValueType> processing = new LinkedHashMap<>();
    processing.put("parallelism", ValueType.INTEGER);
    processing.put("queue_size", ValueType.INTEGER);
    processing.put("batch_size", ValueType.INTEGER);
    processing.put("checkpoint_interval", ValueType.NUMBER);
    processing.put("shutdown_timeout_ms", ValueType.INTEGER);
    processing.put("buffer_size", ValueType.INTEGER);
    sections.put("processing", processing);
    Map<String, ValueType> state = new LinkedHashMap<>();
    state.put("backend", ValueType.STRING);
    state.put("dir", ValueType.STRING);
    state.put("checkpoint_dir", ValueType.STRING);
    state.put("retained", ValueType.INTEGER);
    state.put("ttl_ms", ValueType.INTEGER);
    state.put("cache_max_bytes", ValueType.INTEGER);
    state.put("flush_interval_ms", ValueType.INTEGER);
    sections.put("state", state);
    Map<String, ValueType> watermarks = new LinkedHashMap<>();
    watermarks.put("delay_ms", ValueType.INTEGER);
    watermarks.put("idle_timeout_ms", ValueType.INTEGER);
    watermarks.put("idle_advance_ms", ValueType.INTEGER);
    watermarks.put("max_future_ms", ValueType.INTEGER);
    watermarks.put("delay_seconds", ValueType.NUMBER);
    sections.put("watermarks", watermarks);
    return sections;
  }

  private static Map<String, ValueType> ordered(
      String k1, ValueType t1, String k2, ValueType t2, String k3, ValueType t3) {
    Map<String, ValueType> keys = new LinkedHashMap<>();
    keys.put(k1, t1);
    keys.put(k2, t2);
    keys.put(k3, t3);
    return keys;
  }

  /** Known keys of a scalar section, canonical spellings first, alternative spellings last. */
  static List<String> keysOf(String section) {
    return List.copyOf(SECTIONS.get(section).keySet());
  }

  /** The other spelling of {@code key}, if it has one. */
  static Optional<String> alternativeSpelling(String key) {
    return Optional.ofNullable(ALTERNATIVE_SPELLINGS.get(key));
  }

  /**
   * Every scalar key by its environment variable name: {@code WEIR_} followed by the key path in
   * upper case with dots turned into underscores ({@code WEIR_API_PORT} for {@code api.port}).
   * Iteration order is documentation order.
   */
  static Map<String, ScalarKey> environmentVariables() {
    Map<String, ScalarKey> variables = new LinkedHashMap<>();
    variables.put("WEIR_APP_NAME", new ScalarKey("app_name", ValueType.STRING));
    SECTIONS.forEach(
        (section, keys) ->
            keys.forEach(
                (key, type) ->
                    variables.put(
                        "WEIR_" + (section + "_" + key).toUpperCase(Locale.ROOT),
                        new ScalarKey(section + "." + key, type))));
    return variables;
  }
}
