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
import io.weir.pipeline.PipelineRestore;
import io.weir.sink.TransactionalFileSink;
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
  private io.weir.checkpoint.CheckpointStorage storage;
  private io.weir.checkpoint.CheckpointCoordinator coordinator;
  private io.weir.checkpoint.CheckpointMetadata restoredFrom;
  private volatile String recovery = "starting";
  private io.weir.state.rocksdb.RocksDbBackend rocksdb;

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
    io.weir.checkpoint.CheckpointStorage storage =
        new io.weir.checkpoint.CheckpointStorage(Path.of(config.state().checkpointDir()));
    return vertx
        .executeBlocking(
            () -> {
              storage.discardUnpublished();
              io.weir.checkpoint.CheckpointMetadata latest = storage.latest().orElse(null);
              return new Object[] {resolveSources(config, clock, latest), latest};
            },
            false)
        .compose(
            found -> {
              WeirApplication app = new WeirApplication(vertx, (WeirConfig) found[0], registry, clock);
              app.storage = storage;
              app.restoredFrom = (io.weir.checkpoint.CheckpointMetadata) found[1];
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
  private static WeirConfig resolveSources(
      WeirConfig config, InstantSource clock, io.weir.checkpoint.CheckpointMetadata restored) throws IOException {
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
        java.util.Map<String, Long> drawn =
            restored == null || restored.sources() == null ? null : restored.sources().get(mock.id());
        if (drawn != null && mock.seed() == null && drawn.get("seed") != null) {
          mock = mock.withSeed(drawn.get("seed"));
        }
        if (drawn != null && mock.startTime() == null && drawn.get("start_time") != null) {
          mock = mock.withStartTime(drawn.get("start_time"));
        }
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
    return findCheckpoint()
        .compose(v -> openStateBackend())
        .compose(v -> deploySinks())
        .compose(v -> recoverSinks())
        .compose(v -> deployPipelines())
        .compose(v -> startCheckpoints())
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

  private SinkVerticle createSink(SinkConfig sink) {
    if (sink instanceof FileSinkConfig file) {
      return new TransactionalFileSink(file.id(), Path.of(file.path()), storage.sinkStaging(file.id()));
    }
    return new ConsoleSink(((ConsoleSinkConfig) sink).id());
  }

  /** Reports the checkpoint to restore (found at start, with failed attempts dropped). */
  private Future<Void> findCheckpoint() {
    return Future.succeededFuture(restoredFrom)
        .map(
            latest -> {
              if (latest == null) {
                recovery = "no checkpoint: fresh start";
                LOG.info("checkpoints: none in {}: starting from the beginning of every source", storage.root());
              } else {
                recovery = "restoring checkpoint " + latest.id();
                LOG.info("checkpoints: restoring checkpoint {} from {}", latest.id(), storage.directory(latest.id()));
                checkCompatible(latest);
              }
              return null;
            });
  }

  /** A pipeline whose source, window or aggregations changed cannot use its old state. */
  private void checkCompatible(io.weir.checkpoint.CheckpointMetadata metadata) {
    for (PipelineConfig p : config.pipelines()) {
      io.weir.checkpoint.PipelineCheckpoint old = metadata.pipelines().get(p.id());
      if (old == null) {
        LOG.info("checkpoints: pipeline {} is new since checkpoint {}: it starts from the beginning", p.id(), metadata.id());
        continue;
      }
      List<String> problems = CheckpointCompatibility.problems(p, old);
      if (!problems.isEmpty()) {
        throw new StartupException(
            "pipeline " + p.id() + " cannot restore checkpoint " + metadata.id() + " ("
                + storage.directory(metadata.id()) + "): " + String.join("; ", problems)
                + ". Give the changed pipeline a new id (it then starts from the beginning), or move the"
                + " checkpoint directory away to start everything over; `weir validate --against-checkpoint`"
                + " tells before a deploy",
            null);
      }
    }
    for (String old : metadata.pipelines().keySet()) {
      if (config.pipelines().stream().noneMatch(p -> p.id().equals(old))) {
        LOG.warn("checkpoints: pipeline {} of checkpoint {} is no longer configured: its state is discarded", old, metadata.id());
      }
    }
  }

  private Future<Void> recoverSinks() {
    List<Future<Void>> all = new ArrayList<>();
    for (SinkVerticle sink : sinks) {
      if (sink.transactional()) {
        all.add(sink.recover(restoredFrom == null ? null : restoredFrom.sinks().get(sink.id())));
      }
    }
    return Future.all(all).mapEmpty();
  }

  private Future<Void> openStateBackend() {
    if (config.state().backend() != io.weir.config.StateConfig.StateBackend.ROCKSDB) {
      return Future.succeededFuture();
    }
    return io.weir.state.rocksdb.RocksDbBackend.open(vertx, config.state(), clock)
        .recover(e -> Future.failedFuture(new StartupException("state: cannot open RocksDB under " + config.state().dir() + ": " + e.getMessage(), e)))
        .map(
            backend -> {
              rocksdb = backend;
              return null;
            });
  }

  private io.weir.state.StateStore openStore(String pipelineId) {
    return rocksdb != null ? rocksdb.store(pipelineId) : new io.weir.state.InMemoryStateStore(vertx, pipelineId);
  }

  private Future<Void> deployPipelines() {
    Future<Void> chain = Future.succeededFuture();
    for (PipelineConfig p : config.pipelines()) {
      io.weir.state.StateStore store = openStore(p.id());
      io.weir.checkpoint.PipelineCheckpoint old =
          restoredFrom == null ? null : restoredFrom.pipelines().get(p.id());
      chain =
          chain.compose(
              v -> {
                Future<PipelineRestore> restored =
                    old == null
                        ? Future.succeededFuture(null)
                        : store
                            .restore(storage.directory(restoredFrom.id()).resolve(old.state()))
                            .map(x -> new PipelineRestore(restoredFrom.id(), old.channels(), old.watermark()));
                return restored.compose(
                    restore -> {
                      PipelineRuntime runtime = new PipelineRuntime(vertx, config, p, registry, clock, store, restore);
                      pipelineList.add(runtime);
                      return runtime.deploy();
                    });
              });
    }
    return chain.onSuccess(
        v -> {
          pipelines = new Pipelines(pipelineList);
          if (restoredFrom != null) {
            recovery = "restored checkpoint " + restoredFrom.id();
            LOG.info("checkpoints: restored checkpoint {}: state, source offsets and sink transactions", restoredFrom.id());
          }
        });
  }

  /** What this process drew for mock sources left unseeded, recorded in every checkpoint. */
  private java.util.Map<String, java.util.Map<String, Long>> sourceSettings() {
    java.util.Map<String, java.util.Map<String, Long>> out = new java.util.LinkedHashMap<>();
    for (SourceConfig source : config.sources()) {
      if (source instanceof MockSourceConfig mock) {
        java.util.Map<String, Long> drawn = new java.util.LinkedHashMap<>();
        drawn.put("seed", mock.seed());
        drawn.put("start_time", mock.startTime());
        out.put(mock.id(), drawn);
      }
    }
    return out;
  }

  private Future<Void> startCheckpoints() {
    double intervalSeconds = config.processing().checkpointIntervalSeconds();
    long intervalMs = Math.max(1, Math.round(intervalSeconds * 1000));
    return vertx
        .executeBlocking(storage::highestId, false)
        .map(
            highest -> {
              long next = Math.max(highest, restoredFrom == null ? 0 : restoredFrom.id()) + 1;
              coordinator =
                  new io.weir.checkpoint.CheckpointCoordinator(
                      vertx, storage, pipelineList, sinks, config.state().retained(), next,
                      Math.max(60_000, 10 * intervalMs), registry, sourceSettings());
              coordinator.startPeriodic(intervalMs);
              LOG.info("checkpoints: every {} ms into {} (next id {})", intervalMs, storage.root(), next);
              return null;
            });
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
            config.watermarks().idleTimeoutMs(), coordinator, this::recovery);
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
      drains.add(p.quiesce(timeout));
    }
    Future<Void> quiesced = Future.join(drains).mapEmpty();
    // Everything read is processed and handed to the sinks: a final checkpoint makes it visible
    // and lets a restart go on from here without reprocessing.
    Future<Void> drained =
        quiesced.compose(v -> finalCheckpoint())
            .transform(ar -> {
              List<Future<Void>> undeploys = new ArrayList<>();
              for (PipelineRuntime p : pipelineList) {
                undeploys.add(p.undeploy());
              }
              return Future.join(undeploys)
                  .transform(x -> ar.succeeded() ? Future.<Void>succeededFuture() : Future.<Void>failedFuture(ar.cause()));
            });
    shutdown =
        drained
            .transform(ar -> undeployAll(sinkDeployments))
            .transform(ar -> undeployAll(serverDeployments))
            .transform(ar -> rocksdb == null ? Future.<Void>succeededFuture() : rocksdb.close())
            .transform(ar -> drained)
            .onSuccess(v -> LOG.info("{}: shutdown complete", config.appName()))
            .onFailure(e -> LOG.error("{}: shutdown incomplete: {}", config.appName(), e.getMessage()));
    return shutdown;
  }

  private Future<Void> finalCheckpoint() {
    if (coordinator == null) {
      return Future.succeededFuture();
    }
    coordinator.stopPeriodic();
    return coordinator
        .triggerAfterCurrent(io.weir.checkpoint.CheckpointCoordinator.Trigger.FINAL)
        .onSuccess(info -> LOG.info("{}: final checkpoint {} published", config.appName(), info.id()))
        .mapEmpty();
  }

  public io.weir.checkpoint.CheckpointCoordinator checkpoints() {
    return coordinator;
  }

  /** What recovery did at start, for /health and the log. */
  public String recovery() {
    return recovery;
  }

  private Future<Void> undeployAll(List<String> deployments) {
    List<Future<Void>> undeploys = new ArrayList<>();
    for (String id : deployments) {
      undeploys.add(vertx.undeploy(id));
    }
    return Future.join(undeploys).mapEmpty();
  }
}
