package io.weir.app;

import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.weir.config.ConfigException;
import io.weir.config.ConfigLoader;
import io.weir.config.ConfigSources;
import io.weir.config.WeirConfig;
import java.time.InstantSource;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Command-line entry point: runs the service, or validates a configuration. Exit codes: 0 done
 * (validate: config OK; replay: every bounded source finished), 1 startup or validation
 * failure, 2 bad usage.
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
      return 0;
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
