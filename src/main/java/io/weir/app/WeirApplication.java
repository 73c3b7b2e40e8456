package io.weir.app;

import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.vertx.core.DeploymentOptions;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.ThreadingModel;
import io.vertx.core.Vertx;
import io.weir.api.ApiServices;
import io.weir.api.ApiVerticle;
import io.weir.api.MetricsVerticle;
import io.weir.config.ConsoleSinkConfig;
import io.weir.config.FileSinkConfig;
import io.weir.config.FileSourceConfig;
import io.weir.config.MockSourceConfig;
import io.weir.config.PipelineConfig;
import io.weir.config.SinkConfig;
import io.weir.config.SourceConfig;
import io.weir.config.WeirConfig;
import io.weir.pipeline.Codecs;
import io.weir.pipeline.PipelineRuntime;
import io.weir.pipeline.PipelineState;
import io.weir.pipeline.Pipelines;
import io.weir.sink.ConsoleSink;
import io.weir.sink.FileSink;
import io.weir.sink.SinkVerticle;
import java.io.IOException;
import java.net.BindException;
import java.nio.file.Path;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Wires one Weir process: sinks (worker verticles), pipelines (operators, then sources), the
 * metrics endpoint and the REST API, in that order, and takes them down in the reverse order:
 * sources stop, in-flight batches drain, sinks flush and close, servers close.
 */
public final class WeirApplication {
  private static final Logger LOG = LoggerFactory.getLogger(WeirApplication.class);
  private static final long FINISH_POLL_MS = 100;

  private final Vertx vertx;
  private final WeirConfig config;
  private final PrometheusMeterRegistry registry;
  private final InstantSource clock;
  private final List<SinkVerticle> sinks = new ArrayList<>();
  private final List<String> sinkDeployments = new ArrayList<>();
  private final List<PipelineRuntime> pipelineList = new ArrayList<>();
  private final List<String> serverDeployments = new ArrayList<>();
  private Pipelines pipelines;
  private ApiVerticle api;
  private MetricsVerticle metrics;
  private Future<Void> shutdown;

  private WeirApplication(Vertx vertx, WeirConfig config, PrometheusMeterRegistry registry, InstantSource clock) {
    this.vertx = vertx;
    this.config = config;
    this.registry = registry;
    this.clock = clock;
  }

  /**
   * Deploys everything; the future completes when every port is bound and data flows, or fails
   * with a {@link StartupException} after undeploying what had started.
   */
  public static Future<WeirApplication> start(
      Vertx vertx, WeirConfig config, PrometheusMeterRegistry registry, InstantSource clock) {
    // Resolving file globs lists directories: not on an event loop.
    return vertx
        .executeBlocking(() -> resolveSources(config, clock), false)
        .compose(
            resolved -> {
              WeirApplication app = new WeirApplication(vertx, resolved, registry, clock);
              return app.deploy()
                  .map(app)
                  .recover(e -> app.shutdown().transform(ignored -> Future.failedFuture(e)));
            });
  }

  /**
   * Fixes what a source leaves open, once per source, so that every pipeline reading it sees the
   * same events: a mock source's null seed or start time, a file source's glob (the matched files,
   * sorted, become its partitions).
   *
   * @throws StartupException when a file source matches no file
   */
  private static WeirConfig resolveSources(WeirConfig config, InstantSource clock) throws IOException {
    List<SourceConfig> sources = new ArrayList<>();
    long now = clock.millis();
    for (SourceConfig source : config.sources()) {
      if (source instanceof FileSourceConfig file) {
        List<String> files = FileGlob.match(file.path());
        if (files.isEmpty()) {
          throw new StartupException(
              "source " + file.id() + ": no file matches path '" + file.path() + "' (relative to " + Path.of("").toAbsolutePath() + ")", null);
        }
        sources.add(file.withFiles(files));
      } else if (source instanceof MockSourceConfig mock) {
        if (mock.seed() == null) {
          mock = mock.withSeed(new SplittableRandom().nextLong());
        }
        if (mock.startTime() == null) {
          mock = mock.withStartTime(now);
        }
        sources.add(mock);
      } else {
        sources.add(source);
      }
    }
    return new WeirConfig(
        config.appName(), config.api(), config.metrics(), config.processing(), config.state(),
        config.watermarks(), sources, config.pipelines(), config.sinks());
  }

  private Future<Void> deploy() {
    Codecs.register(vertx.eventBus());
    long startedAt = clock.millis();
    return deploySinks()
        .compose(v -> deployPipelines())
        .compose(v -> deployMetrics())
        .compose(v -> deployApi(startedAt))
        .onSuccess(v -> LOG.info("{} is up: {} pipelines, {} sinks", config.appName(), pipelineList.size(), sinks.size()));
  }

  private Future<Void> deploySinks() {
    Future<Void> chain = Future.succeededFuture();
    for (SinkConfig sinkConfig : config.sinks()) {
      SinkVerticle sink = createSink(sinkConfig);
      sinks.add(sink);
      DeploymentOptions worker = new DeploymentOptions().setThreadingModel(ThreadingModel.WORKER);
      chain =
          chain.compose(
              v ->
                  vertx
                      .deployVerticle(sink, worker)
                      .recover(e -> Future.failedFuture(new StartupException("sink " + sink.id() + ": cannot open " + sink.describe() + ": " + e.getMessage(), e)))
                      .map(id -> {
                        sinkDeployments.add(id);
                        return null;
                      }));
    }
    return chain;
  }

  private static SinkVerticle createSink(SinkConfig sink) {
    if (sink instanceof FileSinkConfig file) {
      return new FileSink(file.id(), Path.of(file.path()));
    }
    return new ConsoleSink(((ConsoleSinkConfig) sink).id());
  }

  private Future<Void> deployPipelines() {
    Future<Void> chain = Future.succeededFuture();
    for (PipelineConfig p : config.pipelines()) {
      PipelineRuntime runtime = new PipelineRuntime(vertx, config, p, registry, clock);
      pipelineList.add(runtime);
      chain = chain.compose(v -> runtime.deploy());
    }
    pipelines = new Pipelines(pipelineList);
    return chain;
  }

  private Future<Void> deployMetrics() {
    if (!config.metrics().enabled()) {
      LOG.info("metrics: disabled (metrics.enabled: false)");
      return Future.succeededFuture();
    }
    metrics = new MetricsVerticle(config.metrics(), registry);
    return vertx
        .deployVerticle(metrics, new DeploymentOptions())
        .recover(e -> Future.failedFuture(listenFailure("metrics", "metrics.port", config.metrics().host(), config.metrics().port(), e)))
        .map(this::serverDeployed);
  }

  private Future<Void> deployApi(long startedAt) {
    ApiServices services =
        new ApiServices(
            config.appName(), version(), startedAt, clock, pipelines, sinks, config.metrics().enabled(), this::metricsPort,
            config.watermarks().idleTimeoutMs());
    api = new ApiVerticle(config.api(), services);
    return vertx
        .deployVerticle(api, new DeploymentOptions())
        .recover(e -> Future.failedFuture(listenFailure("api", "api.port", config.api().host(), config.api().port(), e)))
        .map(this::serverDeployed);
  }

  private Void serverDeployed(String id) {
    serverDeployments.add(id);
    return null;
  }

  private static StartupException listenFailure(String component, String key, String host, int port, Throwable e) {
    String reason =
        e instanceof BindException || String.valueOf(e.getMessage()).contains("Address already in use")
            ? "address already in use"
            : String.valueOf(e.getMessage());
    return new StartupException(
        component + ": cannot listen on " + host + ":" + port + ": " + reason
            + " (change " + key + " in the config, WEIR_" + key.replace('.', '_').toUpperCase(java.util.Locale.ROOT)
            + " or --set " + key + "=...; 0 picks a free port)",
        e);
  }

  static String version() {
    String v = WeirApplication.class.getPackage().getImplementationVersion();
    return v == null ? "dev" : v;
  }

  public int apiPort() {
    return api == null ? -1 : api.actualPort();
  }

  public int metricsPort() {
    return metrics == null ? -1 : metrics.actualPort();
  }

  public Pipelines pipelines() {
    return pipelines;
  }

  public WeirConfig config() {
    return config;
  }

  /**
   * Completes when every pipeline has finished: its bounded sources ended and every window
   * fired. Never completes while an unbounded source runs.
   */
  public Future<Void> allFinished() {
    Promise<Void> done = Promise.promise();
    vertx.setPeriodic(
        FINISH_POLL_MS,
        timer -> {
          boolean all = true;
          for (PipelineRuntime p : pipelineList) {
            all &= p.state() == PipelineState.FINISHED;
          }
          if (all) {
            vertx.cancelTimer(timer);
            done.tryComplete();
          }
        });
    return done.future();
  }

  /**
   * Graceful shutdown, idempotent: pipelines stop their sources and drain, then sinks flush and
   * close, then the servers close. Bounded by {@code processing.shutdown_timeout_ms} for the
   * drain.
   */
  public synchronized Future<Void> shutdown() {
    if (shutdown != null) {
      return shutdown;
    }
    LOG.info("{}: shutting down", config.appName());
    long timeout = config.processing().shutdownTimeoutMs();
    List<Future<Void>> drains = new ArrayList<>();
    for (PipelineRuntime p : pipelineList) {
      drains.add(p.shutdown(timeout));
    }
    Future<Void> drained = Future.join(drains).mapEmpty();
    shutdown =
        drained
            .transform(ar -> undeployAll(sinkDeployments))
            .transform(ar -> undeployAll(serverDeployments))
            .transform(ar -> drained)
            .onSuccess(v -> LOG.info("{}: shutdown complete", config.appName()))
            .onFailure(e -> LOG.error("{}: shutdown incomplete: {}", config.appName(), e.getMessage()));
    return shutdown;
  }

  private Future<Void> undeployAll(List<String> deployments) {
    List<Future<Void>> undeploys = new ArrayList<>();
    for (String id : deployments) {
      undeploys.add(vertx.undeploy(id));
    }
    return Future.join(undeploys).mapEmpty();
  }
}
