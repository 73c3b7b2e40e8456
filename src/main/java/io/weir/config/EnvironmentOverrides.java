package io.weir.config;

import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

/**
 * The {@code WEIR_*} environment layer. A variable names a scalar key by its path in upper case
 * with dots and underscores both written as {@code _}; because keys contain underscores the mapping
 * is looked up in the schema ({@link ConfigSchema#environmentVariables()}) rather than guessed:
 * {@code WEIR_PROCESSING_QUEUE_SIZE} is {@code processing.queue_size}. Values are converted to the
 * key's type; the string {@code null} sets null. Lists (sources, sinks, pipelines) cannot be set
 * from the environment.
 */
final class EnvironmentOverrides {
  static final String PREFIX = "WEIR_";

  private EnvironmentOverrides() {}

  /**
   * Applies every {@code WEIR_*} variable of {@code env} to {@code tree} as one layer, in name
   * order.
   *
   * @return problems with variables that name no key or hold a value of the wrong type; those
   *     variables are not applied
   */
  static List<String> apply(JsonObject tree, Map<String, String> env) {
    Map<String, ConfigSchema.ScalarKey> known = ConfigSchema.environmentVariables();
    JsonObject layer = new JsonObject();
    List<String> problems = new ArrayList<>();
    new TreeMap<>(env)
        .forEach(
            (name, text) -> {
              if (!name.startsWith(PREFIX)) {
                return;
              }
              ConfigSchema.ScalarKey key = known.get(name);
              if (key == null) {
                problems.add(
                    "environment variable "
                        + name
                        + ": does not name a config key (e.g. WEIR_API_PORT for api.port)");
                return;
              }
              try {
                put(layer, key.path(), convert(text, key.type()));
              } catch (IllegalArgumentException e) {
                problems.add("environment variable " + name + ": " + e.getMessage());
              }
            });
    ConfigLayers.merge(tree, layer);
    return problems;
  }

  private static void put(JsonObject layer, String path, Object value) {
    int dot = path.indexOf('.');
    if (dot < 0) {
      layer.put(path, value);
      return;
    }
    String section = path.substring(0, dot);
    JsonObject child = layer.getJsonObject(section);
    if (child == null) {
      child = new JsonObject();
      layer.put(section, child);
    }
    child.put(path.substring(dot + 1), value);
  }

  /**
   * The value of a variable as the key's type.
   *
   * @throws IllegalArgumentException with "expected ..., got ..." when it does not convert
   */
  static Object convert(String text, ConfigSchema.ValueType type) {
    String trimmed = text.trim();
    if (trimmed.equals("null")) {
      return null;
    }
    try {
      return switch (type) {
        case STRING -> text;
        case INTEGER -> Long.parseLong(trimmed);
        case NUMBER -> Double.parseDouble(trimmed);
        case BOOLEAN -> parseBoolean(trimmed);
      };
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException(
          "expected " + type.expected() + ", got " + ConfigNode.describe(text), e);
    }
  }

  private static boolean parseBoolean(String text) {
    return switch (text.toLowerCase(Locale.ROOT)) {
      case "true" -> true;
      case "false" -> false;
      default -> throw new NumberFormatException(text);
    };
  }
}
