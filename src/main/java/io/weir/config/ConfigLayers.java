package io.weir.config;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.time.Instant;
import java.util.Date;
import java.util.List;
import java.util.Map;

/**
 * Layering of configuration trees: a later layer's mappings merge key by key into the earlier
 * one's, its lists and scalars (and explicit nulls) replace what was there. A key that has an
 * alternative spelling ({@code delay_seconds} for {@code delay_ms}) removes the other spelling from
 * the earlier layer, so the later layer wins instead of conflicting.
 *
 * <p>Trees handled here hold only {@link JsonObject}, {@link JsonArray}, {@link String}, {@link
 * Number}, {@link Boolean} and null; {@link #normalize} makes them so.
 */
final class ConfigLayers {
  private ConfigLayers() {}

  /**
   * Merges {@code overlay} into {@code base}, modifying {@code base}; {@code overlay} is copied,
   * not shared.
   *
   * @return {@code base}
   */
  static JsonObject merge(JsonObject base, JsonObject overlay) {
    for (String key : overlay.fieldNames()) {
      put(base, key, overlay.getValue(key), overlay);
    }
    return base;
  }

  /**
   * Sets {@code key} of {@code target} to {@code value} with the layering rules: a mapping merges
   * into an existing mapping, anything else replaces, and the other spelling of the key is removed
   * unless {@code sameLayer} sets it too.
   */
  static void put(JsonObject target, String key, Object value, JsonObject sameLayer) {
    ConfigSchema.alternativeSpelling(key)
        .filter(other -> !sameLayer.containsKey(other))
        .ifPresent(target::remove);
    Object existing = target.getValue(key);
    if (value instanceof JsonObject overlay && existing instanceof JsonObject base) {
      merge(base, overlay);
    } else {
      target.put(key, normalize(value));
    }
  }

  /**
   * A deep copy of a YAML- or JSON-derived value using only JSON types: maps become {@link
   * JsonObject}s, lists {@link JsonArray}s, dates and instants ISO-8601 strings (YAML reads an
   * unquoted {@code 2024-01-01T00:00:00Z} as a timestamp).
   */
  static Object normalize(Object value) {
    if (value instanceof JsonObject object) {
      return normalizeMap(object.getMap());
    }
    if (value instanceof Map<?, ?> map) {
      return normalizeMap(map);
    }
    if (value instanceof JsonArray array) {
      return normalizeList(array.getList());
    }
    if (value instanceof List<?> list) {
      return normalizeList(list);
    }
    if (value instanceof Date date) {
      return date.toInstant().toString();
    }
    if (value instanceof Instant instant) {
      return instant.toString();
    }
    if (value == null || value instanceof Number || value instanceof Boolean) {
      return value;
    }
    return value.toString();
  }

  /** {@link #normalize} for a mapping. */
  static JsonObject normalizeObject(JsonObject object) {
    return normalizeMap(object.getMap());
  }

  private static JsonObject normalizeMap(Map<?, ?> map) {
    JsonObject copy = new JsonObject();
    map.forEach((key, value) -> copy.put(String.valueOf(key), normalize(value)));
    return copy;
  }

  private static JsonArray normalizeList(List<?> list) {
    JsonArray copy = new JsonArray();
    list.forEach(value -> copy.add(normalize(value)));
    return copy;
  }
}
