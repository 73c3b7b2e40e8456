package io.weir.config;

import io.vertx.config.ConfigRetriever;
import io.vertx.config.ConfigRetrieverOptions;
import io.vertx.config.ConfigStoreOptions;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.DecodeException;
import io.vertx.core.json.JsonObject;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Supplier;
import org.yaml.snakeyaml.error.Mark;
import org.yaml.snakeyaml.error.MarkedYAMLException;

/**
 * Loads the configuration of a Weir process, in layers, each overriding the ones before:
 *
 * <ol>
 *   <li>the built-in defaults, the classpath resource {@value #DEFAULTS_RESOURCE};
 *   <li>the config file, if {@link ConfigSources#configFile()} is set (and exists, unless it was
 *       named explicitly, in which case a missing file is an error);
 *   <li>{@code WEIR_*} environment variables ({@code WEIR_API_PORT} sets {@code api.port}; see
 *       {@link EnvironmentOverrides});
 *   <li>{@code --set key.path=value} entries, in order (see {@link CommandLineOverrides}).
 * </ol>
 *
 * Mappings merge key by key; lists, scalars and explicit nulls from a later layer replace the
 * earlier value, so a file that defines {@code sources} replaces the default sources entirely. The
 * merged tree is then validated by {@link ConfigParser#parse}, which also expands the seed-style
 * {@code windowing} shorthand into pipelines.
 *
 * <p>Each YAML file is read through its own vertx-config {@link ConfigRetriever} (closed after
 * use), so that the merge rules above apply rather than the retriever's own merge. Every failure is
 * a failed future carrying a {@link ConfigException} whose problems can be shown to a user as they
 * are; problems from the environment, {@code --set} and validation are reported together.
 */
public final class ConfigLoader {
  /** Classpath resource holding the built-in defaults. */
  public static final String DEFAULTS_RESOURCE = "weir-defaults.yaml";

  private ConfigLoader() {}

  /**
   * Loads defaults, config file, environment and {@code --set} overrides, and validates the result.
   *
   * @return the configuration, or a failed future with a {@link ConfigException}
   */
  public static Future<WeirConfig> load(Vertx vertx, ConfigSources sources) {
    return readYaml(vertx, DEFAULTS_RESOURCE, "built-in defaults " + DEFAULTS_RESOURCE)
        .compose(defaults -> layerConfigFile(vertx, defaults, sources))
        .compose(tree -> attempt(() -> resolve(tree, sources)));
  }

  /**
   * Loads the built-in defaults with {@code overrides} merged on top (no file, no environment), and
   * validates the result. Meant for tests and embedding.
   *
   * @param overrides a configuration tree in the file's shape; not modified
   * @return the configuration, or a failed future with a {@link ConfigException}
   */
  public static Future<WeirConfig> load(Vertx vertx, JsonObject overrides) {
    return readYaml(vertx, DEFAULTS_RESOURCE, "built-in defaults " + DEFAULTS_RESOURCE)
        .compose(
            defaults ->
                attempt(
                    () ->
                        ConfigParser.parse(
                            ConfigLayers.merge(
                                defaults, ConfigLayers.normalizeObject(overrides)))));
  }

  private static Future<JsonObject> layerConfigFile(
      Vertx vertx, JsonObject defaults, ConfigSources sources) {
    Path file = sources.configFile();
    if (file == null) {
      return Future.succeededFuture(defaults);
    }
    String path = file.toAbsolutePath().normalize().toString();
    return vertx
        .fileSystem()
        .exists(path)
        .compose(
            exists -> {
              if (exists) {
                return readYaml(vertx, path, "config file " + file)
                    .map(layer -> ConfigLayers.merge(defaults, layer));
              }
              if (sources.explicitFile()) {
                return Future.failedFuture(new ConfigException(notFound(file, path)));
              }
              return Future.succeededFuture(defaults);
            });
  }

  private static String notFound(Path file, String absolute) {
    String given = file.toString();
    return "config file not found: "
        + given
        + (given.equals(absolute) ? "" : " (resolved to " + absolute + ")");
  }

  /** Environment, then {@code --set}, then validation; all problems together. */
  private static WeirConfig resolve(JsonObject tree, ConfigSources sources) {
    List<String> problems = new ArrayList<>();
    problems.addAll(EnvironmentOverrides.apply(tree, sources.env()));
    problems.addAll(CommandLineOverrides.apply(tree, sources.sets()));
    WeirConfig config = null;
    try {
      config = ConfigParser.parse(tree);
    } catch (ConfigException e) {
      problems.addAll(e.problems());
    }
    if (!problems.isEmpty()) {
      throw new ConfigException(problems);
    }
    return config;
  }

  /**
   * Reads one YAML file (or classpath resource) as a normalized tree.
   *
   * @param description names the file in messages, e.g. {@code config file conf/stream.yaml}
   */
  private static Future<JsonObject> readYaml(Vertx vertx, String path, String description) {
    ConfigStoreOptions store =
        new ConfigStoreOptions()
            .setType("file")
            .setFormat("yaml")
            .setConfig(new JsonObject().put("path", path));
    ConfigRetriever retriever =
        ConfigRetriever.create(
            vertx, new ConfigRetrieverOptions().setScanPeriod(0).addStore(store));
    return retriever
        .getConfig()
        .map(ConfigLayers::normalizeObject)
        .recover(failure -> readFailure(failure, description))
        .eventually(retriever::close);
  }

  private static Future<JsonObject> readFailure(Throwable failure, String description) {
    // vertx-config-yaml 5.0.7 fails with a NullPointerException on a document that holds no
    // node at all (only comments); that is an empty configuration, not an error.
    if (failure instanceof NullPointerException) {
      return Future.succeededFuture(new JsonObject());
    }
    return Future.failedFuture(new ConfigException(readProblem(failure, description)));
  }

  /** "config file x.yaml: invalid YAML at line 3, column 2: ..." and the like. */
  static String readProblem(Throwable failure, String description) {
    for (Throwable t = failure; t != null; t = t.getCause()) {
      if (t instanceof MarkedYAMLException yaml) {
        return description + ": invalid YAML" + yamlProblem(yaml);
      }
      if (t instanceof DecodeException && t.getCause() instanceof ClassCastException) {
        return description
            + ": the top level must be a mapping of keys (such as app_name: Weir), not a list or"
            + " a single value";
      }
    }
    return description + ": cannot be read (" + failure.getMessage() + ")";
  }

  private static String yamlProblem(MarkedYAMLException yaml) {
    Mark mark = yaml.getProblemMark() != null ? yaml.getProblemMark() : yaml.getContextMark();
    String at =
        mark == null
            ? ""
            : " at line " + (mark.getLine() + 1) + ", column " + (mark.getColumn() + 1);
    String problem = yaml.getProblem() != null ? yaml.getProblem() : yaml.getMessage();
    String context = "";
    if (yaml.getContext() != null && yaml.getContextMark() != null) {
      Mark start = yaml.getContextMark();
      context =
          " ("
              + yaml.getContext()
              + " that starts at line "
              + (start.getLine() + 1)
              + ", column "
              + (start.getColumn() + 1)
              + ")";
    }
    return at + ": " + problem + context;
  }

  private static <T> Future<T> attempt(Supplier<T> step) {
    try {
      return Future.succeededFuture(step.get());
    } catch (ConfigException e) {
      return Future.failedFuture(e);
    }
  }
}
