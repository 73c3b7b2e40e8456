package io.weir.pipeline;

import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.eventbus.EventBus;
import io.weir.event.ChannelIdle;
import io.weir.event.EndOfStream;
import io.weir.event.EventBatch;
import io.weir.event.StreamEvent;
import io.weir.event.Watermark;
import io.weir.config.WatermarkConfig;
import io.weir.window.WindowOperator;
import io.weir.sink.DeadLetter;
import io.weir.sink.SinkAddress;
import io.weir.sink.SinkBatch;
import io.weir.source.SourceOutput;
import io.weir.watermark.BoundedOutOfOrdernessWatermarks;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReferenceArray;

/**
 * A pipeline's input side: generates each source partition's watermark after every event, routes
 * events to the operator partition owning the key's key group (keyBy, {@link
 * io.weir.checkpoint.KeyGroups}), injects checkpoint barriers, and sends each
 * operator an {@link EventBatch} with its own events and the channel's watermark history over the
 * source batch (an empty batch when none of the events are its own but the watermark moved). Used
 * only from the source reader's context; {@link #partitionStatus} may be read from any
 * thread.
 */
public final class PipelineInput implements SourceOutput {
  private final EventBus bus;
  private final String source;
  private final String[] operatorAddresses;
  private final FlowControl flow;
  private final int batchSize;
  private final InstantSource clock;
  private final BoundedOutOfOrdernessWatermarks[] generators;
  private static final long[] NO_WATERMARKS = new long[0];
  private static final DeliveryOptions DEAD_LETTER_DELIVERY = new DeliveryOptions().setSendTimeout(300_000);
  private final AtomicReferenceArray<PartitionStatus> status;
  private final Long idleTimeoutMs;
  private final Long idleAdvanceMs;
  private final Long maxFutureMs;
  /** The last wall-clock watermark sent for an idle partition. */
  private final long[] idleAdvanced;
  private final String deadLetterSink;
  private final java.util.function.ObjIntConsumer<String> deadLetterCounter;
  /** Wall-clock time each partition last produced, or was held back by backpressure. */
  private final long[] lastActiveMs;
  private final boolean[] idle;
  private final boolean[] ended;
  /** The id of the last barrier injected: dead letters produced now belong to the next one. */
  private long epoch;
  private final java.util.Set<io.vertx.core.Future<?>> deadLetterRequests =
      java.util.concurrent.ConcurrentHashMap.newKeySet();

  public PipelineInput(
      EventBus bus,
      String pipeline,
      String source,
      int parallelism,
      int partitions,
      WatermarkConfig watermarks,
      String deadLetterSink,
      java.util.function.ObjIntConsumer<String> deadLetterCounter,
      FlowControl flow,
      int batchSize,
      InstantSource clock) {
    this.bus = bus;
    this.source = source;
    this.flow = flow;
    this.idleTimeoutMs = watermarks.idleTimeoutMs();
    this.idleAdvanceMs = watermarks.idleAdvanceMs();
    this.maxFutureMs = watermarks.maxFutureMs();
    this.idleAdvanced = new long[partitions];
    Arrays.fill(idleAdvanced, Long.MIN_VALUE);
    this.deadLetterSink = deadLetterSink;
    this.deadLetterCounter = deadLetterCounter;
    this.lastActiveMs = new long[partitions];
    this.idle = new boolean[partitions];
    this.ended = new boolean[partitions];
    this.batchSize = batchSize;
    this.clock = clock;
    this.operatorAddresses = new String[parallelism];
    for (int k = 0; k < parallelism; k++) {
      operatorAddresses[k] = PipelineAddress.operator(pipeline, k);
    }
    this.generators = new BoundedOutOfOrdernessWatermarks[partitions];
    this.status = new AtomicReferenceArray<>(partitions);
    for (int p = 0; p < partitions; p++) {
      generators[p] = new BoundedOutOfOrdernessWatermarks(watermarks.delayMs());
      status.set(p, new PartitionStatus(source, p, Long.MIN_VALUE, Long.MIN_VALUE, 0, 0, 0, false, false));
      lastActiveMs[p] = clock.millis();
    }
  }

  @Override
  public void emit(int partition, List<StreamEvent> events) {
    if (maxFutureMs != null) {
      events = withoutFutureEvents(events);
    }
    if (events.isEmpty()) {
      return;
    }
    BoundedOutOfOrdernessWatermarks generator = generators[partition];
    // Every operator must learn the partition is active again, not just those with its events.
    route(partition, events, generator, idle[partition]);
    long now = clock.millis();
    lastActiveMs[partition] = now;
    idle[partition] = false;
    StreamEvent last = events.get(events.size() - 1);
    PartitionStatus s = status.get(partition);
    status.set(
        partition,
        new PartitionStatus(
            source,
            partition,
            generator.current(),
            generator.maxTimestamp(),
            s.eventsIn() + events.size(),
            last.offset() + 1,
            now,
            false,
            false));
  }

  @SuppressWarnings("unchecked")
  private void route(
      int partition, List<StreamEvent> events, BoundedOutOfOrdernessWatermarks generator, boolean wasIdle) {
    int parallelism = operatorAddresses.length;
    int n = events.size();
    List<StreamEvent>[] parts = new List[parallelism];
    long[][] before = new long[parallelism][];
    int[] counts = new int[parallelism];
    long[] advances = new long[n];
    int advanceCount = 0;
    int expected = parallelism == 1 ? n : n / parallelism + 16;
    for (StreamEvent e : events) {
      int k = io.weir.checkpoint.KeyGroups.operatorOf(e.key(), parallelism);
      if (parts[k] == null) {
        parts[k] = new ArrayList<>(expected);
        before[k] = new long[Math.min(expected, n)];
      }
      if (counts[k] == before[k].length) {
        before[k] = Arrays.copyOf(before[k], Math.min(n, before[k].length * 2));
      }
      long previous = generator.current();
      parts[k].add(e);
      before[k][counts[k]++] = previous;
      long watermark = generator.onEvent(e.timestamp());
      if (watermark > previous) {
        advances[advanceCount++] = watermark;
      }
    }
    long[] shared = advanceCount == n ? advances : Arrays.copyOf(advances, advanceCount);
    for (int k = 0; k < parallelism; k++) {
      if (parts[k] != null) {
        long[] wm = counts[k] == before[k].length ? before[k] : Arrays.copyOf(before[k], counts[k]);
        flow.acquireEvents(counts[k]);
        bus.send(operatorAddresses[k], new EventBatch(partition, parts[k], wm, shared));
      } else if (advanceCount > 0 || wasIdle) {
        // None of the events are this operator's, but its view of the channel's time must move.
        bus.send(operatorAddresses[k], new EventBatch(partition, List.of(), NO_WATERMARKS, shared));
      }
    }
  }

  /**
   * Events more than {@code max_future_ms} ahead of the wall clock would push event time forward
   * and make everything after them late: they go to the dead-letter output instead.
   */
  private List<StreamEvent> withoutFutureEvents(List<StreamEvent> events) {
    long limit = WindowOperator.saturatedAdd(clock.millis(), maxFutureMs);
    List<StreamEvent> kept = null;
    List<DeadLetter> rejected = null;
    for (int i = 0; i < events.size(); i++) {
      StreamEvent e = events.get(i);
      if (e.timestamp() > limit) {
        if (kept == null) {
          kept = new ArrayList<>(events.subList(0, i));
          rejected = new ArrayList<>();
        }
        rejected.add(
            new DeadLetter(
                "future_timestamp",
                "event time " + e.timestamp() + " is more than watermarks.max_future_ms (" + maxFutureMs
                    + ") ahead of the wall clock (" + (limit - maxFutureMs) + ")",
                DeadLetter.eventPayload(e),
                source,
                e.partition(),
                e.offset(),
                null,
                null));
      } else if (kept != null) {
        kept.add(e);
      }
    }
    if (kept == null) {
      return events;
    }
    deadLetter(rejected);
    return kept;
  }

  @Override
  public void deadLetter(List<DeadLetter> records) {
    if (records.isEmpty()) {
      return;
    }
    Map<String, Integer> byReason = new HashMap<>();
    for (DeadLetter d : records) {
      byReason.merge(d.reason(), 1, Integer::sum);
    }
    byReason.forEach((reason, n) -> deadLetterCounter.accept(reason, n));
    if (deadLetterSink == null) {
      return;
    }
    flow.acquireSinkBatch();
    io.vertx.core.Future<?> request =
        bus.request(SinkAddress.of(deadLetterSink), new SinkBatch(List.copyOf(records), epoch), DEAD_LETTER_DELIVERY);
    deadLetterRequests.add(request);
    request.onComplete(
        ar -> {
          deadLetterRequests.remove(request);
          flow.releaseSinkBatch();
        });
  }

  /**
   * Injects checkpoint barrier {@code checkpointId} after everything sent so far, on every
   * operator, and returns each partition's state at that point. Called by the source reader,
   * between two rounds of batches.
   *
   * @param offsets per partition, the offset of the next record the reader would read
   * @param byteOffsets per partition, the byte position of the next line in its file (or -1)
   * @param positions per partition, the reader's resume position (or -1)
   */
  @Override
  public List<io.weir.checkpoint.ChannelState> barrier(
      long checkpointId, long[] offsets, long[] byteOffsets, long[] positions) {
    epoch = checkpointId;
    io.weir.event.Barrier barrier = new io.weir.event.Barrier(-1, checkpointId);
    for (String address : operatorAddresses) {
      bus.send(address, barrier);
    }
    List<io.weir.checkpoint.ChannelState> states = new ArrayList<>(generators.length);
    for (int p = 0; p < generators.length; p++) {
      long watermark = Math.max(generators[p].current(), idleAdvanced[p]);
      states.add(
          new io.weir.checkpoint.ChannelState(
              p, offsets[p], byteOffsets[p], positions[p], generators[p].maxTimestamp(), watermark, idle[p], ended[p]));
    }
    return states;
  }

  /** Completes when every dead-letter batch sent so far has been answered by its sink. */
  public io.vertx.core.Future<Void> deadLettersSent() {
    List<io.vertx.core.Future<?>> pending = new ArrayList<>(deadLetterRequests);
    return io.vertx.core.Future.join(pending).<Void>mapEmpty().recover(e -> io.vertx.core.Future.succeededFuture());
  }

  /** Continues from a checkpoint: call before the source reader starts. */
  public void restore(PipelineRestore restore) {
    epoch = restore.checkpointId();
    for (io.weir.checkpoint.ChannelState c : restore.channels()) {
      int p = c.partition();
      if (p >= generators.length) {
        continue;
      }
      generators[p].restore(c.maxTimestamp());
      if (c.watermark() > generators[p].current()) {
        idleAdvanced[p] = c.watermark();
      }
      idle[p] = c.idle();
      ended[p] = c.ended();
      status.set(
          p,
          new PartitionStatus(
              source, p, c.ended() ? Long.MAX_VALUE : c.watermark(), c.maxTimestamp(), 0, c.offset(), clock.millis(), c.idle(), c.ended()));
    }
  }

  @Override
  public void resumed() {
    // Time spent stopped is not silence.
    Arrays.fill(lastActiveMs, clock.millis());
  }

  @Override
  public void idleCheck(boolean backpressured) {
    if (idleTimeoutMs == null) {
      return;
    }
    long now = clock.millis();
    for (int p = 0; p < idle.length; p++) {
      if (ended[p] || idle[p]) {
        continue;
      }
      if (backpressured) {
        lastActiveMs[p] = now;
      } else if (now - lastActiveMs[p] >= idleTimeoutMs) {
        idle[p] = true;
        for (String address : operatorAddresses) {
          bus.send(address, new ChannelIdle(p));
        }
        status.set(p, status.get(p).withIdle(true));
      }
    }
    if (idleAdvanceMs != null && !backpressured) {
      advanceIdlePartitions(now);
    }
  }

  /**
   * When every open partition is idle, event time follows the wall clock ({@code now -
   * idle_advance_ms}), so the last windows of a quiet stream still close. Events that arrive
   * later with older timestamps may then be late: the price of closing windows without data.
   */
  private void advanceIdlePartitions(long now) {
    for (int p = 0; p < idle.length; p++) {
      if (!ended[p] && !idle[p]) {
        return;
      }
    }
    long target = now - idleAdvanceMs;
    for (int p = 0; p < idle.length; p++) {
      if (ended[p] || target <= idleAdvanced[p] || target <= generators[p].current()) {
        continue;
      }
      idleAdvanced[p] = target;
      for (String address : operatorAddresses) {
        bus.send(address, new Watermark(p, target));
      }
      PartitionStatus s = status.get(p);
      status.set(
          p,
          new PartitionStatus(
              source, p, target, s.maxTimestamp(), s.eventsIn(), s.nextOffset(), s.lastEventAtMs(), true, false));
    }
  }

  @Override
  public void endOfStream(int partition) {
    ended[partition] = true;
    for (String address : operatorAddresses) {
      bus.send(address, new EndOfStream(partition));
    }
    PartitionStatus s = status.get(partition);
    status.set(
        partition,
        new PartitionStatus(
            source,
            partition,
            Long.MAX_VALUE,
            s.maxTimestamp(),
            s.eventsIn(),
            s.nextOffset(),
            s.lastEventAtMs(),
            false,
            true));
  }

  @Override
  public boolean hasCapacity() {
    return flow.hasCapacity(batchSize);
  }

  @Override
  public long remainingCapacity() {
    return Math.max(0, flow.remaining(batchSize));
  }

  @Override
  public void onCapacity(Runnable wake) {
    // Room for a whole batch (or for half the capacity, when that is smaller): waking for less
    // would have the source send a sliver and wait again.
    flow.awaitCapacity(batchSize, Math.max(1, Math.min(batchSize, flow.capacity() / 2)), wake);
  }

  public int partitions() {
    return status.length();
  }

  /** The last published status of {@code partition}; safe to call from any thread. */
  public PartitionStatus partitionStatus(int partition) {
    return status.get(partition);
  }
}
