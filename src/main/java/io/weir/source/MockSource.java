package io.weir.source;

import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.VerticleBase;
import io.weir.config.MockSourceConfig;
import io.weir.event.StreamEvent;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Reader of a mock source for one pipeline: emits {@link MockEventGenerator} events at {@code
 * rate_per_sec} (processing time) in batches, pausing while the pipeline is full. Event times
 * come from the generator, never from the wall clock after the start, so a seeded run with a
 * fixed {@code start_time} is reproducible. With {@code max_events} it ends every partition
 * with end-of-stream.
 */
public final class MockSource extends VerticleBase implements EventSource {
  private static final Logger LOG = LoggerFactory.getLogger(MockSource.class);
  private static final long TICK_MS = 5;

  private final MockSourceConfig config;
  private final String pipelineId;
  private final SourceOutput output;
  private final int batchSize;
  private final InstantSource clock;
  private final io.weir.pipeline.PipelineRestore restore;

  private MockEventGenerator generator;
  private boolean[] ended;
  private long timerId = -1;
  private long paceBase;
  private long emittedSinceBase;
  private int roundRobin;
  private boolean paused;
  /** A wake-up for when the pipeline has room again is registered and has not run yet. */
  private boolean awaitingCapacity;
  private volatile long blockedSinceNanos = -1;
  private volatile long backpressureNanos;
  private volatile boolean finished;

  public MockSource(
      MockSourceConfig config,
      String pipelineId,
      SourceOutput output,
      int batchSize,
      InstantSource clock,
      io.weir.pipeline.PipelineRestore restore) {
    this.restore = restore;
    this.config = config;
    this.pipelineId = pipelineId;
    this.output = output;
    this.batchSize = batchSize;
    this.clock = clock;
  }

  @Override
  public Future<?> start() {
    long startTime = config.startTime() != null ? config.startTime() : clock.millis();
    long seed = config.seed() != null ? config.seed() : new SplittableRandom().nextLong();
    generator = new MockEventGenerator(config, startTime, seed);
    ended = new boolean[config.partitions()];
    if (restore != null) {
      for (int p = 0; p < config.partitions(); p++) {
        io.weir.checkpoint.ChannelState c = restore.channel(p);
        if (c != null) {
          generator.skipTo(p, c.offset());
          if (c.position() == 1) {
            roundRobin = p;
          }
        }
      }
    }
    paceBase = clock.millis();
    timerId = vertx.setPeriodic(TICK_MS, id -> tick());
    LOG.info(
        "pipeline {}: mock source {} started: {} events/s, {} keys, {} partitions, seed {}, start_time {}{}",
        pipelineId,
        config.id(),
        config.ratePerSec(),
        config.keys(),
        config.partitions(),
        seed,
        startTime,
        config.maxEvents() == null ? "" : ", max_events " + config.maxEvents());
    return Future.succeededFuture();
  }

  private void tick() {
    if (paused || finished) {
      return;
    }
    if (!output.hasCapacity()) {
      if (blockedSinceNanos < 0) {
        blockedSinceNanos = System.nanoTime();
      }
      if (config.maxEvents() == null) {
        output.idleCheck(true);
      }
      awaitCapacity();
      return;
    }
    if (blockedSinceNanos >= 0) {
      backpressureNanos += System.nanoTime() - blockedSinceNanos;
      blockedSinceNanos = -1;
    }
    long now = clock.millis();
    long due = (long) ((now - paceBase) * config.ratePerSec() / 1000.0) - emittedSinceBase;
    long oneSecond = Math.max((long) config.ratePerSec(), 1);
    if (due > oneSecond) {
      // More than a second behind (slow downstream, a long GC): do not burst to catch up.
      due = oneSecond;
      paceBase = now;
      emittedSinceBase = -due;
    }
    long room = output.remainingCapacity();
    boolean limited = due > room;
    due = Math.min(due, room);
    if (due > 0) {
      emittedSinceBase += emit(due);
      endExhaustedPartitions();
    }
    if (limited && !finished) {
      // More was due than the pipeline took: go on as soon as it has room, not a tick later.
      awaitCapacity();
    }
    // A bounded source (a replay) is never idle: its results must not depend on timing.
    if (config.maxEvents() == null) {
      output.idleCheck(false);
    }
  }

  /** Ticks again as soon as the pipeline has room, besides the periodic ticks. */
  private void awaitCapacity() {
    if (awaitingCapacity) {
      return;
    }
    awaitingCapacity = true;
    output.onCapacity(
        () ->
            context.runOnContext(
                v -> {
                  awaitingCapacity = false;
                  tick();
                }));
  }

  private long emit(long due) {
    int partitions = generator.partitions();
    long emitted = 0;
    if (config.maxEvents() != null) {
      // Bounded (replay): whole batches in a fixed round-robin order, p0, p1, ..., so the order
      // in which operators see the partitions, and with it every result, does not depend on
      // timing. Pacing only decides when the next batch goes.
      while (emitted < due && !allExhausted()) {
        int p = roundRobin;
        roundRobin = (roundRobin + 1) % partitions;
        if (!generator.exhausted(p)) {
          emitted += emitBatch(p, batchSize);
          // End a partition right after its last batch: its place in the order is fixed too.
          endExhaustedPartitions();
        }
      }
      return emitted;
    }
    for (int i = 0; i < partitions; i++) {
      int p = (roundRobin + i) % partitions;
      long quota = due / partitions + (i < due % partitions ? 1 : 0);
      while (quota > 0 && !generator.exhausted(p)) {
        int n = emitBatch(p, (int) Math.min(quota, batchSize));
        quota -= n;
        emitted += n;
      }
    }
    roundRobin = (roundRobin + 1) % partitions;
    return emitted;
  }

  private int emitBatch(int partition, int max) {
    List<StreamEvent> batch = new ArrayList<>(max);
    for (int j = 0; j < max && !generator.exhausted(partition); j++) {
      batch.add(generator.next(partition));
    }
    output.emit(partition, batch);
    return batch.size();
  }

  private boolean allExhausted() {
    for (int p = 0; p < generator.partitions(); p++) {
      if (!generator.exhausted(p)) {
        return false;
      }
    }
    return true;
  }

  private void endExhaustedPartitions() {
    if (finished) {
      return;
    }
    boolean all = true;
    for (int p = 0; p < ended.length; p++) {
      if (!ended[p] && generator.exhausted(p)) {
        ended[p] = true;
        output.endOfStream(p);
      }
      all &= ended[p];
    }
    if (all) {
      finished = true;
      vertx.cancelTimer(timerId);
      LOG.info("pipeline {}: mock source {} ended all partitions", pipelineId, config.id());
    }
  }

  @Override
  public Future<java.util.List<io.weir.checkpoint.ChannelState>> checkpoint(long checkpointId) {
    Promise<java.util.List<io.weir.checkpoint.ChannelState>> result = Promise.promise();
    context.runOnContext(
        v -> {
          int n = generator.partitions();
          long[] offsets = new long[n];
          long[] byteOffsets = new long[n];
          java.util.Arrays.fill(byteOffsets, io.weir.checkpoint.ChannelState.NO_BYTE_OFFSET);
          long[] positions = new long[n];
          for (int p = 0; p < n; p++) {
            offsets[p] = generator.position(p);
            // The partition the round robin goes on with (a bounded replay's order depends on it).
            positions[p] = p == roundRobin ? 1 : 0;
          }
          result.complete(output.barrier(checkpointId, offsets, byteOffsets, positions));
        });
    return result.future();
  }

  @Override
  public Future<?> stop() {
    if (timerId >= 0) {
      vertx.cancelTimer(timerId);
    }
    return Future.succeededFuture();
  }

  @Override
  public String id() {
    return config.id();
  }

  @Override
  public int partitions() {
    return config.partitions();
  }

  @Override
  public Future<Void> pause() {
    return onContext(() -> paused = true);
  }

  @Override
  public Future<Void> resume() {
    return onContext(
        () -> {
          paused = false;
          output.resumed();
          // Resume at the configured rate from now on; the stopped time is not caught up.
          paceBase = clock.millis();
          emittedSinceBase = 0;
        });
  }

  private Future<Void> onContext(Runnable action) {
    Promise<Void> done = Promise.promise();
    context.runOnContext(
        v -> {
          action.run();
          done.complete();
        });
    return done.future();
  }

  @Override
  public boolean finished() {
    return finished;
  }

  @Override
  public boolean backpressured() {
    return blockedSinceNanos >= 0;
  }

  @Override
  public long backpressureNanos() {
    return backpressureNanos;
  }
}
