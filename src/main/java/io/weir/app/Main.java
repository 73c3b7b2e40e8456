package io.weir.app;

import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.weir.checkpoint.CheckpointMetadata;
import io.weir.checkpoint.CheckpointStorage;
import io.weir.config.ConfigException;
import io.weir.config.ConfigLoader;
import io.weir.config.ConfigSources;
import io.weir.config.WeirConfig;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Command-line entry point: runs the service, or validates a configuration (and, with {@code
 * --against-checkpoint}, whether it restores a checkpoint). Exit codes: 0 done (validate: config
 * OK and the checkpoint restores; replay: every bounded source finished), 1 startup or validation
 * failure (validate: also a pipeline that cannot restore), 2 bad usage.
 */
public final class Main {
  private static final Logger LOG = LoggerFactory.getLogger(Main.class);
  private static final long SHUTDOWN_GRACE_MS = 5_000;

  private Main() {}

  public static void main(String[] args) {
    CommandLine cli;
    try {
      cli = CommandLine.parse(args);
    } catch (IllegalArgumentException e) {
      System.err.println("weir: " + e.getMessage());
      System.err.println(CommandLine.USAGE);
      System.exit(2);
      return;
    }
    if (cli.help()) {
      System.out.println(CommandLine.USAGE);
      return;
    }
    if (cli.validate()) {
      System.exit(validate(cli));
    }
    run(cli);
  }

  private static int validate(CommandLine cli) {
    Vertx vertx = Vertx.vertx();
    try {
      WeirConfig config = join(ConfigLoader.load(vertx, sources(cli)), 30_000);
      System.out.printf(
          "config OK: %d sources, %d pipelines, %d sinks%n",
          config.sources().size(), config.pipelines().size(), config.sinks().size());
      return cli.againstCheckpoint() == null ? 0 : validateAgainst(config, cli.againstCheckpoint());
    } catch (ConfigException e) {
      e.problems().forEach(p -> System.out.println("config error: " + p));
      return 1;
    } catch (Exception e) {
      System.out.println("config error: " + e.getMessage());
      return 1;
    } finally {
      vertx.close();
    }
  }

  /**
   * Prints what a start with {@code config} would do with the checkpoint in {@code dir}: 0 when it
   * restores (or {@code dir} holds none: a fresh start), 1 when a pipeline cannot restore or
   * {@code dir} does not exist or cannot be read. Runs on the main thread: blocking is fine here.
   */
  private static int validateAgainst(WeirConfig config, Path dir) {
    Path workDir = Path.of("").toAbsolutePath();
    Path given = workDir.resolve(dir).normalize();
    RestoreReport report;
    try {
      if (!Files.isDirectory(given)) {
        System.out.println("checkpoint error: " + given + " does not exist or is not a directory");
        return 1;
      }
      String name = given.getFileName() == null ? "" : given.getFileName().toString();
      boolean single = name.matches("chk-\\d+");
      CheckpointStorage storage =
          new CheckpointStorage(single ? given.getParent() : given);
      List<Long> published = storage.published();
      CheckpointMetadata metadata;
      if (single) {
        long id = Long.parseLong(name.substring("chk-".length()));
        if (!published.contains(id)) {
          System.out.println("checkpoint error: " + given + " was never published (no " + CheckpointStorage.METADATA + ")");
          return 1;
        }
        metadata = storage.read(id);
      } else if (published.isEmpty()) {
        report = RestoreReport.noCheckpoint(given);
        report.lines().forEach(System.out::println);
        return 0;
      } else {
        metadata = storage.latest().orElse(null);
        if (metadata == null) {
          System.out.println("checkpoint error: no readable " + CheckpointStorage.METADATA + " in " + given);
          return 1;
        }
      }
      report =
          RestoreReport.of(
              resolveFiles(config), metadata, storage.directory(metadata.id()), published.get(published.size() - 1), workDir);
    } catch (IOException e) {
      System.out.println("checkpoint error: cannot read " + given + ": " + e.getMessage());
      return 1;
    }
    report.lines().forEach(System.out::println);
    return report.restorable() ? 0 : 1;
  }

  /** File sources with their globs matched, as a start would see them (unmatched ones stay open). */
  private static WeirConfig resolveFiles(WeirConfig config) throws IOException {
    List<io.weir.config.SourceConfig> sources = new ArrayList<>();
    for (io.weir.config.SourceConfig source : config.sources()) {
      sources.add(
          source instanceof io.weir.config.FileSourceConfig file ? file.withFiles(FileGlob.match(file.path())) : source);
    }
    return new WeirConfig(
        config.appName(), config.api(), config.metrics(), config.processing(), config.state(),
        config.watermarks(), sources, config.pipelines(), config.sinks());
  }

  private static void run(CommandLine cli) {
    PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    Vertx vertx = WeirVertx.create(registry);
    ConfigLoader.load(vertx, sources(cli))
        .compose(config -> WeirApplication.start(vertx, config, registry, InstantSource.system()))
        .onSuccess(app -> onStarted(vertx, app))
        .onFailure(e -> fail(vertx, e));
  }

  private static void onStarted(Vertx vertx, WeirApplication app) {
    Runtime.getRuntime().addShutdownHook(new Thread(() -> shutdown(vertx, app), "weir-shutdown"));
    if (app.config().sources().stream().allMatch(Main::bounded)) {
      LOG.info("every source is bounded: replay mode, the process exits when all windows have fired");
      app.allFinished()
          .compose(v -> app.shutdown())
          .eventually(vertx::close)
          .onComplete(ar -> Runtime.getRuntime().halt(ar.succeeded() ? 0 : 1));
    }
  }

  private static boolean bounded(io.weir.config.SourceConfig source) {
    return (source instanceof io.weir.config.MockSourceConfig mock && mock.maxEvents() != null)
        || (source instanceof io.weir.config.FileSourceConfig file && file.bounded());
  }

  private static void fail(Vertx vertx, Throwable e) {
    if (e instanceof ConfigException config) {
      config.problems().forEach(p -> LOG.error("config error: {}", p));
    } else if (e instanceof StartupException) {
      LOG.error("{}", e.getMessage());
    } else {
      LOG.error("startup failed: {}", e.toString(), e);
    }
    vertx.close().onComplete(ar -> System.exit(1));
  }

  /**
   * Runs in the JVM's shutdown hook on SIGTERM/SIGINT. Blocking here is the hook's contract: the
   * JVM exits when this thread returns, so it waits (bounded) for the graceful shutdown.
   */
  private static void shutdown(Vertx vertx, WeirApplication app) {
    long bound = app.config().processing().shutdownTimeoutMs() + SHUTDOWN_GRACE_MS;
    CompletableFuture<Boolean> done = new CompletableFuture<>();
    Future<Void> graceful = app.shutdown();
    graceful.eventually(vertx::close).onComplete(ar -> done.complete(graceful.succeeded()));
    int status = 0;
    try {
      status = done.get(bound, TimeUnit.MILLISECONDS) ? 0 : 1;
    } catch (TimeoutException e) {
      LOG.error("shutdown did not finish within {} ms; exiting anyway", bound);
      status = 1;
    } catch (Exception e) {
      LOG.error("shutdown failed: {}", e.toString());
      status = 1;
    }
    // A clean stop on SIGTERM exits 0 (the JVM would otherwise report 143); a drain that timed
    // out, losing in-flight data, exits 1.
    Runtime.getRuntime().halt(status);
  }

  private static ConfigSources sources(CommandLine cli) {
    return ConfigSources.defaults(cli.configFile(), cli.explicitConfig(), cli.sets());
  }

  private static <T> T join(Future<T> future, long timeoutMs) throws Exception {
    CompletableFuture<T> result = new CompletableFuture<>();
    future.onComplete(ar -> {
      if (ar.succeeded()) {
        result.complete(ar.result());
      } else {
        result.completeExceptionally(ar.cause());
      }
    });
    try {
      return result.get(timeoutMs, TimeUnit.MILLISECONDS);
    } catch (java.util.concurrent.ExecutionException e) {
      throw e.getCause() instanceof Exception cause ? cause : e;
    }
  }
}
