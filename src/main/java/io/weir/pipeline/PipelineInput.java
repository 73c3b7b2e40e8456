package io.weir.pipeline;

import io.vertx.core.eventbus.EventBus;
import io.weir.event.EndOfStream;
import io.weir.event.EventBatch;
import io.weir.event.StreamEvent;
import io.weir.event.Watermark;
import io.weir.source.SourceOutput;
import io.weir.watermark.BoundedOutOfOrdernessWatermarks;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.atomic.AtomicReferenceArray;

/**
 * A pipeline's input side: generates each source partition's watermark after every event, routes
 * events to operator partition {@code floorMod(key.hashCode(), P)} (keyBy), and sends each
 * operator an {@link EventBatch} carrying the channel watermark before each of its events and
 * after the source batch, or a bare {@link Watermark} when none of the batch's events are its
 * own. Used only from the source reader's context; {@link #partitionStatus} may be read from any
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
  /** Last watermark sent to each operator, per partition: [operator][partition]. */
  private final long[][] sentWatermark;
  private final AtomicReferenceArray<PartitionStatus> status;

  public PipelineInput(
      EventBus bus,
      String pipeline,
      String source,
      int parallelism,
      int partitions,
      long watermarkDelayMs,
      FlowControl flow,
      int batchSize,
      InstantSource clock) {
    this.bus = bus;
    this.source = source;
    this.flow = flow;
    this.batchSize = batchSize;
    this.clock = clock;
    this.operatorAddresses = new String[parallelism];
    this.sentWatermark = new long[parallelism][partitions];
    for (int k = 0; k < parallelism; k++) {
      operatorAddresses[k] = PipelineAddress.operator(pipeline, k);
      Arrays.fill(sentWatermark[k], Long.MIN_VALUE);
    }
    this.generators = new BoundedOutOfOrdernessWatermarks[partitions];
    this.status = new AtomicReferenceArray<>(partitions);
    for (int p = 0; p < partitions; p++) {
      generators[p] = new BoundedOutOfOrdernessWatermarks(watermarkDelayMs);
      status.set(p, new PartitionStatus(source, p, Long.MIN_VALUE, Long.MIN_VALUE, 0, 0, 0, false));
    }
  }

  @Override
  public void emit(int partition, List<StreamEvent> events) {
    if (events.isEmpty()) {
      return;
    }
    BoundedOutOfOrdernessWatermarks generator = generators[partition];
    int parallelism = operatorAddresses.length;
    if (parallelism == 1) {
      long[] before = new long[events.size()];
      for (int i = 0; i < before.length; i++) {
        before[i] = generator.current();
        generator.onEvent(events.get(i).timestamp());
      }
      send(0, new EventBatch(partition, events, before, generator.current()), events.size());
    } else {
      route(partition, events, generator, parallelism);
    }
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
            clock.millis(),
            false));
  }

  @SuppressWarnings("unchecked")
  private void route(
      int partition,
      List<StreamEvent> events,
      BoundedOutOfOrdernessWatermarks generator,
      int parallelism) {
    List<StreamEvent>[] parts = new List[parallelism];
    long[][] before = new long[parallelism][];
    int[] counts = new int[parallelism];
    int expected = events.size() / parallelism + 16;
    for (StreamEvent e : events) {
      int k = Math.floorMod(e.key().hashCode(), parallelism);
      if (parts[k] == null) {
        parts[k] = new ArrayList<>(expected);
        before[k] = new long[Math.min(expected, events.size())];
      }
      if (counts[k] == before[k].length) {
        before[k] = Arrays.copyOf(before[k], Math.min(events.size(), before[k].length * 2));
      }
      parts[k].add(e);
      before[k][counts[k]++] = generator.current();
      generator.onEvent(e.timestamp());
    }
    long after = generator.current();
    for (int k = 0; k < parallelism; k++) {
      if (parts[k] != null) {
        long[] wm = counts[k] == before[k].length ? before[k] : Arrays.copyOf(before[k], counts[k]);
        send(k, new EventBatch(partition, parts[k], wm, after), counts[k]);
      } else if (after > sentWatermark[k][partition]) {
        sentWatermark[k][partition] = after;
        bus.send(operatorAddresses[k], new Watermark(partition, after));
      }
    }
  }

  private void send(int operator, EventBatch batch, int events) {
    flow.acquireEvents(events);
    sentWatermark[operator][batch.channel()] = batch.watermarkAfter();
    bus.send(operatorAddresses[operator], batch);
  }

  @Override
  public void endOfStream(int partition) {
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

  public int partitions() {
    return status.length();
  }

  /** The last published status of {@code partition}; safe to call from any thread. */
  public PartitionStatus partitionStatus(int partition) {
    return status.get(partition);
  }
}
