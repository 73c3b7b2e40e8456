package io.weir.pipeline;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.vertx.core.DeploymentOptions;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.ThreadingModel;
import io.vertx.core.Vertx;
import io.weir.config.FileSourceConfig;
import io.weir.config.MockSourceConfig;
import io.weir.config.PipelineConfig;
import io.weir.config.SourceConfig;
import io.weir.config.WeirConfig;
import io.weir.metrics.PipelineMeters;
import io.weir.source.EventSource;
import io.weir.source.FileSource;
import io.weir.source.MockSource;
import io.weir.window.KeyWindowView;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One running pipeline: its source reader, its P operator verticles (deployed one by one, so
 * Vert.x spreads them over event loops), their shared flow control and meters. Methods return
 * futures and may be called from any thread.
 */
public final class PipelineRuntime {
  private static final Logger LOG = LoggerFactory.getLogger(PipelineRuntime.class);
  private static final long SAMPLE_PERIOD_MS = 1000;
  private static final long DRAIN_POLL_MS = 10;

  private final Vertx vertx;
  private final WeirConfig config;
  private final PipelineConfig pipeline;
  private final SourceConfig sourceConfig;
  private final InstantSource clock;
  private final FlowControl flow;
  private final PipelineMeters meters;
  private final Map<String, Counter> sinkErrors = new HashMap<>();
  private final PipelineInput input;
  private final List<OperatorVerticle> operators = new ArrayList<>();
  private final List<String> deployments = new ArrayList<>();
  private EventSource source;
  private String sourceDeployment;
  private volatile PipelineState state = PipelineState.STARTING;
  private Future<PipelineState> lifecycle = Future.succeededFuture(PipelineState.STARTING);
  private volatile double eventsPerSecond;
  private long lastSampleEvents;
  private long samplerTimer = -1;
  private final io.weir.state.StateStore store;
  private final PipelineRestore restore;
  private volatile boolean committedAfterFinish;
  private volatile long lastCheckpointStateKeys;
  private volatile long lastCheckpointStateBytes;
  /** The checkpoint whose barrier was injected after all work was done, or -1. */
  private volatile long finishCheckpoint = -1;

  public PipelineRuntime(
      Vertx vertx, WeirConfig config, PipelineConfig pipeline, MeterRegistry registry, InstantSource clock) {
    this(vertx, config, pipeline, registry, clock, new io.weir.state.InMemoryStateStore(vertx, pipeline.id()), null);
  }

  /**
   * @param store the pipeline's state store (restored already when {@code restore} is given)
   * @param restore the checkpoint to continue from, or null for a fresh start
   */
  public PipelineRuntime(
      Vertx vertx,
      WeirConfig config,
      PipelineConfig pipeline,
      MeterRegistry registry,
      InstantSource clock,
      io.weir.state.StateStore store,
      PipelineRestore restore) {
    this.store = store;
    this.restore = restore;
    this.vertx = vertx;
    this.config = config;
    this.pipeline = pipeline;
    this.sourceConfig =
        config
            .source(pipeline.source())
            .orElseThrow(() -> new IllegalArgumentException("undefined source " + pipeline.source()));
    this.clock = clock;
    int batchSize = config.processing().batchSize();
    this.flow = new FlowControl(config.processing().queueSize());
    this.meters = new PipelineMeters(registry, pipeline.id());
    List<String> allSinks = new ArrayList<>(pipeline.sinks());
    if (pipeline.lateSink() != null) {
      allSinks.add(pipeline.lateSink());
    }
    for (String sink : allSinks) {
      sinkErrors.computeIfAbsent(sink, meters::sinkErrors);
    }
    this.input =
        new PipelineInput(
            vertx.eventBus(),
            pipeline.id(),
            sourceConfig.id(),
            pipeline.parallelism(),
            sourceConfig.partitions(),
            config.watermarks(),
            sourceConfig.deadLetter(),
            (reason, n) -> meters.deadLetters(sourceConfig.id(), reason, n),
            flow,
            batchSize,
            clock);
    if (restore != null) {
      input.restore(restore);
    }
    meters.activeWindows(this::activeKeyWindows);
    meters.stateSize(() -> lastCheckpointStateKeys, () -> lastCheckpointStateBytes);
    for (int p = 0; p < sourceConfig.partitions(); p++) {
      int partition = p;
      meters.watermarkLag(sourceConfig.id(), p, () -> lagSeconds(partition));
    }
  }

  public String id() {
    return pipeline.id();
  }

  public PipelineConfig config() {
    return pipeline;
  }

  public SourceConfig sourceConfig() {
    return sourceConfig;
  }

  public PipelineState state() {
    for (OperatorVerticle op : operators) {
      if (op.status().failure() != null) {
        return PipelineState.FAILED;
      }
    }
    PipelineState s = state;
    if (s == PipelineState.RUNNING && committedAfterFinish) {
      // Finished: every window fired and the output is committed (visible in exactly-once sinks).
      return PipelineState.FINISHED;
    }
    return s;
  }

  /**
   * True once the bounded source has ended, every window has fired and every output has reached
   * its sinks. The pipeline reports FINISHED after the next checkpoint has committed that output.
   */
  public boolean workDone() {
    if (source == null || !source.finished()) {
      return false;
    }
    for (OperatorVerticle op : operators) {
      if (!op.status().finished()) {
        return false;
      }
    }
    // Only now: a finished operator sends nothing more, so nothing can enter flight after this.
    return flow.drained();
  }

  /**
   * Whether operators keep a bounded state cache and spill beyond it: with the RocksDB backend,
   * except for early panes (which need every changed key in memory).
   */
  private boolean spills() {
    return config.state().backend() == io.weir.config.StateConfig.StateBackend.ROCKSDB
        && pipeline.window().emit().mode() != io.weir.config.WindowConfig.Emit.Mode.EARLY;
  }

  /** Each operator's share of {@code state.cache_max_bytes}, the budget of the whole process. */
  private long cacheBudgetBytes() {
    if (!spills()) {
      return Long.MAX_VALUE;
    }
    long operatorsInProcess = 0;
    for (PipelineConfig p : config.pipelines()) {
      operatorsInProcess += p.parallelism();
    }
    return config.state().cacheMaxBytes() / Math.max(1, operatorsInProcess);
  }

  /** Deploys the operators, then the source reader: data flows once this completes. */
  public Future<Void> deploy() {
    Future<Void> chain = Future.succeededFuture();
    for (int k = 0; k < pipeline.parallelism(); k++) {
      OperatorVerticle op =
          new OperatorVerticle(
              pipeline,
              sourceConfig.id(),
              k,
              sourceConfig.partitions(),
              flow,
              meters,
              sinkErrors,
              clock,
              store,
              restore,
              cacheBudgetBytes(),
              config.state().flushIntervalMs());
      operators.add(op);
      // An operator that may read evicted state back from RocksDB blocks: a worker verticle.
      DeploymentOptions options =
          spills() ? new DeploymentOptions().setThreadingModel(ThreadingModel.WORKER) : new DeploymentOptions();
      chain = chain.compose(v -> vertx.deployVerticle(op, options).map(this::deployed));
    }
    return chain
        .compose(v -> deploySource())
        .onSuccess(
            v -> {
              state = PipelineState.RUNNING;
              samplerTimer = vertx.setPeriodic(SAMPLE_PERIOD_MS, id -> sample());
              LOG.info(
                  "pipeline {}: running: source {} ({} partitions) -> {} x {} window {} ms -> sinks {}",
                  pipeline.id(),
                  sourceConfig.id(),
                  sourceConfig.partitions(),
                  pipeline.parallelism(),
                  pipeline.window().type().name().toLowerCase(java.util.Locale.ROOT),
                  pipeline.window().type() == io.weir.config.WindowConfig.WindowType.SESSION
                      ? "gap " + pipeline.window().gapMs()
                      : pipeline.window().sizeMs(),
                  pipeline.sinks());
            })
        .onFailure(
            e -> {
              state = PipelineState.FAILED;
              LOG.error("pipeline {}: failed to start: {}", pipeline.id(), e.getMessage());
            });
  }

  private Void deployed(String deploymentId) {
    deployments.add(deploymentId);
    return null;
  }

  private Future<Void> deploySource() {
    int batchSize = config.processing().batchSize();
    if (sourceConfig instanceof MockSourceConfig mock) {
      MockSource mockSource = new MockSource(mock, pipeline.id(), input, batchSize, clock, restore);
      source = mockSource;
      meters.backpressure(sourceConfig.id(), mockSource, MockSource::backpressureNanos);
      return vertx
          .deployVerticle(mockSource, new DeploymentOptions())
          .map(
              id -> {
                sourceDeployment = id;
                return null;
              });
    }
    if (sourceConfig instanceof FileSourceConfig file) {
      FileSource fileSource = new FileSource(file, pipeline.id(), input, batchSize, restore);
      source = fileSource;
      meters.backpressure(sourceConfig.id(), fileSource, FileSource::backpressureNanos);
      // File reads block: a worker verticle.
      return vertx
          .deployVerticle(fileSource, new DeploymentOptions().setThreadingModel(ThreadingModel.WORKER))
          .map(
              id -> {
                sourceDeployment = id;
                return null;
              });
    }
    return Future.failedFuture("no reader for source type of " + sourceConfig.id());
  }

  /**
   * Stops consumption: the source reads nothing more until {@link #start()}; state is kept.
   * Lifecycle requests are applied one after the other, in the order they were made.
   */
  public synchronized Future<PipelineState> stop() {
    Future<PipelineState> next = lifecycle.transform(ar -> doStop());
    lifecycle = next;
    return next;
  }

  /** Resumes consumption after {@link #stop()}; applied after any earlier lifecycle request. */
  public synchronized Future<PipelineState> start() {
    Future<PipelineState> next = lifecycle.transform(ar -> doStart());
    lifecycle = next;
    return next;
  }

  private Future<PipelineState> doStop() {
    if (state() != PipelineState.RUNNING) {
      return Future.succeededFuture(state());
    }
    return source
        .pause()
        .map(
            v -> {
              state = PipelineState.STOPPED;
              LOG.info("pipeline {}: stopped (source paused, window state kept)", pipeline.id());
              return state;
            });
  }

  private Future<PipelineState> doStart() {
    if (state != PipelineState.STOPPED) {
      return Future.succeededFuture(state());
    }
    return source
        .resume()
        .map(
            v -> {
              state = PipelineState.RUNNING;
              LOG.info("pipeline {}: started (source resumed)", pipeline.id());
              return state();
            });
  }

  /**
   * First step of a graceful shutdown: pauses the source and waits (up to {@code timeoutMs})
   * until every in-flight event is processed and every sink batch acknowledged. The pipeline can
   * still take a (final) checkpoint afterwards. Fails when the drain timed out.
   */
  public Future<Void> quiesce(long timeoutMs) {
    state = PipelineState.SHUTTING_DOWN;
    if (samplerTimer >= 0) {
      vertx.cancelTimer(samplerTimer);
    }
    Future<Void> paused = source == null ? Future.succeededFuture() : source.pause();
    return paused.compose(v -> drained(timeoutMs));
  }

  /** Last step of a shutdown: undeploys the source and the operators, closes the store. */
  public Future<Void> undeploy() {
    Future<Void> sourceStopped =
        sourceDeployment == null ? Future.succeededFuture() : vertx.undeploy(sourceDeployment);
    return sourceStopped.transform(
        ar -> {
          List<Future<Void>> undeploys = new ArrayList<>();
          for (String id : deployments) {
            undeploys.add(vertx.undeploy(id));
          }
          return Future.join(undeploys).<Void>mapEmpty().eventually(store::close);
        });
  }

  /**
   * Graceful shutdown without a checkpoint: {@link #quiesce} then {@link #undeploy}. Fails when
   * the drain timed out (everything is undeployed all the same).
   */
  public Future<Void> shutdown(long timeoutMs) {
    return quiesce(timeoutMs)
        .transform(drain -> undeploy().transform(ar -> drain.succeeded() ? Future.<Void>succeededFuture() : Future.<Void>failedFuture(drain.cause())));
  }

  /**
   * Takes this pipeline's part of checkpoint {@code checkpointId}: injects the barrier through
   * the source, waits until every operator has passed it (state written, output before it
   * handed to the sinks, dead letters too), then snapshots the state store into {@code
   * stateDir}. The timings of the phases are added to {@code phases}.
   */
  public Future<io.weir.checkpoint.PipelineCheckpoint> checkpoint(
      long checkpointId, java.nio.file.Path checkpointDir, Map<String, Long> phases) {
    if (source == null) {
      return Future.failedFuture("pipeline " + pipeline.id() + " has no source running");
    }
    long started = System.nanoTime();
    if (workDone() && finishCheckpoint < 0) {
      finishCheckpoint = checkpointId;
    }
    List<Future<Long>> acks = new ArrayList<>();
    for (OperatorVerticle op : operators) {
      acks.add(op.expectBarrier(checkpointId));
    }
    Future<List<io.weir.checkpoint.ChannelState>> channels = source.checkpoint(checkpointId);
    Future<Void> deadLetters = channels.compose(c -> input.deadLettersSent());
    java.nio.file.Path stateDir = checkpointDir.resolve(pipeline.id());
    return Future.all(Future.all(acks), deadLetters)
        .compose(
            all -> {
              long aligned = System.nanoTime();
              phases.merge("alignment", (aligned - started) / 1_000_000, Math::max);
              long watermark = Long.MAX_VALUE;
              for (Future<Long> ack : acks) {
                watermark = Math.min(watermark, ack.result());
              }
              long operatorWatermark = acks.isEmpty() ? Long.MIN_VALUE : watermark;
              return store.snapshot(stateDir)
                  .compose(v -> store.estimatedKeys())
                  .compose(
                      keys ->
                          vertx.executeBlocking(() -> io.weir.checkpoint.CheckpointStorage.size(stateDir), false)
                              .map(
                                  bytes -> {
                                    phases.merge("snapshot", (System.nanoTime() - aligned) / 1_000_000, Math::max);
                                    lastCheckpointStateKeys = keys;
                                    lastCheckpointStateBytes = bytes;
                                    return new io.weir.checkpoint.PipelineCheckpoint(
                                        sourceConfig.id(),
                                        channels.result(),
                                        pipeline.parallelism(),
                                        io.weir.checkpoint.KeyGroups.COUNT,
                                        windowSpec(pipeline),
                                        pipeline.aggregations().stream().map(a -> a.name().toLowerCase(java.util.Locale.ROOT)).toList(),
                                        pipeline.id(),
                                        operatorWatermark,
                                        keys,
                                        bytes);
                                  }));
            })
        .onFailure(
            e -> {
              for (OperatorVerticle op : operators) {
                op.cancelBarrier(checkpointId);
              }
            })
        // The snapshot holds what the operators wrote up to the barrier (or the checkpoint
        // failed): they may write what changed after it again, and trim their state caches.
        .andThen(ar -> releaseWrites(checkpointId));
  }

  private void releaseWrites(long checkpointId) {
    for (OperatorVerticle op : operators) {
      op.releaseWrites(checkpointId);
    }
  }

  /** Fails the barriers of checkpoint {@code checkpointId} that have not been passed yet. */
  public void cancelCheckpoint(long checkpointId) {
    for (OperatorVerticle op : operators) {
      op.cancelBarrier(checkpointId);
      op.releaseWrites(checkpointId);
    }
  }

  /** Checkpoint {@code checkpointId} is published and committed to the sinks. */
  public void checkpointCompleted(long checkpointId) {
    if (finishCheckpoint >= 0 && checkpointId >= finishCheckpoint) {
      committedAfterFinish = true;
    }
  }

  /** Checkpoint {@code checkpointId} failed: a later one must commit the finished output. */
  public void checkpointFailed(long checkpointId) {
    if (finishCheckpoint == checkpointId) {
      finishCheckpoint = -1;
    }
  }

  /** True when the pipeline's work is done but not yet committed by a checkpoint. */
  public boolean awaitsFinalCommit() {
    return !committedAfterFinish && state == PipelineState.RUNNING && workDone();
  }

  /** The window spec as recorded in checkpoints: a restore with another spec is refused. */
  public static String windowSpec(PipelineConfig p) {
    io.weir.config.WindowConfig w = p.window();
    return w.toString();
  }

  /** Bytes of this pipeline's state snapshot in the last checkpoint it took part in. */
  public long lastCheckpointStateBytes() {
    return lastCheckpointStateBytes;
  }

  public io.weir.state.StateStore store() {
    return store;
  }

  private Future<Void> drained(long timeoutMs) {
    Promise<Void> done = Promise.promise();
    long deadline = System.currentTimeMillis() + timeoutMs;
    if (flow.drained()) {
      return Future.succeededFuture();
    }
    vertx.setPeriodic(
        DRAIN_POLL_MS,
        timer -> {
          if (flow.drained()) {
            vertx.cancelTimer(timer);
            done.tryComplete();
          } else if (System.currentTimeMillis() > deadline) {
            vertx.cancelTimer(timer);
            done.tryFail(
                "pipeline " + pipeline.id() + ": drain timed out after " + timeoutMs + " ms with "
                    + flow.eventsInFlight() + " events and " + flow.sinkBatchesInFlight()
                    + " sink batches in flight");
          }
        });
    return done.future();
  }

  private void sample() {
    long processed = eventsProcessed();
    eventsPerSecond = (processed - lastSampleEvents) * 1000.0 / SAMPLE_PERIOD_MS;
    lastSampleEvents = processed;
  }

  private long eventsProcessed() {
    long n = 0;
    for (OperatorVerticle op : operators) {
      n += op.status().eventsProcessed();
    }
    return n;
  }

  private long activeKeyWindows() {
    long n = 0;
    for (OperatorVerticle op : operators) {
      n += op.status().activeKeyWindows();
    }
    return n;
  }

  private double lagSeconds(int partition) {
    long wm = input.partitionStatus(partition).watermark();
    if (wm == Long.MIN_VALUE || wm == Long.MAX_VALUE) {
      return Double.NaN;
    }
    return (clock.millis() - wm) / 1000.0;
  }

  /** True while the pipeline's source waits for downstream capacity. */
  public boolean backpressured() {
    return source != null && source.backpressured();
  }

  public InstantSource clock() {
    return clock;
  }

  /** The state cache figures of all this pipeline's operators together. */
  public OperatorVerticle.CacheStats cacheStats() {
    OperatorVerticle.CacheStats total = new OperatorVerticle.CacheStats(0, 0, 0, 0);
    for (OperatorVerticle op : operators) {
      total = total.plus(op.cacheStats());
    }
    return total;
  }

  public PipelineStats stats() {
    List<PartitionStatus> partitions = new ArrayList<>();
    long eventsIn = 0;
    for (int p = 0; p < input.partitions(); p++) {
      PartitionStatus s = input.partitionStatus(p);
      partitions.add(s);
      eventsIn += s.eventsIn();
    }
    List<OperatorStatus> ops = new ArrayList<>();
    long late = 0;
    long results = 0;
    long watermark = Long.MAX_VALUE;
    for (OperatorVerticle op : operators) {
      OperatorStatus s = op.status();
      ops.add(s);
      late += s.lateEvents();
      results += s.resultsEmitted();
      watermark = Math.min(watermark, s.watermark());
    }
    long errors = 0;
    for (Counter c : sinkErrors.values()) {
      errors += (long) c.count();
    }
    return new PipelineStats(
        pipeline.id(),
        state(),
        eventsIn,
        eventsProcessed(),
        late,
        results,
        activeKeyWindows(),
        operators.isEmpty() ? Long.MIN_VALUE : watermark,
        flow.eventsInFlight(),
        flow.sinkBatchesInFlight(),
        source == null ? 0 : source.backpressureNanos() / 1e9,
        eventsPerSecond,
        errors,
        partitions,
        ops);
  }

  /** Active key windows of this pipeline, up to {@code limit}, optionally of one key. */
  public Future<List<KeyWindowView>> windows(String keyOrNull, int limit) {
    List<Future<List<KeyWindowView>>> parts = new ArrayList<>();
    for (OperatorVerticle op : operators) {
      parts.add(op.windows(keyOrNull, limit));
    }
    return Future.all(parts)
        .map(
            all -> {
              List<KeyWindowView> out = new ArrayList<>();
              for (int i = 0; i < all.size() && out.size() < limit; i++) {
                List<KeyWindowView> part = all.resultAt(i);
                out.addAll(part.subList(0, Math.min(part.size(), limit - out.size())));
              }
              return out;
            });
  }
}
