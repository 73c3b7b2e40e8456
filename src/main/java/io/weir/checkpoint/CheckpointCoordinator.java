package io.weir.checkpoint;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.weir.metrics.MeterNames;
import io.weir.pipeline.PipelineRuntime;
import io.weir.pipeline.PipelineState;
import io.weir.sink.SinkCommit;
import io.weir.sink.SinkVerticle;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Takes aligned checkpoints (DESIGN.md §7), one at a time: barrier through every pipeline
 * (operators write their state, output before the barrier reaches the sinks), state snapshots,
 * sink pre-commits, atomic publish of {@code chk-<n>/_metadata}, sink commits, retention. A
 * failure before the publish discards the attempt and aborts the sinks' pre-commits (their
 * records join the next checkpoint); processing never stops for a failed checkpoint.
 * Thread-safe.
 */
public final class CheckpointCoordinator {
  private static final Logger LOG = LoggerFactory.getLogger(CheckpointCoordinator.class);
  private static final int HISTORY = 50;

  /** Why a checkpoint was taken. */
  public enum Trigger {
    INTERVAL,
    API,
    /** A pipeline finished its bounded input: commit its last results now. */
    PIPELINE_FINISHED,
    FINAL
  }

  private final Vertx vertx;
  private final CheckpointStorage storage;
  private final List<PipelineRuntime> pipelines;
  private final List<SinkVerticle> sinks;
  private final int retained;
  private final long timeoutMs;
  private final Timer duration;
  private final Counter completed;
  private final Counter failed;
  private final Deque<CheckpointInfo> history = new ArrayDeque<>();
  private long nextId;
  private CheckpointInfo inProgress;
  private Future<CheckpointInfo> current = Future.succeededFuture();
  private long timerId = -1;
  private long finishTimerId = -1;
  private static final long FINISH_POLL_MS = 50;
  /** Commits that failed after their checkpoint was published: retried before the next one. */
  private final Map<String, SinkCommit> unfinishedCommits = new ConcurrentHashMap<>();
  private volatile CheckpointInfo lastCompleted;
  private final Map<String, Map<String, Long>> sourceSettings;

  public CheckpointCoordinator(
      Vertx vertx,
      CheckpointStorage storage,
      List<PipelineRuntime> pipelines,
      List<SinkVerticle> sinks,
      int retained,
      long nextId,
      long timeoutMs,
      MeterRegistry registry,
      Map<String, Map<String, Long>> sourceSettings) {
    this.sourceSettings = sourceSettings;
    this.vertx = vertx;
    this.storage = storage;
    this.pipelines = pipelines;
    this.sinks = sinks;
    this.retained = retained;
    this.nextId = nextId;
    this.timeoutMs = timeoutMs;
    this.duration =
        Timer.builder(MeterNames.CHECKPOINT_DURATION)
            .description("Duration of completed checkpoints, from trigger to publish")
            .register(registry);
    this.completed = Counter.builder(MeterNames.CHECKPOINTS).tag("status", "completed").register(registry);
    this.failed = Counter.builder(MeterNames.CHECKPOINTS).tag("status", "failed").register(registry);
  }

  /** Triggers a checkpoint every {@code intervalMs}; a tick while one runs is skipped. */
  public synchronized void startPeriodic(long intervalMs) {
    timerId =
        vertx.setPeriodic(
            intervalMs,
            id -> {
              synchronized (this) {
                if (inProgress != null) {
                  return;
                }
              }
              trigger(Trigger.INTERVAL);
            });
    finishTimerId =
        vertx.setPeriodic(
            FINISH_POLL_MS,
            id -> {
              synchronized (this) {
                if (inProgress != null) {
                  return;
                }
              }
              if (pipelines.stream().anyMatch(PipelineRuntime::awaitsFinalCommit)) {
                trigger(Trigger.PIPELINE_FINISHED);
              }
            });
  }

  public synchronized void stopPeriodic() {
    if (timerId >= 0) {
      vertx.cancelTimer(timerId);
      timerId = -1;
    }
    if (finishTimerId >= 0) {
      vertx.cancelTimer(finishTimerId);
      finishTimerId = -1;
    }
  }

  /**
   * Starts checkpoint {@code n}; the future completes with its record once it is published (or
   * fails). Fails at once with {@link CheckpointInProgressException} when another is running.
   */
  public synchronized Future<CheckpointInfo> trigger(Trigger trigger) {
    if (inProgress != null) {
      return Future.failedFuture(new CheckpointInProgressException(inProgress.id()));
    }
    long id = nextId++;
    CheckpointInfo info = CheckpointInfo.started(id, trigger, System.currentTimeMillis());
    inProgress = info;
    java.util.concurrent.atomic.AtomicBoolean cancelled = new java.util.concurrent.atomic.AtomicBoolean();
    // A checkpoint that takes too long is cancelled, not abandoned: the barriers nobody passed
    // are failed, so the attempt fails, aborts its sinks and ends before the next one starts.
    long timeout =
        vertx.setTimer(
            timeoutMs,
            t -> {
              cancelled.set(true);
              LOG.error("checkpoint {}: timed out after {} ms; cancelling it", id, timeoutMs);
              for (PipelineRuntime p : pipelines) {
                p.cancelCheckpoint(id);
              }
            });
    current =
        run(info, cancelled)
            .transform(
                ar -> {
                  vertx.cancelTimer(timeout);
                  return finish(info, ar.succeeded() ? ar.result() : null, ar.cause());
                });
    return current;
  }

  /** Starts checkpoint {@code n} once the one in progress (if any) is over. */
  public Future<CheckpointInfo> triggerAfterCurrent(Trigger trigger) {
    Future<CheckpointInfo> running;
    synchronized (this) {
      running = current;
    }
    return running.transform(ar -> trigger(trigger));
  }

  /** The id {@link #trigger} would give next. */
  public synchronized long nextId() {
    return nextId;
  }

  public synchronized CheckpointInfo inProgress() {
    return inProgress;
  }

  /** The last published checkpoint, or null. */
  public CheckpointInfo lastCompleted() {
    return lastCompleted;
  }

  /** Recent checkpoints, newest first. */
  public synchronized List<CheckpointInfo> history() {
    List<CheckpointInfo> out = new ArrayList<>();
    if (inProgress != null) {
      out.add(inProgress);
    }
    out.addAll(history);
    return out;
  }

  private Future<CheckpointInfo> run(CheckpointInfo info, java.util.concurrent.atomic.AtomicBoolean cancelled) {
    long id = info.id();
    long startNanos = System.nanoTime();
    Map<String, Long> phases = new ConcurrentHashMap<>();
    Map<String, PipelineCheckpoint> parts = Collections.synchronizedMap(new LinkedHashMap<>());
    Map<String, SinkCommit> commits = Collections.synchronizedMap(new LinkedHashMap<>());
    long[] metadataBytes = new long[1];
    List<SinkVerticle> transactional = sinks.stream().filter(SinkVerticle::transactional).toList();
    Future<Path> begun = retryUnfinishedCommits().compose(v -> vertx.executeBlocking(() -> storage.begin(id), false));
    Future<CheckpointMetadata> published =
        begun
            .compose(
                dir -> {
                  List<Future<?>> all = new ArrayList<>();
                  for (PipelineRuntime p : pipelines) {
                    if (p.state() == PipelineState.FAILED) {
                      return Future.failedFuture("pipeline " + p.id() + " has failed");
                    }
                    all.add(p.checkpoint(id, dir, phases).onSuccess(c -> parts.put(p.id(), c)));
                  }
                  return Future.all(all);
                })
            .compose(
                v -> {
                  long preCommitStart = System.nanoTime();
                  List<Future<?>> all = new ArrayList<>();
                  for (SinkVerticle s : transactional) {
                    all.add(s.preCommit(id).onSuccess(c -> commits.put(s.id(), c)));
                  }
                  return Future.all(all)
                      .onSuccess(x -> phases.put("pre_commit", millisSince(preCommitStart)));
                })
            .compose(
                v -> {
                  if (cancelled.get()) {
                    return Future.failedFuture("checkpoint " + id + " timed out after " + timeoutMs + " ms");
                  }
                  long publishStart = System.nanoTime();
                  CheckpointMetadata metadata =
                      new CheckpointMetadata(
                          CheckpointMetadata.VERSION, id, info.startedAtMs(), new LinkedHashMap<>(parts), new LinkedHashMap<>(commits), new LinkedHashMap<>(phases), sourceSettings);
                  return vertx
                      .executeBlocking(
                          () -> {
                            metadataBytes[0] = storage.publish(metadata);
                            return metadata;
                          },
                          false)
                      .onSuccess(x -> phases.put("publish", millisSince(publishStart)));
                });
    return published
        .recover(
            e -> {
              // Not published: nothing of it is visible. Sinks keep what they staged for the next one.
              List<Future<Void>> aborts = new ArrayList<>();
              for (SinkVerticle s : transactional) {
                aborts.add(s.abort(id));
              }
              return Future.join(aborts)
                  .transform(ar -> vertx.executeBlocking(() -> {
                    storage.discard(id);
                    return null;
                  }, false))
                  .transform(ar -> Future.failedFuture(e));
            })
        .compose(
            metadata -> {
              long commitStart = System.nanoTime();
              List<Future<Void>> all = new ArrayList<>();
              for (SinkVerticle s : transactional) {
                SinkCommit c = metadata.sinks().get(s.id());
                if (c != null) {
                  all.add(
                      s.commit(c)
                          .onFailure(
                              e -> {
                                unfinishedCommits.put(s.id(), c);
                                LOG.error(
                                    "checkpoint {}: sink {} could not commit (retried before the next checkpoint and on restart): {}",
                                    id, s.id(), e.getMessage());
                              }));
                }
              }
              return Future.join(all)
                  .transform(
                      ar -> {
                        phases.put("commit", millisSince(commitStart));
                        return vertx.executeBlocking(
                            () -> {
                              storage.retain(retained);
                              return null;
                            },
                            false);
                      })
                  .map(
                      v ->
                          info.completed(
                              millisSince(startNanos),
                              // The directory holds the state snapshots and the metadata.
                              metadataBytes[0]
                                  + metadata.pipelines().values().stream().mapToLong(PipelineCheckpoint::stateBytes).sum(),
                              new LinkedHashMap<>(phases),
                              offsets(metadata)));
            });
  }

  private Future<Void> retryUnfinishedCommits() {
    List<Future<Void>> all = new ArrayList<>();
    for (SinkVerticle s : sinks) {
      SinkCommit c = unfinishedCommits.get(s.id());
      if (c != null) {
        all.add(s.commit(c).onSuccess(v -> unfinishedCommits.remove(s.id(), c)));
      }
    }
    return Future.all(all).mapEmpty();
  }

  private static Map<String, Map<Integer, Long>> offsets(CheckpointMetadata metadata) {
    Map<String, Map<Integer, Long>> out = new LinkedHashMap<>();
    metadata.pipelines().forEach((pipeline, part) -> {
      Map<Integer, Long> byPartition = new LinkedHashMap<>();
      for (ChannelState c : part.channels()) {
        byPartition.put(c.partition(), c.offset());
      }
      out.put(pipeline, byPartition);
    });
    return out;
  }

  private synchronized Future<CheckpointInfo> finish(CheckpointInfo started, CheckpointInfo done, Throwable error) {
    inProgress = null;
    CheckpointInfo result;
    if (done != null) {
      result = done;
      completed.increment();
      duration.record(done.durationMs(), TimeUnit.MILLISECONDS);
      lastCompleted = done;
      for (PipelineRuntime p : pipelines) {
        p.checkpointCompleted(done.id());
      }
      LOG.info(
          "checkpoint {} ({}) completed in {} ms, {} bytes, phases {}",
          done.id(), done.trigger().name().toLowerCase(java.util.Locale.ROOT), done.durationMs(), done.sizeBytes(), done.phasesMs());
    } else {
      String reason = error == null ? "unknown" : String.valueOf(error.getMessage());
      result = started.failed(System.currentTimeMillis() - started.startedAtMs(), reason);
      failed.increment();
      for (PipelineRuntime p : pipelines) {
        p.checkpointFailed(started.id());
      }
      LOG.error("checkpoint {} failed: {} (processing goes on; the next checkpoint retries)", started.id(), reason);
    }
    history.addFirst(result);
    while (history.size() > HISTORY) {
      history.removeLast();
    }
    return done != null ? Future.succeededFuture(result) : Future.failedFuture(new CheckpointFailedException(result));
  }

  private static long millisSince(long startNanos) {
    return (System.nanoTime() - startNanos) / 1_000_000;
  }

  /** A checkpoint is already running. */
  public static final class CheckpointInProgressException extends RuntimeException {
    public CheckpointInProgressException(long id) {
      super("checkpoint " + id + " is in progress");
    }
  }

  /** A checkpoint failed; its record says why. */
  public static final class CheckpointFailedException extends RuntimeException {
    public CheckpointFailedException(CheckpointInfo info) {
      super("checkpoint " + info.id() + " failed: " + info.error());
    }
  }
}
