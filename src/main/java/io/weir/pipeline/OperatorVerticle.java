package io.weir.pipeline;

import io.micrometer.core.instrument.Counter;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.VerticleBase;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.eventbus.EventBus;
import io.vertx.core.eventbus.Message;
import io.vertx.core.eventbus.MessageConsumer;
import io.weir.config.AggregationKind;
import io.weir.config.PipelineConfig;
import io.weir.config.WindowConfig;
import io.weir.event.Barrier;
import io.weir.event.ChannelIdle;
import io.weir.event.EndOfStream;
import io.weir.event.EventBatch;
import io.weir.event.StreamElement;
import io.weir.event.StreamEvent;
import io.weir.event.Watermark;
import io.weir.metrics.PipelineMeters;
import io.weir.sink.DeadLetter;
import io.weir.sink.SinkAddress;
import io.weir.sink.SinkBatch;
import io.weir.sink.SinkRecord;
import io.weir.sink.WindowResult;
import io.weir.watermark.WatermarkCombiner;
import io.weir.window.Accumulator;
import io.weir.window.Pane;
import io.weir.window.Window;
import io.weir.window.WindowOperator;
import io.weir.window.KeyWindowView;
import io.weir.window.WindowOutput;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Operator partition {@code index} of a pipeline: consumes its input channels in-band
 * (batches, watermarks, end-of-stream), drives a {@link WindowOperator}, and sends what fires to
 * the pipeline's sinks and what is dropped as late to its late sink. Everything runs on this
 * verticle's event loop; the window state is confined to it.
 */
public final class OperatorVerticle extends VerticleBase implements WindowOutput {
  private static final Logger LOG = LoggerFactory.getLogger(OperatorVerticle.class);
  /** A sink may take long (a full disk being cleaned up); the reply is our credit back. */
  private static final DeliveryOptions SINK_DELIVERY = new DeliveryOptions().setSendTimeout(300_000);

  private final PipelineConfig pipeline;
  private final String sourceId;
  private final int index;
  private final int channels;
  private final FlowControl flow;
  private final PipelineMeters meters;
  private final Map<String, Counter> sinkErrors;

  private WindowOperator windows;
  private WatermarkCombiner watermarks;
  private MessageConsumer<StreamElement> consumer;
  private boolean[] ended;
  private int endedCount;
  private List<SinkRecord> results = new ArrayList<>();
  private List<SinkRecord> late = new ArrayList<>();
  private long eventsProcessed;
  private long lateEvents;
  private long lateEventsReported;
  private long resultsEmitted;
  private volatile OperatorStatus status;
  private String failure;
  private boolean processingTime;
  private long clockTimer = -1;
  private long earlyTimer = -1;
  private static final long PROCESSING_TIME_TICK_MS = 10;
  private boolean quantiles;
  private DistinctField distinct;
  private long lastWatermark = Long.MIN_VALUE;
  private long watermarkSinceMs;
  private final java.time.InstantSource clock;
  private final io.weir.state.StateStore store;
  private final PipelineRestore restore;
  /** The id of the last checkpoint barrier passed: output produced now belongs to the next one. */
  private long epoch;
  /**
   * Bounded state cache: beyond this many (estimated) bytes of window state, keys that did not
   * change since the last checkpoint are dropped from memory (their state is in the store) and
   * read back when an element or a timer needs them. Long.MAX_VALUE: no bound.
   */
  private final long cacheBudgetBytes;
  /** Evicted keys and the watermark at which each is needed again. */
  private final java.util.HashMap<String, Long> evicted = new java.util.HashMap<>();
  private final java.util.TreeMap<Long, java.util.Set<String>> evictedByTimer = new java.util.TreeMap<>();
  private long evictions;
  private long reloads;
  /** Elements and timers that needed a key's state: {@link #reloads} of them missed the cache. */
  private long keyAccesses;
  private volatile CacheStats cacheStats = new CacheStats(0, 0, 0, 0);
  /** Store writes issued at barriers (event-loop confined): eviction waits for the latest. */
  private long writesIssued;
  /** Ids seen within {@code dedup_horizon_ms}, or null when the pipeline does not deduplicate. */
  private DedupFilter dedup;
  private long duplicates;
  private long eventsSinceExpiry;
  /** Store keys of dedup state: the key's entry plus this suffix. */
  private static final byte[] DEDUP_SUFFIX = {io.weir.state.KeyLayout.DEDUP};
  /**
   * Write-behind also as soon as this many changes are pending, so that a barrier never has more
   * than about this many to write (a checkpoint's alignment stays short at any event rate).
   */
  private static final int FLUSH_CHANGES = 16_384;
  /** Write-behind: state that changed is written to the store this often between barriers. */
  private final long flushIntervalMs;
  private long flushTimer = -1;
  /** {@link io.weir.state.KeyLayout#FORMAT_KEY} has been written by this operator. */
  private boolean formatWritten;
  /**
   * The checkpoint whose barrier this operator passed and whose store snapshot is not taken yet,
   * or -1: until then nothing is written behind (the snapshot must not see what changed after
   * the barrier). Confined to the operator's context.
   */
  private long writesHeldFor = -1;
  /** The barrier's write succeeded: the state cache is trimmed once writes are released. */
  private boolean evictWhenReleased;
  /** Keys whose state changed since the last barrier: what the next checkpoint writes. */
  private java.util.HashSet<String> dirtyKeys = new java.util.HashSet<>();
  /** Sink requests not yet answered (event-loop confined). */
  private final java.util.Set<Future<?>> sinkRequests = new java.util.HashSet<>();
  private final java.util.concurrent.ConcurrentHashMap<Long, Promise<Long>> barrierWaiters =
      new java.util.concurrent.ConcurrentHashMap<>();

  public OperatorVerticle(
      PipelineConfig pipeline,
      String sourceId,
      int index,
      int channels,
      FlowControl flow,
      PipelineMeters meters,
      Map<String, Counter> sinkErrors,
      java.time.InstantSource clock,
      io.weir.state.StateStore store,
      PipelineRestore restore,
      long cacheBudgetBytes,
      long flushIntervalMs) {
    this.cacheBudgetBytes = cacheBudgetBytes;
    this.flushIntervalMs = flushIntervalMs;
    this.store = store;
    this.restore = restore;
    this.epoch = restore == null ? 0 : restore.checkpointId();
    this.pipeline = pipeline;
    this.sourceId = sourceId;
    this.index = index;
    this.channels = channels;
    this.flow = flow;
    this.meters = meters;
    this.sinkErrors = sinkErrors;
    this.clock = clock;
    this.watermarkSinceMs = clock.millis();
    this.status = OperatorStatus.initial(index, channels, watermarkSinceMs);
  }

  @Override
  public Future<?> start() {
    quantiles = pipeline.aggregations().stream().anyMatch(AggregationKind::isQuantile);
    distinct = pipeline.distinctField() == null ? null : new DistinctField(pipeline.distinctField());
    windows =
        WindowOperators.create(pipeline.window(), this, new Accumulator.Spec(quantiles, distinct != null));
    watermarks = new WatermarkCombiner(channels);
    dedup = pipeline.dedupHorizonMs() == null ? null : new DedupFilter(pipeline.dedupHorizonMs());
    ended = new boolean[channels];
    processingTime = pipeline.window().time() == WindowConfig.TimeDomain.PROCESSING;
    if (processingTime) {
      // Windows close by the wall clock: its time, minus 1 ms, is the watermark.
      clockTimer = vertx.setPeriodic(PROCESSING_TIME_TICK_MS, id -> onClockTick());
    }
    if (pipeline.window().emit().mode() == WindowConfig.Emit.Mode.EARLY) {
      earlyTimer = vertx.setPeriodic(pipeline.window().emit().earlyEveryMs(), id -> onEarlyTick());
    }
    if (store != null && flushIntervalMs > 0 && context.isWorkerContext()) {
      // Write-behind where the store is RocksDB (this operator is then a worker verticle and
      // writes on its own thread). The memory backend writes its whole state into one file at
      // every checkpoint anyway: it gains nothing from writing earlier.
      flushTimer = vertx.setPeriodic(flushIntervalMs, id -> flushBehind());
    }
    Future<Void> restored = restore == null ? Future.succeededFuture() : restoreState();
    return restored.compose(
        v -> {
          consumer =
              vertx.eventBus().localConsumer(PipelineAddress.operator(pipeline.id(), index), this::onElement);
          return consumer.completion();
        });
  }

  private int parallelism() {
    return pipeline.parallelism();
  }

  /**
   * Loads the key groups this partition owns and the channels' watermarks from the checkpoint.
   * When the operator may block on reads (a worker verticle), tracks its timers and the store
   * has the timer index, the restore is lazy: only the index is read (one small entry per key),
   * every key is treated as evicted and read back before its next element or timer.
   */
  private Future<Void> restoreState() {
    int first = io.weir.checkpoint.KeyGroups.first(index, parallelism());
    int end = io.weir.checkpoint.KeyGroups.end(index, parallelism());
    boolean canBeLazy = context.isWorkerContext() && dedup == null;
    return store
        .get(io.weir.state.KeyLayout.FORMAT_KEY)
        .compose(
            format -> {
              boolean lazy = canBeLazy && format != null;
              List<Future<List<io.weir.state.StateEntry>>> scans = new ArrayList<>();
              for (int kg = first; kg < end; kg++) {
                scans.add(
                    store.prefixScan(
                        io.weir.state.KeyLayout.partitionPrefix(
                            lazy ? io.weir.state.KeyLayout.TIMER_INDEX + kg : kg)));
              }
              long started = System.nanoTime();
              return Future.all(scans).map(all -> restored(all, lazy, format != null, first, end, started));
            });
  }

  private Void restored(
      io.vertx.core.CompositeFuture all, boolean lazy, boolean indexed, int first, int end, long started) {
    windows.restoreWatermark(restore.watermark());
    long keys = 0;
    java.util.Set<String> restoredKeys = new java.util.HashSet<>();
    for (int i = 0; i < all.size(); i++) {
      List<io.weir.state.StateEntry> entries = all.resultAt(i);
      for (io.weir.state.StateEntry e : entries) {
        String key = io.weir.state.KeyLayout.key(e.key());
        if (lazy) {
          markEvicted(key, java.nio.ByteBuffer.wrap(e.value()).getLong());
          keys++;
        } else if (restoreEntry(key, e, true) && restoredKeys.add(key)) {
          keys++;
        }
      }
    }
    if (!indexed) {
      // A checkpoint written before the timer index: write every key's entry at the next flush.
      dirtyKeys.addAll(restoredKeys);
    }
    for (io.weir.checkpoint.ChannelState c : restore.channels()) {
      if (c.partition() >= channels) {
        continue;
      }
      watermarks.restore(c.partition(), c.ended() ? Watermark.MAX : c.watermark(), c.idle());
      if (c.ended()) {
        ended[c.partition()] = true;
        endedCount++;
      }
    }
    watermarks.restoreCombined(restore.watermark());
    LOG.info(
        "pipeline {} operator {}: restored {} keys{} (key groups {}..{}) at watermark {} from checkpoint {} in {} ms",
        pipeline.id(), index, keys, lazy ? " lazily (read back when needed)" : "", first, end - 1,
        restore.watermark(), restore.checkpointId(), (System.nanoTime() - started) / 1_000_000);
    publishStatus();
    return null;
  }

  /**
   * Restores one store entry of {@code key}: its whole state, one of its windows or (with
   * {@code withDedup}) its dedup ids; other entries are ignored. Returns true for window state.
   */
  private boolean restoreEntry(String key, io.weir.state.StateEntry e, boolean withDedup) {
    byte[] k = e.key();
    if (io.weir.state.KeyLayout.suffixLength(k) == 0) {
      windows.restoreKey(key, e.value());
      return true;
    }
    byte tag = io.weir.state.KeyLayout.suffixTag(k);
    if (tag == io.weir.state.KeyLayout.WINDOW) {
      windows.restoreWindow(key, io.weir.state.KeyLayout.time(k), e.value());
      return true;
    }
    if (tag == io.weir.state.KeyLayout.DEDUP && withDedup && dedup != null) {
      dedup.restore(key, e.value());
    }
    return false;
  }

  /**
   * Returns a future completed once this partition has passed barrier {@code checkpointId}: its
   * state is written to the store and every output produced before it has reached its sinks.
   * Its value is the operator's watermark at the barrier. Call before the barrier is sent.
   */
  public Future<Long> expectBarrier(long checkpointId) {
    Promise<Long> p = Promise.promise();
    barrierWaiters.put(checkpointId, p);
    return p.future();
  }

  /** Abandons a barrier that will not come (the checkpoint failed before it was sent). */
  public void cancelBarrier(long checkpointId) {
    Promise<Long> p = barrierWaiters.remove(checkpointId);
    if (p != null) {
      p.tryFail("checkpoint " + checkpointId + " was abandoned");
    }
  }

  /**
   * The store snapshot of checkpoint {@code checkpointId} is taken (or the checkpoint failed):
   * writing behind may go on. Safe from any thread.
   */
  public void releaseWrites(long checkpointId) {
    context.runOnContext(
        v -> {
          if (writesHeldFor == checkpointId) {
            writesHeldFor = -1;
            if (evictWhenReleased) {
              // Now, not at the barrier: dropping state costs CPU the checkpoint should have.
              // What changed since the barrier is written first, so that every key is clean.
              evictWhenReleased = false;
              if (flushTimer >= 0) {
                flushBehind();
              }
              evictIfOverBudget();
            }
          }
        });
  }

  private void onBarrier(Barrier b) {
    epoch = b.checkpointId();
    Promise<Long> waiter = barrierWaiters.remove(b.checkpointId());
    if (waiter == null) {
      LOG.debug("pipeline {} operator {}: barrier {} that nobody waits for", pipeline.id(), index, b.checkpointId());
      return;
    }
    if (failure != null) {
      waiter.fail("operator " + index + " has failed: " + failure);
      return;
    }
    long watermark = watermarks.current();
    // Incremental: only what changed since the last write (the store holds the rest).
    long collecting = System.nanoTime();
    io.weir.state.StateBatch batch = collectChanges();
    writesHeldFor = b.checkpointId();
    evictWhenReleased = false;
    // Output sent before the barrier must be staged by its sinks before the checkpoint goes on;
    // a failed request is the sink's to report (its pre-commit fails).
    List<Future<?>> before = new ArrayList<>(sinkRequests);
    Future<Void> sent = Future.join(before).<Void>mapEmpty().recover(e -> Future.succeededFuture());
    long writing = System.nanoTime();
    long write = ++writesIssued;
    Future<Void> written =
        writeState(batch)
            .onSuccess(
                v ->
                    context.runOnContext(
                        x -> {
                          long done = System.nanoTime();
                          if (done - collecting > 250_000_000L) {
                            LOG.info(
                                "pipeline {} operator {}: barrier {}: {} state changes collected in {} ms, written in {} ms",
                                pipeline.id(), index, b.checkpointId(), batch.size(),
                                (writing - collecting) / 1_000_000, (done - writing) / 1_000_000);
                          }
                          // Only when no later write is in flight: then every key not dirty now
                          // has its latest state in the store.
                          if (write == writesIssued) {
                            evictWhenReleased = true;
                          }
                        }));
    Future.all(sent, written).map(watermark).onComplete(waiter);
  }

  /**
   * Everything that changed since the last write, as one batch: the windows that changed (or each
   * changed key's whole state, per the operator's layout), dedup ids and the timer index.
   */
  private io.weir.state.StateBatch collectChanges() {
    if (dedup != null) {
      dedup.expire(watermarks.current(), dirtyKeys);
    }
    java.util.Set<String> changed = dirtyKeys;
    dirtyKeys = new java.util.HashSet<>();
    io.weir.state.StateBatch batch = new io.weir.state.StateBatch();
    java.util.HashMap<String, byte[]> prefixes = new java.util.HashMap<>();
    java.util.function.Function<String, byte[]> prefixOf = key -> prefixes.computeIfAbsent(key, OperatorVerticle::storeKey);
    if (dedup != null) {
      for (String key : changed) {
        byte[] entry = concat(prefixOf.apply(key), DEDUP_SUFFIX);
        byte[] ids = dedup.snapshot(key);
        if (ids == null) {
          batch.delete(entry);
        } else {
          batch.put(entry, ids);
        }
      }
    }
    if (!evicted.isEmpty()) {
      // Dedup expiry marks keys changed whose window state is evicted: that state is in the store.
      changed.removeIf(evicted::containsKey);
    }
    windows.flushChanges(
        changed,
        new io.weir.window.StateChanges() {
          @Override
          public void key(String key, byte[] state) {
            byte[] entry = prefixOf.apply(key);
            if (state == null) {
              batch.delete(entry);
            } else {
              batch.put(entry, state);
            }
          }

          @Override
          public void window(String key, long end, byte[] state) {
            byte[] entry = io.weir.state.KeyLayout.windowKey(prefixOf.apply(key), end);
            if (state == null) {
              batch.delete(entry);
            } else {
              batch.put(entry, state);
            }
          }
        });
    if (!formatWritten) {
      batch.put(io.weir.state.KeyLayout.FORMAT_KEY, new byte[] {1});
      formatWritten = true;
    }
    for (String key : changed) {
      byte[] entry = io.weir.state.KeyLayout.timerIndexKey(prefixOf.apply(key));
      long timer = windows.nextTimer(key);
      if (timer == WindowOperator.NO_STATE) {
        batch.delete(entry);
      } else {
        batch.put(entry, java.nio.ByteBuffer.allocate(8).putLong(timer).array());
      }
    }
    return batch;
  }

  /**
   * Writes a batch of state changes: on this thread when the operator is a worker verticle (the
   * RocksDB backend), so that the operator never produces changes faster than the store takes
   * them and no backlog builds up for a checkpoint to wait for; asynchronously otherwise. A failed
   * write loses changes the store must have (the keys are no longer marked changed), so it fails
   * the operator: later checkpoints would be wrong.
   */
  private Future<Void> writeState(io.weir.state.StateBatch batch) {
    if (batch.size() == 0) {
      return Future.succeededFuture();
    }
    if (context.isWorkerContext()) {
      try {
        store.writeNow(batch);
        return Future.succeededFuture();
      } catch (RuntimeException e) {
        writeFailed(e);
        return Future.failedFuture(e);
      }
    }
    return store.write(batch).onFailure(e -> context.runOnContext(v -> writeFailed(e)));
  }

  private void writeFailed(Throwable e) {
    if (failure == null) {
      failure = "writing state failed: " + e.getMessage();
      LOG.error("pipeline {} operator {}: {}; no further input is processed", pipeline.id(), index, failure, e);
      publishStatus();
    }
  }

  /** Write-behind: writes what changed since the last write, so that barriers find little to do. */
  private void flushBehind() {
    if (failure != null || store == null || writesHeldFor >= 0) {
      return;
    }
    io.weir.state.StateBatch batch = collectChanges();
    if (batch.size() > 0) {
      ++writesIssued;
      writeState(batch);
    }
  }

  private void onClockTick() {
    if (failure != null || endedCount == channels) {
      return;
    }
    try {
      advanceWindows(clock.millis() - 1);
      emitToSinks();
    } catch (RuntimeException e) {
      failure = e.toString();
      LOG.error("pipeline {} operator {}: failed on a clock tick", pipeline.id(), index, e);
    }
    publishStatus();
  }

  /** Speculative early panes of the windows that changed (emit: {early_every_ms}). */
  private void onEarlyTick() {
    if (failure != null) {
      return;
    }
    try {
      windows.emitEarly();
      emitToSinks();
    } catch (RuntimeException e) {
      failure = e.toString();
      LOG.error("pipeline {} operator {}: failed on an early firing", pipeline.id(), index, e);
    }
    publishStatus();
  }

  @Override
  public Future<?> stop() {
    if (evictions > 0) {
      LOG.info(
          "pipeline {} operator {}: state cache: {} keys evicted to the store, {} read back, {} evicted now",
          pipeline.id(), index, evictions, reloads, evicted.size());
    }
    if (clockTimer >= 0) {
      vertx.cancelTimer(clockTimer);
    }
    if (earlyTimer >= 0) {
      vertx.cancelTimer(earlyTimer);
    }
    if (flushTimer >= 0) {
      vertx.cancelTimer(flushTimer);
    }
    return consumer == null ? Future.succeededFuture() : consumer.unregister();
  }

  private void onElement(Message<StreamElement> message) {
    long startNanos = System.nanoTime();
    StreamElement element = message.body();
    int events = element instanceof EventBatch batch ? batch.size() : 0;
    try {
      if (failure == null) {
        process(element);
        emitToSinks();
        if (flushTimer >= 0 && Math.max(dirtyKeys.size(), windows.pendingChanges()) >= FLUSH_CHANGES) {
          flushBehind();
        }
      } else if (element instanceof Barrier b) {
        onBarrier(b);
      }
    } catch (RuntimeException e) {
      // The window state may be half-updated: stop processing, loudly, instead of emitting
      // wrong results. The pipeline reports FAILED (REST, /health) and credits keep flowing so
      // that the source and a shutdown are not stuck behind this operator.
      failure = e.toString();
      LOG.error("pipeline {} operator {}: failed on {}; no further input is processed", pipeline.id(), index, element.getClass().getSimpleName(), e);
    } finally {
      if (events > 0) {
        flow.releaseEvents(events);
        meters.eventsProcessed().increment(events);
        meters.processingDuration().record(System.nanoTime() - startNanos, TimeUnit.NANOSECONDS);
      }
      publishStatus();
    }
  }

  private void process(StreamElement element) {
    // Pattern matching for switch is not final in Java 17: an instanceof chain over the sealed type.
    if (element instanceof EventBatch batch) {
      processBatch(batch);
    } else if (processingTime && (element instanceof Watermark || element instanceof ChannelIdle)) {
      // Event time does not drive processing-time windows.
      return;
    } else if (element instanceof Watermark w) {
      // An advance of an idle channel (idle_advance_ms): it moves time, it does not reactivate.
      if (watermarks.advanceIdle(w.channel(), w.timestamp())) {
        advanceWindows(watermarks.current());
      }
    } else if (element instanceof EndOfStream eos) {
      endChannel(eos.channel());
    } else if (element instanceof ChannelIdle idle) {
      if (watermarks.markIdle(idle.channel())) {
        advanceWindows(watermarks.current());
      }
    } else if (element instanceof Barrier b) {
      onBarrier(b);
    }
  }

  private void processBatch(EventBatch batch) {
    int channel = batch.channel();
    List<StreamEvent> events = batch.events();
    long[] before = batch.watermarkBefore();
    long[] advances = batch.watermarkAdvances();
    int next = 0;
    watermarks.activate(channel);
    if (processingTime) {
      // Event timestamps and watermarks do not matter: the arrival time places the event.
      long now = clock.millis();
      for (StreamEvent e : events) {
        if (duplicate(e)) {
          continue;
        }
        reloadIfEvicted(e.key());
        keyAccesses++;
        dirtyKeys.add(e.key());
        windows.processElement(e.key(), now, e.value(), distinct == null ? null : distinct.of(e), e);
      }
      eventsProcessed += events.size();
      return;
    }
    for (int i = 0; i < before.length; i++) {
      // Every watermark the channel emitted before this event, in order (see EventBatch).
      while (next < advances.length && advances[next] <= before[i]) {
        advanceChannel(channel, advances[next++]);
      }
      StreamEvent e = events.get(i);
      if (duplicate(e)) {
        continue;
      }
      reloadIfEvicted(e.key());
      keyAccesses++;
      dirtyKeys.add(e.key());
      windows.processElement(e.key(), e.timestamp(), e.value(), distinct == null ? null : distinct.of(e), e);
    }
    while (next < advances.length) {
      advanceChannel(channel, advances[next++]);
    }
    eventsProcessed += events.size();
  }

  /** Advances the windows' event time, first reading back evicted keys it needs. */
  private void advanceWindows(long watermark) {
    while (!evictedByTimer.isEmpty() && evictedByTimer.firstKey() <= watermark) {
      for (String key : evictedByTimer.pollFirstEntry().getValue()) {
        evicted.remove(key);
        reload(key);
        keyAccesses++;
      }
    }
    windows.advanceWatermark(watermark);
  }

  private void reloadIfEvicted(String key) {
    if (!evicted.isEmpty()) {
      Long timer = evicted.remove(key);
      if (timer != null) {
        java.util.Set<String> at = evictedByTimer.get(timer);
        at.remove(key);
        if (at.isEmpty()) {
          evictedByTimer.remove(timer);
        }
        reload(key);
      }
    }
  }

  /** Reads an evicted key's state back from the store (a worker thread: this blocks). */
  private void reload(String key) {
    for (io.weir.state.StateEntry e : store.prefixScanNow(storeKey(key))) {
      // Dedup ids stay in memory when a key is evicted (a lazy restore is off with dedup).
      restoreEntry(key, e, false);
    }
    reloads++;
  }

  private void markEvicted(String key, long timer) {
    evicted.put(key, timer);
    evictedByTimer.computeIfAbsent(timer, t -> new java.util.HashSet<>()).add(key);
  }

  /**
   * After a checkpoint wrote every changed key: if the window state is over its budget, drops
   * keys that have not changed since from memory, down to three quarters of the budget.
   */
  private void evictIfOverBudget() {
    if (cacheBudgetBytes == Long.MAX_VALUE || failure != null) {
      return;
    }
    long estimating = System.nanoTime();
    long bytes = windows.estimatedBytes();
    LOG.debug("pipeline {} operator {}: state estimated in {} ms", pipeline.id(), index, (System.nanoTime() - estimating) / 1_000_000);
    if (bytes <= cacheBudgetBytes) {
      return;
    }
    List<String> keys = new ArrayList<>();
    windows.forEachKey(keys::add);
    if (keys.isEmpty()) {
      return;
    }
    long perKey = Math.max(1, bytes / keys.size());
    long toEvict = (bytes - cacheBudgetBytes * 3 / 4) / perKey + 1;
    java.util.Set<String> chosen = new java.util.HashSet<>();
    for (String key : keys) {
      if (chosen.size() >= toEvict) {
        break;
      }
      if (dirtyKeys.contains(key)) {
        continue; // changed since the last write: the store does not have this state yet
      }
      chosen.add(key);
    }
    long started = System.nanoTime();
    windows.evictAll(chosen).forEach(this::markEvicted);
    evictions += chosen.size();
    long ms = (System.nanoTime() - started) / 1_000_000;
    if (ms >= 250) {
      LOG.info(
          "pipeline {} operator {}: state cache: evicted {} keys in {} ms ({} bytes of state over a budget of {})",
          pipeline.id(), index, chosen.size(), ms, bytes, cacheBudgetBytes);
    } else {
      LOG.debug(
          "pipeline {} operator {}: state cache: evicted {} keys in {} ms ({} bytes of state over a budget of {})",
          pipeline.id(), index, chosen.size(), ms, bytes, cacheBudgetBytes);
    }
  }

  /** True for an event whose id this partition saw within the dedup horizon: it is dropped. */
  private boolean duplicate(StreamEvent e) {
    if (dedup == null || e.id() == null) {
      return false;
    }
    if (++eventsSinceExpiry >= 100_000) {
      // Bound memory between checkpoints too.
      eventsSinceExpiry = 0;
      dedup.expire(watermarks.current(), dirtyKeys);
    }
    if (dedup.firstSeen(e.key(), e.id(), e.timestamp())) {
      dirtyKeys.add(e.key());
      return false;
    }
    duplicates++;
    meters.duplicates().increment();
    return true;
  }

  private void advanceChannel(int channel, long watermark) {
    if (processingTime && watermark != Watermark.MAX) {
      return;
    }
    if (watermarks.update(channel, watermark)) {
      advanceWindows(watermarks.current());
    }
  }

  /** Remembers when the operator's watermark last moved, for stall diagnosis. */
  private void noteWatermark() {
    long wm = watermarks.current();
    if (wm != lastWatermark) {
      lastWatermark = wm;
      watermarkSinceMs = clock.millis();
    }
  }

  private void endChannel(int channel) {
    if (!ended[channel]) {
      ended[channel] = true;
      endedCount++;
      advanceChannel(channel, Watermark.MAX);
      if (endedCount == channels) {
        LOG.info("pipeline {} operator {}: all {} input channels ended", pipeline.id(), index, channels);
      }
    }
  }

  @Override
  public void fire(String key, Window window, Accumulator aggregate, Pane pane, long watermark) {
    dirtyKeys.add(key);
    results.add(
        new WindowResult(
            pipeline.id(),
            key,
            windows.typeName(),
            window.start(),
            window.end(),
            aggregate.count(),
            aggregate.sum(),
            aggregate.min(),
            aggregate.max(),
            aggregate.avg(),
            aggregate.first(),
            aggregate.last(),
            quantiles
                ? new double[] {aggregate.quantile(0.5), aggregate.quantile(0.95), aggregate.quantile(0.99)}
                : WindowResult.NO_QUANTILES,
            aggregate.distinctCount(),
            pipeline.aggregations(),
            pane.index() > 0,
            pane.index(),
            pane.timing().name().toLowerCase(java.util.Locale.ROOT),
            pane.isFinal(),
            watermark));
  }

  @Override
  public void purged(String key) {
    dirtyKeys.add(key);
  }

  @Override
  public void late(Object element, long timestamp, Window latestWindow, long watermark) {
    lateEvents++;
    if (pipeline.lateSink() == null) {
      return;
    }
    StreamEvent e = (StreamEvent) element;
    long deadline = WindowOperator.saturatedAdd(latestWindow.maxTimestamp(), pipeline.window().allowedLatenessMs());
    late.add(
        new DeadLetter(
            "late",
            "every window of the event was past end - 1 + allowed lateness ("
                + pipeline.window().allowedLatenessMs()
                + " ms) when it arrived",
            DeadLetter.eventPayload(e),
            sourceId,
            e.partition(),
            e.offset(),
            pipeline.id(),
            new DeadLetter.Lateness(timestamp, watermark, latestWindow.end(), watermark - deadline)));
  }

  private void emitToSinks() {
    if (!results.isEmpty()) {
      SinkBatch batch = new SinkBatch(results, epoch);
      resultsEmitted += batch.size();
      meters.resultsEmitted().increment(batch.size());
      for (String sink : pipeline.sinks()) {
        sendToSink(sink, batch);
      }
      results = new ArrayList<>();
    }
    if (lateEvents > lateEventsReported) {
      meters.lateEvents().increment(lateEvents - lateEventsReported);
      lateEventsReported = lateEvents;
    }
    if (!late.isEmpty()) {
      sendToSink(pipeline.lateSink(), new SinkBatch(late, epoch));
      late = new ArrayList<>();
    }
  }

  private void sendToSink(String sink, SinkBatch batch) {
    flow.acquireSinkBatch();
    EventBus bus = vertx.eventBus();
    Future<Message<Object>> request = bus.request(SinkAddress.of(sink), batch, SINK_DELIVERY);
    sinkRequests.add(request);
    request
        .onComplete(
            ar -> {
              sinkRequests.remove(request);
              flow.releaseSinkBatch();
              if (ar.failed()) {
                sinkErrors.get(sink).increment();
                LOG.warn(
                    "pipeline {} operator {}: {} records for sink {} were not written: {}",
                    pipeline.id(),
                    index,
                    batch.size(),
                    sink,
                    ar.cause().getMessage());
              }
            });
  }

  /**
   * The state cache of an operator: key accesses (elements, and timers of evicted keys), how
   * many of them read the key back from the store, keys evicted so far and evicted now.
   */
  public record CacheStats(long accesses, long reloads, long evictions, long evictedNow) {
    public CacheStats plus(CacheStats o) {
      return new CacheStats(accesses + o.accesses, reloads + o.reloads, evictions + o.evictions, evictedNow + o.evictedNow);
    }

    /** Accesses served from memory, as a fraction; null before any access. */
    public Double hitRate() {
      return accesses == 0 ? null : 1.0 - (double) Math.min(reloads, accesses) / accesses;
    }
  }

  /** This operator's state cache figures, as of its last input; safe from any thread. */
  public CacheStats cacheStats() {
    return cacheStats;
  }

  private void publishStatus() {
    noteWatermark();
    if (evictions > 0 || reloads > 0) {
      cacheStats = new CacheStats(keyAccesses, reloads, evictions, evicted.size());
    } else if (keyAccesses != cacheStats.accesses()) {
      cacheStats = new CacheStats(keyAccesses, 0, 0, 0);
    }
    long[] channelWatermarks = new long[channels];
    boolean[] idle = new boolean[channels];
    for (int c = 0; c < channels; c++) {
      channelWatermarks[c] = watermarks.channel(c);
      idle[c] = watermarks.idle(c);
    }
    status =
        new OperatorStatus(
            index,
            watermarks.current(),
            channelWatermarks,
            idle,
            watermarks.slowestChannel(),
            eventsProcessed,
            lateEvents,
            resultsEmitted,
            windows.activeKeyWindows(),
            windows.activeWindows(),
            endedCount == channels,
            failure,
            watermarkSinceMs);
  }

  /** Where a key's window state is stored: under its key group, so any partition can load it. */
  private static byte[] storeKey(String key) {
    return io.weir.state.KeyLayout.keyPrefix(io.weir.checkpoint.KeyGroups.of(key), key);
  }

  private static byte[] concat(byte[] a, byte[] b) {
    byte[] out = java.util.Arrays.copyOf(a, a.length + b.length);
    System.arraycopy(b, 0, out, a.length, b.length);
    return out;
  }

  /** The status published after the last input element; safe from any thread. */
  public OperatorStatus status() {
    return status;
  }

  /** Up to {@code limit} active key windows, read on the operator's own thread. */
  public Future<List<KeyWindowView>> windows(String keyOrNull, int limit) {
    Promise<List<KeyWindowView>> result = Promise.promise();
    context.runOnContext(v -> result.complete(windows.view(keyOrNull, limit)));
    return result.future();
  }
}
