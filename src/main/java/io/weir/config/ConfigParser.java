package io.weir.config;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Turns a merged configuration tree (snake_case keys, as read from YAML) into a validated {@link
 * WeirConfig}. Pure: no I/O, no Vert.x beyond the {@link JsonObject} input, safe to call from any
 * thread.
 *
 * <p>The whole tree is checked before anything is reported: a {@link ConfigException} carries every
 * problem found, each starting with the key path ({@code processing.parallelism}, {@code
 * sources[1].rate_per_sec}, {@code pipelines[0].window.size_ms}). Unknown keys are problems at
 * every level. A key absent from the tree takes its built-in default (the same values as {@code
 * weir-defaults.yaml}); absent {@code sources}, {@code sinks} and {@code pipelines} are empty.
 *
 * <p>The seed-style {@code windowing: { windows: [...] }} shorthand is expanded here, before the
 * pipelines are validated: each window becomes a pipeline on the first mock source and the
 * shorthand's pipelines replace {@code pipelines}. Doing it in the parser lets problems in a
 * shorthand window name the key the user wrote ({@code windowing.windows[1].slide_seconds}).
 */
public final class ConfigParser {
  /** Pattern every source, sink and pipeline id must match. */
  static final Pattern ID = Pattern.compile("[A-Za-z0-9_.-]+");

  private static final Pattern IPV4_LOOPBACK =
      Pattern.compile("127\\.\\d{1,3}\\.\\d{1,3}\\.\\d{1,3}");
  private static final int MAX_PARALLELISM = io.weir.checkpoint.KeyGroups.COUNT;
  private static final int MAX_PORT = 65535;

  private ConfigParser() {}

  /**
   * Validates {@code merged} and builds the typed configuration.
   *
   * @param merged the configuration tree after all layers were merged; not modified
   * @return a configuration whose references (pipeline to source and sinks, source to dead-letter
   *     sink) all resolve and whose ids are unique per kind
   * @throws ConfigException listing every problem found
   */
  public static WeirConfig parse(JsonObject merged) {
    Objects.requireNonNull(merged, "merged");
    List<String> problems = new ArrayList<>();
    ConfigNode root = new ConfigNode(merged, "", problems);
    root.rejectUnknownKeys(ConfigSchema.TOP_LEVEL_KEYS, "");
    String appName = root.string("app_name", "Weir");
    ApiConfig api = api(root.section("api"));
    MetricsConfig metrics = metrics(root.section("metrics"));
    ProcessingConfig processing = processing(root.section("processing"));
    StateConfig state = state(root.section("state"));
    WatermarkConfig watermarks = watermarks(root.section("watermarks"));
    Set<String> sourceIds = declaredIds(root, "sources");
    Set<String> sinkIds = declaredIds(root, "sinks");
    List<SourceConfig> sources = ConnectorParser.sources(root, sinkIds);
    List<SinkConfig> sinks = ConnectorParser.sinks(root);
    List<PipelineConfig> pipelines =
        new PipelineParser(root, sources, sourceIds, sinkIds, processing.parallelism()).parse();
    if (!problems.isEmpty()) {
      throw new ConfigException(problems);
    }
    return new WeirConfig(
        appName, api, metrics, processing, state, watermarks, sources, pipelines, sinks);
  }

  // ---------------------------------------------------------------- scalar sections

  private static ApiConfig api(ConfigNode node) {
    node.rejectUnknownKeys(ConfigSchema.keysOf("api"), "");
    String host = node.string("host", "127.0.0.1");
    int port = (int) node.integer("port", 8080, 0, MAX_PORT);
    String token = node.nullableString("token");
    boolean tokenUnset = !node.has("token") || node.raw("token") == null;
    if (host != null && tokenUnset && !isLoopback(host)) {
      node.problem(
          "token",
          "required when " + node.pathOf("host") + " (" + host + ") is not a loopback address");
    }
    return new ApiConfig(host, port, token);
  }

  private static MetricsConfig metrics(ConfigNode node) {
    node.rejectUnknownKeys(ConfigSchema.keysOf("metrics"), "");
    boolean enabled = node.bool("enabled", true);
    String host = node.string("host", "0.0.0.0");
    int port = (int) node.integer("port", 9090, 0, MAX_PORT);
    return new MetricsConfig(enabled, host, port);
  }

  private static ProcessingConfig processing(ConfigNode node) {
    node.rejectUnknownKeys(ConfigSchema.keysOf("processing"), "");
    int parallelism = (int) node.integer("parallelism", 2, 1, MAX_PARALLELISM);
    if (node.has("buffer_size") && node.has("queue_size")) {
      node.problem(
          "buffer_size",
          "both buffer_size and queue_size are set; set only queue_size (buffer_size is its old"
              + " name)");
    }
    String queueKey = node.has("buffer_size") ? "buffer_size" : "queue_size";
    int queueSize = (int) node.integer(queueKey, 10_000, 1, 100_000_000);
    int batchSize = (int) node.integer("batch_size", 1000, 1, 1_000_000);
    double checkpointInterval = node.number("checkpoint_interval", 30.0, 0, true);
    long shutdownTimeoutMs = node.integer("shutdown_timeout_ms", 10_000, 100, 3_600_000);
    return new ProcessingConfig(
        parallelism, queueSize, batchSize, checkpointInterval, shutdownTimeoutMs);
  }

  private static StateConfig state(ConfigNode node) {
    List<String> known = new ArrayList<>(ConfigSchema.keysOf("state"));
    known.add("rocksdb");
    node.rejectUnknownKeys(known, "");
    String backend =
        node.choice("backend", List.of("rocksdb", "memory"), "state backend", "rocksdb");
    String dir = node.string("dir", "data/state");
    String checkpointDir = node.string("checkpoint_dir", "data/checkpoints");
    int retained = (int) node.integer("retained", 3, 1, 1000);
    Long ttlMs = node.nullableInteger("ttl_ms", null, 1, Long.MAX_VALUE / 2);
    long cacheMaxBytes =
        node.integer("cache_max_bytes", StateConfig.DEFAULT_CACHE_MAX_BYTES, 0, Long.MAX_VALUE);
    long flushIntervalMs =
        node.integer("flush_interval_ms", StateConfig.DEFAULT_FLUSH_INTERVAL_MS, 0, 86_400_000);
    StateConfig.RocksDbOptions rocksdb = rocksdb(node.section("rocksdb"));
    StateConfig.StateBackend kind =
        backend == null ? null : StateConfig.StateBackend.valueOf(backend.toUpperCase(Locale.ROOT));
    return new StateConfig(kind, dir, checkpointDir, retained, rocksdb, ttlMs, cacheMaxBytes, flushIntervalMs);
  }

  private static StateConfig.RocksDbOptions rocksdb(ConfigNode node) {
    node.rejectUnknownKeys(List.of("block_cache_mb", "write_buffer_mb", "compression"), "");
    StateConfig.RocksDbOptions defaults = StateConfig.RocksDbOptions.DEFAULTS;
    // 1 TiB of cache or memtable is far beyond any machine this runs on; the bound keeps MiB to
    // bytes conversions inside a long.
    int blockCacheMb = (int) node.integer("block_cache_mb", defaults.blockCacheMb(), 1, 1 << 20);
    int writeBufferMb =
        (int) node.integer("write_buffer_mb", defaults.writeBufferMb(), 1, 1 << 20);
    String compression =
        node.choice(
            "compression",
            List.of("none", "snappy", "lz4", "zstd"),
            "compression",
            defaults.compression().name().toLowerCase(Locale.ROOT));
    StateConfig.Compression kind =
        compression == null
            ? defaults.compression()
            : StateConfig.Compression.valueOf(compression.toUpperCase(Locale.ROOT));
    return new StateConfig.RocksDbOptions(blockCacheMb, writeBufferMb, kind);
  }

  private static WatermarkConfig watermarks(ConfigNode node) {
    node.rejectUnknownKeys(ConfigSchema.keysOf("watermarks"), "");
    ConfigNode.Millis delay = node.millis("delay_ms", "delay_seconds", 0, false, 2000);
    Long idleTimeoutMs = node.nullableInteger("idle_timeout_ms", 30_000L, 1, Long.MAX_VALUE);
    Long idleAdvanceMs = node.nullableInteger("idle_advance_ms", null, 0, Long.MAX_VALUE / 2);
    if (idleAdvanceMs != null && idleTimeoutMs == null) {
      node.problem("idle_advance_ms", "needs watermarks.idle_timeout_ms: only idle partitions follow the wall clock");
    }
    Long maxFutureMs = node.nullableInteger("max_future_ms", 86_400_000L, 0, Long.MAX_VALUE / 2);
    return new WatermarkConfig(delay == null ? 0 : delay.value(), idleTimeoutMs, idleAdvanceMs, maxFutureMs);
  }

  /** Whether {@code host} names the loopback interface (127.x.x.x, localhost, ::1). */
  static boolean isLoopback(String host) {
    String h = ConfigNode.word(host);
    if (h.startsWith("[") && h.endsWith("]")) {
      h = h.substring(1, h.length() - 1);
    }
    return h.equals("localhost")
        || h.equals("::1")
        || h.equals("0:0:0:0:0:0:0:1")
        || IPV4_LOOPBACK.matcher(h).matches();
  }

  // ---------------------------------------------------------------- ids and references

  /**
   * Every string id in the list under {@code key}, valid or not, in declaration order. References
   * are checked against these so that one bad entry does not also make every reference to it an
   * "undefined" problem.
   */
  private static Set<String> declaredIds(ConfigNode root, String key) {
    Set<String> ids = new LinkedHashSet<>();
    if (root.raw(key) instanceof JsonArray entries) {
      for (Object entry : entries) {
        if (entry instanceof JsonObject object && object.getValue("id") instanceof String id) {
          ids.add(id);
        }
      }
    }
    return ids;
  }

  /**
   * Reads the required id under {@code key}, checks its spelling and that no earlier entry of the
   * same list used it.
   *
   * @param firstPathById path of the first entry per id, updated with this one
   * @return the id, or null when it is missing or not a string
   */
  static String id(ConfigNode node, String key, Map<String, String> firstPathById) {
    String id = node.requiredString(key);
    if (id == null) {
      return null;
    }
    if (!ID.matcher(id).matches()) {
      node.problem(key, "'" + id + "' is not a valid id (use letters, digits, '_', '.' and '-')");
    }
    String first = firstPathById.putIfAbsent(id, node.path());
    if (first != null) {
      node.problem(key, "duplicate id '" + id + "' (also " + first + ")");
    }
    return id;
  }

  /**
   * Reads a string that must name one of {@code defined}.
   *
   * @param what "source" or "sink", for the message
   * @return the reference, or null when it is absent (and not required), null or bad
   */
  static String reference(
      ConfigNode node, String key, String what, Set<String> defined, boolean required) {
    String ref = required ? node.requiredString(key) : node.nullableString(key);
    if (ref != null && !defined.contains(ref)) {
      node.problem(key, undefined(what, ref, defined));
    }
    return ref;
  }

  /** "undefined sink 'x' (defined: console, results)". */
  static String undefined(String what, String ref, Collection<String> defined) {
    return "undefined " + what + " '" + ref + "' (defined: " + definedText(defined) + ")";
  }

  static String definedText(Collection<String> defined) {
    return defined.isEmpty() ? "none" : String.join(", ", defined);
  }
}
