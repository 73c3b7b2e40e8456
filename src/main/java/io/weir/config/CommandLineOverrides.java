package io.weir.config;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.regex.Pattern;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.constructor.SafeConstructor;
import org.yaml.snakeyaml.error.Mark;
import org.yaml.snakeyaml.error.MarkedYAMLException;
import org.yaml.snakeyaml.error.YAMLException;

/**
 * The {@code --set key.path=value} layer, applied last. The path is dotted; a numeric segment
 * indexes into a list ({@code sources.0.rate_per_sec} or {@code sources[0].rate_per_sec}), and the
 * list element must exist. Missing mappings on the way are created (the parser then reports an
 * unknown key if the path names none). The value is read as a YAML scalar or flow value: {@code 5}
 * is an integer, {@code true} a boolean, {@code [count, sum]} a list, {@code null} (or nothing)
 * null. A mapping value merges into an existing mapping; anything else replaces.
 */
final class CommandLineOverrides {
  private static final Pattern INDEX = Pattern.compile("\\[(\\d+)]");
  private static final Pattern DIGITS = Pattern.compile("\\d+");

  private CommandLineOverrides() {}

  /**
   * Applies each {@code key.path=value} of {@code sets} to {@code tree}, in order.
   *
   * @return one problem per entry that is malformed or names a path that cannot be set; those
   *     entries are not applied
   */
  static List<String> apply(JsonObject tree, List<String> sets) {
    List<String> problems = new ArrayList<>();
    for (String set : sets) {
      try {
        apply(tree, set);
      } catch (IllegalArgumentException e) {
        problems.add("--set " + set + ": " + e.getMessage());
      }
    }
    return problems;
  }

  private static void apply(JsonObject tree, String set) {
    int eq = set.indexOf('=');
    if (eq <= 0) {
      throw new IllegalArgumentException("expected key.path=value");
    }
    List<String> path = segments(set.substring(0, eq).trim());
    Object value = yamlValue(set.substring(eq + 1));
    Object container = tree;
    for (int i = 0; i < path.size() - 1; i++) {
      container = child(container, path, i);
    }
    String last = path.get(path.size() - 1);
    if (container instanceof JsonObject object) {
      ConfigLayers.put(object, last, value, new JsonObject());
    } else {
      JsonArray list = (JsonArray) container;
      int index = index(list, path, path.size() - 1);
      Object existing = list.getValue(index);
      if (value instanceof JsonObject overlay && existing instanceof JsonObject base) {
        ConfigLayers.merge(base, overlay);
      } else {
        list.set(index, ConfigLayers.normalize(value));
      }
    }
  }

  /** The segments of {@code sources[0].rate_per_sec}: sources, 0, rate_per_sec. */
  private static List<String> segments(String key) {
    String dotted = INDEX.matcher(key).replaceAll(".$1");
    List<String> segments = Arrays.asList(dotted.split("\\.", -1));
    if (segments.stream().anyMatch(s -> s.isBlank() || s.contains("[") || s.contains("]"))) {
      throw new IllegalArgumentException(
          "malformed key path '"
              + key
              + "' (expected e.g. processing.parallelism or"
              + " sources[0].rate_per_sec)");
    }
    return segments;
  }

  /** Descends from {@code container} into segment {@code i}, creating a missing mapping. */
  private static Object child(Object container, List<String> path, int i) {
    String segment = path.get(i);
    Object next;
    if (container instanceof JsonObject object) {
      next = object.getValue(segment);
      if (next == null) {
        next = new JsonObject();
        object.put(segment, next);
      }
    } else {
      next = ((JsonArray) container).getValue(index((JsonArray) container, path, i));
    }
    if (!(next instanceof JsonObject) && !(next instanceof JsonArray)) {
      throw new IllegalArgumentException(
          pathText(path, i + 1)
              + " is "
              + ConfigNode.describe(next)
              + ", not a mapping or a list, so it has no "
              + path.get(i + 1));
    }
    return next;
  }

  private static int index(JsonArray list, List<String> path, int i) {
    String segment = path.get(i);
    if (!DIGITS.matcher(segment).matches()) {
      throw new IllegalArgumentException(
          pathText(path, i) + " is a list; expected an index, got '" + segment + "'");
    }
    int index = segment.length() > 9 ? Integer.MAX_VALUE : Integer.parseInt(segment);
    if (index >= list.size()) {
      throw new IllegalArgumentException(
          pathText(path, i)
              + " has no element ["
              + segment
              + "] (it has "
              + list.size()
              + (list.size() == 1 ? " element)" : " elements)"));
    }
    return index;
  }

  /** The first {@code count} segments written as a key path: sources[0].window. */
  private static String pathText(List<String> path, int count) {
    StringBuilder text = new StringBuilder();
    for (String segment : path.subList(0, count)) {
      if (DIGITS.matcher(segment).matches() && text.length() > 0) {
        text.append('[').append(segment).append(']');
      } else {
        text.append(text.length() > 0 ? "." : "").append(segment);
      }
    }
    return text.toString();
  }

  private static Object yamlValue(String text) {
    try {
      return ConfigLayers.normalize(new Yaml(new SafeConstructor(new LoaderOptions())).load(text));
    } catch (MarkedYAMLException e) {
      Mark mark = e.getProblemMark();
      String at = mark == null ? "" : " at column " + (mark.getColumn() + 1);
      throw new IllegalArgumentException("value is not valid YAML" + at + ": " + e.getProblem(), e);
    } catch (YAMLException e) {
      throw new IllegalArgumentException("value is not valid YAML: " + e.getMessage(), e);
    }
  }
}
