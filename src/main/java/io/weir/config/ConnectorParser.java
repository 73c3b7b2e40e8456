package io.weir.config;

import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Reads the {@code sources} and {@code sinks} lists. Part of {@link ConfigParser}; problems go to
 * the shared list of the {@link ConfigNode}s it is given. An entry whose type is missing or unknown
 * is reported and left out of the result; every other entry is returned, with defaults in place of
 * bad values, so that later checks still see it.
 */
final class ConnectorParser {
  private static final List<String> SOURCE_TYPES = List.of("mock", "file");
  private static final List<String> FILE_SOURCE_KEYS =
      List.of(
          "id",
          "type",
          "path",
          "format",
          "bounded",
          "key_field",
          "timestamp_field",
          "value_field",
          "id_field",
          "poll_interval_ms",
          "dead_letter");
  private static final List<String> SINK_TYPES = List.of("console", "file");
  private static final List<String> MOCK_KEYS =
      List.of(
          "id",
          "type",
          "rate_per_sec",
          "keys",
          "partitions",
          "seed",
          "max_out_of_order_ms",
          "start_time",
          "max_events",
          "value_min",
          "value_max",
          "dead_letter");
  private static final List<String> CONSOLE_KEYS = List.of("id", "type");
  private static final List<String> FILE_KEYS = List.of("id", "type", "path");

  private ConnectorParser() {}

  /**
   * The sources under {@code sources}.
   *
   * @param sinkIds ids declared under {@code sinks}, for {@code dead_letter}
   */
  /** Bounds that keep a mock source's arithmetic and memory sane. */
  private static final int MAX_MOCK_KEYS = 10_000_000;

  private static final long MAX_JITTER_MS = 365L * 24 * 3600 * 1000;
  /** 100,000 years in milliseconds: far from overflowing event-time arithmetic. */
  private static final long MAX_START_TIME = 100_000L * 365 * 24 * 3600 * 1000;

  static List<SourceConfig> sources(ConfigNode root, Set<String> sinkIds) {
    Map<String, String> firstPathById = new HashMap<>();
    List<SourceConfig> sources = new ArrayList<>();
    for (ConfigNode node : root.mappings("sources")) {
      String id = ConfigParser.id(node, "id", firstPathById);
      String type = node.choice("type", SOURCE_TYPES, "source type", null);
      if ("mock".equals(type)) {
        sources.add(mock(node, id, sinkIds));
      } else if ("file".equals(type)) {
        sources.add(file(node, id, sinkIds));
      }
    }
    return sources;
  }

  private static MockSourceConfig mock(ConfigNode node, String id, Set<String> sinkIds) {
    node.rejectUnknownKeys(MOCK_KEYS, " for a mock source");
    double ratePerSec = node.number("rate_per_sec", 1000, 0, true);
    int keys = (int) node.integer("keys", 100, 1, MAX_MOCK_KEYS);
    int partitions = (int) node.integer("partitions", 1, 1, 1024);
    if (keys < partitions) {
      // Key k lives in partition k mod partitions: with fewer keys, a partition would have none.
      node.problemText(
          node.pathOf("keys") + " (" + keys + ") must be at least partitions (" + partitions + ")");
    }
    Long seed = node.nullableInteger("seed", null, Long.MIN_VALUE, Long.MAX_VALUE);
    long maxOutOfOrderMs = node.integer("max_out_of_order_ms", 0, 0, MAX_JITTER_MS);
    Long startTime = startTime(node);
    Long maxEvents = node.nullableInteger("max_events", null, 1, Long.MAX_VALUE);
    double valueMin = node.number("value_min", 0, Double.NEGATIVE_INFINITY, false);
    double valueMax = node.number("value_max", 100, Double.NEGATIVE_INFINITY, false);
    if (valueMin > valueMax) {
      node.problemText(
          node.pathOf("value_min")
              + " ("
              + ConfigNode.formatNumber(valueMin)
              + ") must not exceed value_max ("
              + ConfigNode.formatNumber(valueMax)
              + ")");
    }
    String deadLetter = ConfigParser.reference(node, "dead_letter", "sink", sinkIds, false);
    return new MockSourceConfig(
        id,
        ratePerSec,
        keys,
        partitions,
        seed,
        maxOutOfOrderMs,
        startTime,
        maxEvents,
        valueMin,
        valueMax,
        deadLetter);
  }

  private static FileSourceConfig file(ConfigNode node, String id, Set<String> sinkIds) {
    node.rejectUnknownKeys(FILE_SOURCE_KEYS, " for a file source");
    String path = node.requiredString("path");
    String format = node.choice("format", List.of("jsonl", "csv"), "file format", "jsonl");
    boolean bounded = node.bool("bounded", true);
    String keyField = fieldName(node, "key_field", "key");
    String timestampField = fieldName(node, "timestamp_field", "timestamp");
    String valueField = fieldName(node, "value_field", "value");
    String idField = fieldName(node, "id_field", "id");
    long pollIntervalMs = node.integer("poll_interval_ms", 200, 1, 60_000);
    String deadLetter = ConfigParser.reference(node, "dead_letter", "sink", sinkIds, false);
    return new FileSourceConfig(
        id,
        path,
        FileSourceConfig.FileFormat.valueOf(
            (format == null ? "jsonl" : format).toUpperCase(java.util.Locale.ROOT)),
        bounded,
        keyField,
        timestampField,
        valueField,
        idField,
        pollIntervalMs,
        deadLetter,
        List.of());
  }

  /** A field reference: a JSON pointer ({@code /a/b}) or a top-level name ({@code user}). */
  private static String fieldName(ConfigNode node, String key, String def) {
    String value = node.string(key, def);
    if (value != null && (value.isBlank() || value.equals("/"))) {
      node.problem(key, "must name a field, e.g. \"" + def + "\" or \"/payload/" + def + "\"");
    }
    return value;
  }

  /** Epoch milliseconds, an ISO-8601 time with a zone offset, or null. */
  private static Long startTime(ConfigNode node) {
    Object value = node.raw("start_time");
    if (value instanceof String text) {
      try {
        long epochMs = OffsetDateTime.parse(text.trim()).toInstant().toEpochMilli();
        if (Math.abs(epochMs) > MAX_START_TIME) {
          node.problem("start_time", "must be within 100,000 years of 1970, got " + text);
          return null;
        }
        return epochMs;
      } catch (DateTimeParseException e) {
        node.problem(
            "start_time",
            "expected an ISO-8601 time with a zone offset such as \"2024-01-01T00:00:00Z\", or"
                + " epoch milliseconds, got "
                + ConfigNode.describe(value));
        return null;
      }
    }
    if (value == null || ConfigNode.isIntegral(value)) {
      return node.nullableInteger("start_time", null, -MAX_START_TIME, MAX_START_TIME);
    }
    node.typeProblem(
        "start_time",
        "epoch milliseconds or an ISO-8601 time such as \"2024-01-01T00:00:00Z\"",
        value);
    return null;
  }

  /** The sinks under {@code sinks}. */
  static List<SinkConfig> sinks(ConfigNode root) {
    Map<String, String> firstPathById = new HashMap<>();
    Map<Path, String> firstPathByFile = new HashMap<>();
    List<SinkConfig> sinks = new ArrayList<>();
    for (ConfigNode node : root.mappings("sinks")) {
      String id = ConfigParser.id(node, "id", firstPathById);
      String type = node.choice("type", SINK_TYPES, "sink type", null);
      if ("console".equals(type)) {
        node.rejectUnknownKeys(CONSOLE_KEYS, " for a console sink");
        sinks.add(new ConsoleSinkConfig(id));
      } else if ("file".equals(type)) {
        node.rejectUnknownKeys(FILE_KEYS, " for a file sink");
        String path = node.requiredString("path");
        if (path != null) {
          // Two writers appending to one file would interleave partial lines.
          String first =
              firstPathByFile.putIfAbsent(Path.of(path).toAbsolutePath().normalize(), node.pathOf("path"));
          if (first != null) {
            node.problem("path", "the same file as " + first + " ('" + path + "'); each file sink needs its own file");
          }
        }
        sinks.add(new FileSinkConfig(id, path));
      }
    }
    return sinks;
  }
}
