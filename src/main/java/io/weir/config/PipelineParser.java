package io.weir.config;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * Reads the pipelines: either the {@code pipelines} list, or, when the tree has a {@code windowing}
 * section, the seed-style shorthand that replaces it. Part of {@link ConfigParser}; problems go to
 * the shared list of the {@link ConfigNode}s it is given.
 */
final class PipelineParser {
  private static final List<String> PIPELINE_KEYS =
      List.of(
          "id", "source", "window", "aggregations", "sinks", "late_sink", "parallelism", "distinct_field", "dedup_horizon_ms");
  private static final List<String> TUMBLING_KEYS =
      List.of(
          "type",
          "time",
          "emit",
          "size_ms",
          "size_seconds",
          "offset_ms",
          "allowed_lateness_ms",
          "allowed_lateness_seconds");
  private static final List<String> SLIDING_KEYS =
      List.of(
          "type",
          "time",
          "emit",
          "size_ms",
          "size_seconds",
          "slide_ms",
          "slide_seconds",
          "offset_ms",
          "allowed_lateness_ms",
          "allowed_lateness_seconds");
  /** Bound on size / slide: each event updates that many sliding windows. */
  static final long MAX_WINDOWS_PER_EVENT = 10_000;

  private static final List<String> SESSION_KEYS =
      List.of(
          "type", "gap_ms", "gap_seconds", "allowed_lateness_ms", "allowed_lateness_seconds", "emit");
  private static final List<String> SHORTHAND_EXTRA_KEYS = List.of("id", "name", "aggregations");
  private static final List<String> WINDOW_TYPES = List.of("tumbling", "sliding", "session");
  private static final List<String> SHORTHAND_FALLBACK_SINKS = List.of("console", "results");
  private static final String AGGREGATION_NAMES =
      Arrays.stream(AggregationKind.values())
          .map(AggregationKind::fieldName)
          .collect(Collectors.joining(", "));

  private final ConfigNode root;
  private final List<SourceConfig> sources;
  private final Set<String> sourceIds;
  private final Set<String> sinkIds;
  private final int defaultParallelism;

  /**
   * @param sources the parsed sources (the shorthand attaches to the first mock one)
   * @param sourceIds every id declared under {@code sources}
   * @param sinkIds every id declared under {@code sinks}
   * @param defaultParallelism {@code processing.parallelism}
   */
  PipelineParser(
      ConfigNode root,
      List<SourceConfig> sources,
      Set<String> sourceIds,
      Set<String> sinkIds,
      int defaultParallelism) {
    this.root = root;
    this.sources = sources;
    this.sourceIds = sourceIds;
    this.sinkIds = sinkIds;
    this.defaultParallelism = defaultParallelism;
  }

  /** The pipelines of the tree, in declaration order. */
  List<PipelineConfig> parse() {
    return root.has("windowing") ? shorthand() : declared();
  }

  // ---------------------------------------------------------------- pipelines list

  private List<PipelineConfig> declared() {
    Map<String, String> firstPathById = new HashMap<>();
    List<PipelineConfig> pipelines = new ArrayList<>();
    for (ConfigNode node : root.mappings("pipelines")) {
      pipelines.add(pipeline(node, firstPathById));
    }
    return pipelines;
  }

  private PipelineConfig pipeline(ConfigNode node, Map<String, String> firstPathById) {
    node.rejectUnknownKeys(PIPELINE_KEYS, "");
    String id = ConfigParser.id(node, "id", firstPathById);
    String source = ConfigParser.reference(node, "source", "source", sourceIds, true);
    WindowConfig window = windowOf(node);
    List<AggregationKind> aggregations = aggregations(node);
    List<String> sinks = sinks(node);
    String lateSink = ConfigParser.reference(node, "late_sink", "sink", sinkIds, false);
    int parallelism = (int) node.integer("parallelism", defaultParallelism, 1, io.weir.checkpoint.KeyGroups.COUNT);
    String distinctField = node.nullableString("distinct_field");
    boolean counted = aggregations.contains(AggregationKind.DISTINCT_COUNT);
    if (counted && distinctField == null) {
      node.problem("distinct_field", "required by the distinct_count aggregation, e.g. \"/user\" or \"id\"");
    } else if (!counted && distinctField != null) {
      node.problem("distinct_field", "is only used by the distinct_count aggregation, which the pipeline does not list");
    }
    Long dedupHorizonMs = node.nullableInteger("dedup_horizon_ms", null, 1, Long.MAX_VALUE);
    return new PipelineConfig(id, source, window, aggregations, sinks, lateSink, parallelism, distinctField, dedupHorizonMs);
  }

  private WindowConfig windowOf(ConfigNode node) {
    if (!node.has("window")) {
      node.problem("window", "required, e.g. { type: tumbling, size_ms: 60000 }");
      return null;
    }
    if (!(node.raw("window") instanceof JsonObject)) {
      node.typeProblem("window", "a mapping of keys", node.raw("window"));
      return null;
    }
    return window(node.section("window"), "window.", List.of());
  }

  private List<String> sinks(ConfigNode node) {
    String defined = " (defined sinks: " + ConfigParser.definedText(sinkIds) + ")";
    if (!node.has("sinks")) {
      node.problem("sinks", "required: a list of sink ids" + defined);
      return List.of();
    }
    JsonArray list = node.list("sinks");
    if (list == null) {
      return List.of();
    }
    if (list.isEmpty()) {
      node.problem("sinks", "must not be empty" + defined);
    }
    List<String> sinks = new ArrayList<>();
    for (int i = 0; i < list.size(); i++) {
      String path = node.pathOf("sinks") + "[" + i + "]";
      Object value = list.getValue(i);
      if (!(value instanceof String ref)) {
        node.problemText(path + ": expected a sink id, got " + ConfigNode.describe(value));
      } else if (!sinkIds.contains(ref)) {
        node.problemText(path + ": " + ConfigParser.undefined("sink", ref, sinkIds));
      } else if (sinks.contains(ref)) {
        node.problemText(path + ": duplicate sink '" + ref + "'");
      } else {
        sinks.add(ref);
      }
    }
    return sinks;
  }

  /** The aggregations of a pipeline or shorthand window; absent means all five. */
  private static List<AggregationKind> aggregations(ConfigNode node) {
    if (!node.has("aggregations")) {
      // The result format of DESIGN.md §3; first/last are opt-in.
      return List.of(
          AggregationKind.COUNT, AggregationKind.SUM, AggregationKind.MIN, AggregationKind.MAX, AggregationKind.AVG);
    }
    JsonArray list = node.list("aggregations");
    if (list == null) {
      return List.of();
    }
    if (list.isEmpty()) {
      node.problem("aggregations", "must not be empty (known: " + AGGREGATION_NAMES + ")");
    }
    List<AggregationKind> kinds = new ArrayList<>();
    for (int i = 0; i < list.size(); i++) {
      String path = node.pathOf("aggregations") + "[" + i + "]";
      Object value = list.getValue(i);
      AggregationKind kind = value instanceof String name ? aggregation(name) : null;
      if (!(value instanceof String)) {
        node.problemText(
            path + ": expected an aggregation name, got " + ConfigNode.describe(value));
      } else if (kind == null) {
        node.problemText(
            path + ": unknown aggregation '" + value + "' (known: " + AGGREGATION_NAMES + ")");
      } else if (kinds.contains(kind)) {
        node.problemText(path + ": duplicate aggregation '" + value + "'");
      } else {
        kinds.add(kind);
      }
    }
    return kinds;
  }

  private static AggregationKind aggregation(String name) {
    String word = ConfigNode.word(name);
    return Arrays.stream(AggregationKind.values())
        .filter(kind -> kind.fieldName().equals(word))
        .findFirst()
        .orElse(null);
  }

  // ---------------------------------------------------------------- windows

  /**
   * Reads one window spec.
   *
   * @param siblingPrefix how messages refer to a sibling key: {@code "window."} inside a pipeline,
   *     empty in a shorthand window
   * @param extraKeys keys allowed besides the window's own
   * @return the window, or null when its type or a duration is missing or bad (reported)
   */
  private static WindowConfig window(
      ConfigNode node, String siblingPrefix, List<String> extraKeys) {
    String type = node.choice("type", WINDOW_TYPES, "window type", null);
    if ("session".equals(type)) {
      return sessionWindow(node, extraKeys);
    }
    boolean sliding = "sliding".equals(type);
    List<String> known =
        Stream.concat(
                extraKeys.stream(),
                (type == null || sliding ? SLIDING_KEYS : TUMBLING_KEYS).stream())
            .toList();
    node.rejectUnknownKeys(known, type == null ? "" : " for a " + type + " window");
    ConfigNode.Millis size = node.millis("size_ms", "size_seconds", 1, true, 0);
    ConfigNode.Millis slide = sliding ? node.millis("slide_ms", "slide_seconds", 1, true, 0) : size;
    if (sliding && size != null && slide != null && slide.value() > size.value()) {
      node.problemText(
          node.pathOf(slide.key())
              + " ("
              + slide.shown()
              + ") must not exceed "
              + siblingPrefix
              + size.key()
              + " ("
              + size.shown()
              + ")");
    }
    if (sliding && size != null && slide != null && slide.value() <= size.value()
        && size.value() / slide.value() > MAX_WINDOWS_PER_EVENT) {
      node.problemText(
          node.pathOf(slide.key())
              + " ("
              + slide.shown()
              + ") is too small for "
              + siblingPrefix
              + size.key()
              + " ("
              + size.shown()
              + "): every event would be in more than "
              + MAX_WINDOWS_PER_EVENT
              + " windows");
    }
    long offsetMs = node.integer("offset_ms", 0, Long.MIN_VALUE, Long.MAX_VALUE);
    if (slide != null && (offsetMs <= -slide.value() || offsetMs >= slide.value())) {
      node.problem(
          "offset_ms",
          "must be less than "
              + siblingPrefix
              + slide.key()
              + " ("
              + slide.shown()
              + ") in absolute value, got "
              + offsetMs);
    }
    ConfigNode.Millis lateness =
        node.millis("allowed_lateness_ms", "allowed_lateness_seconds", 0, false, 0);
    if (type == null || size == null || slide == null || lateness == null) {
      return null;
    }
    String time = node.choice("time", List.of("event", "processing"), "time domain", "event");
    if ("processing".equals(time) && lateness.value() > 0) {
      node.problem("allowed_lateness_ms", "has no meaning for a processing-time window (nothing is late by the wall clock)");
    }
    return new WindowConfig(
            WindowConfig.WindowType.valueOf(type.toUpperCase(Locale.ROOT)),
            size.value(),
            slide.value(),
            offsetMs,
            lateness.value())
        .withTime(
            "processing".equals(time) ? WindowConfig.TimeDomain.PROCESSING : WindowConfig.TimeDomain.EVENT)
        .withEmit(emit(node));
  }

  /** {@code emit}: on_time_and_late, final_only, or {early_every_ms: N}. */
  private static WindowConfig.Emit emit(ConfigNode node) {
    Object raw = node.raw("emit");
    if (raw == null) {
      return WindowConfig.Emit.DEFAULT;
    }
    if (raw instanceof String) {
      String mode = node.choice("emit", List.of("on_time_and_late", "final_only"), "emit policy", null);
      return "final_only".equals(mode)
          ? new WindowConfig.Emit(WindowConfig.Emit.Mode.FINAL_ONLY, 0)
          : WindowConfig.Emit.DEFAULT;
    }
    if (raw instanceof io.vertx.core.json.JsonObject) {
      ConfigNode early = node.section("emit");
      early.rejectUnknownKeys(List.of("early_every_ms"), "");
      long every = early.integer("early_every_ms", -1, 1, 86_400_000);
      if (every < 1) {
        early.problem("early_every_ms", "required, e.g. emit: { early_every_ms: 5000 }");
        return WindowConfig.Emit.DEFAULT;
      }
      return new WindowConfig.Emit(WindowConfig.Emit.Mode.EARLY, every);
    }
    node.typeProblem("emit", "on_time_and_late, final_only or { early_every_ms: N }", raw);
    return WindowConfig.Emit.DEFAULT;
  }

  private static WindowConfig sessionWindow(ConfigNode node, List<String> extraKeys) {
    node.rejectUnknownKeys(
        Stream.concat(extraKeys.stream(), SESSION_KEYS.stream()).toList(), " for a session window");
    ConfigNode.Millis gap = node.millis("gap_ms", "gap_seconds", 1, true, 0);
    ConfigNode.Millis lateness =
        node.millis("allowed_lateness_ms", "allowed_lateness_seconds", 0, false, 0);
    if (gap == null || lateness == null) {
      return null;
    }
    return WindowConfig.session(gap.value(), lateness.value()).withEmit(emit(node));
  }

  // ---------------------------------------------------------------- windowing shorthand

  /**
   * Expands {@code windowing.windows}: one pipeline per window, on the first mock source, with the
   * sinks of the first entry of {@code pipelines} (or the sinks named console and results), ids
   * from {@code id}/{@code name} or generated from the window ({@code tumbling-60s}, {@code
   * sliding-300s-60s}, made unique with {@code -2}, {@code -3}, ...).
   */
  private List<PipelineConfig> shorthand() {
    ConfigNode windowing = root.section("windowing");
    windowing.rejectUnknownKeys(List.of("windows"), "");
    if (!windowing.has("windows")) {
      windowing.problem(
          "windows", "required: a list of windows, e.g. [{type: tumbling, size_seconds: 60}]");
      return List.of();
    }
    JsonArray raw = windowing.list("windows");
    if (raw != null && raw.isEmpty()) {
      windowing.problem("windows", "must not be empty");
    }
    List<ConfigNode> windows = windowing.mappings("windows");
    String source = firstMockSource();
    if (source == null && !windows.isEmpty()) {
      windows.get(0).problem("no mock source to attach to (define a source with type: mock)");
    }
    List<String> sinks = shorthandSinks(windowing);
    Map<String, String> firstPathById = new HashMap<>();
    List<String> ids = new ArrayList<>();
    List<WindowConfig> specs = new ArrayList<>();
    List<List<AggregationKind>> aggregations = new ArrayList<>();
    for (ConfigNode node : windows) {
      ids.add(explicitId(node, firstPathById));
      specs.add(window(node, "", SHORTHAND_EXTRA_KEYS));
      aggregations.add(aggregations(node));
    }
    Set<String> taken = new HashSet<>(firstPathById.keySet());
    List<PipelineConfig> pipelines = new ArrayList<>();
    for (int i = 0; i < windows.size(); i++) {
      String id = ids.get(i) != null ? ids.get(i) : uniqueId(generatedId(specs.get(i), i), taken);
      pipelines.add(
          new PipelineConfig(
              id, source, specs.get(i), aggregations.get(i), sinks, null, defaultParallelism));
    }
    return pipelines;
  }

  private String firstMockSource() {
    return sources.stream()
        .filter(MockSourceConfig.class::isInstance)
        .map(SourceConfig::id)
        .findFirst()
        .orElse(null);
  }

  /** Sinks of the first declared pipeline, else those of console and results that exist. */
  private List<String> shorthandSinks(ConfigNode windowing) {
    List<String> inherited = firstPipelineSinks();
    if (inherited != null) {
      List<String> undefined = inherited.stream().filter(id -> !sinkIds.contains(id)).toList();
      for (String id : undefined) {
        windowing.problem(
            "windows",
            "inherits " + ConfigParser.undefined("sink", id, sinkIds) + " from pipelines[0].sinks");
      }
      return inherited.stream().filter(sinkIds::contains).distinct().toList();
    }
    List<String> fallback = SHORTHAND_FALLBACK_SINKS.stream().filter(sinkIds::contains).toList();
    if (fallback.isEmpty()) {
      windowing.problem(
          "windows",
          "no sinks to attach to (define a sink named console or results, or a pipeline whose"
              + " sinks the windows inherit)");
    }
    return fallback;
  }

  /** The string entries of {@code pipelines[0].sinks}, or null when there is no such list. */
  private List<String> firstPipelineSinks() {
    if (root.raw("pipelines") instanceof JsonArray pipelines
        && !pipelines.isEmpty()
        && pipelines.getValue(0) instanceof JsonObject first
        && first.getValue("sinks") instanceof JsonArray sinks
        && !sinks.isEmpty()) {
      return sinks.stream().filter(String.class::isInstance).map(String.class::cast).toList();
    }
    return null;
  }

  /** The window's {@code id} or {@code name}, or null when it has neither (or it is bad). */
  private static String explicitId(ConfigNode node, Map<String, String> firstPathById) {
    if (node.has("id") && node.has("name")) {
      node.problem("name", "both id and name are set; set only one of them");
    }
    String key = node.has("id") ? "id" : node.has("name") ? "name" : null;
    return key == null ? null : ConfigParser.id(node, key, firstPathById);
  }

  private static String generatedId(WindowConfig window, int index) {
    if (window == null) {
      return "window-" + (index + 1);
    }
    return switch (window.type()) {
      case TUMBLING -> "tumbling-" + durationText(window.sizeMs());
      case SLIDING ->
          "sliding-" + durationText(window.sizeMs()) + "-" + durationText(window.slideMs());
      case SESSION -> "session-" + durationText(window.gapMs());
    };
  }

  private static String durationText(long ms) {
    return ms % 1000 == 0 ? ms / 1000 + "s" : ms + "ms";
  }

  private static String uniqueId(String base, Set<String> taken) {
    String id = base;
    for (int n = 2; !taken.add(id); n++) {
      id = base + "-" + n;
    }
    return id;
  }
}
