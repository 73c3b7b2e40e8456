package io.weir.pipeline;

import java.util.concurrent.atomic.AtomicLong;

/**
 * Bounds what is in flight on one pipeline: events sent by the source reader and not yet
 * processed by an operator, plus sink batches not yet acknowledged. The source acquires before
 * sending and pauses while {@link #hasCapacity()} is false; operators and sink replies release.
 * Thread-safe.
 */
public final class FlowControl {
  private final long capacity;
  private final AtomicLong events = new AtomicLong();
  private final AtomicLong sinkBatches = new AtomicLong();

  public FlowControl(long capacity) {
    if (capacity < 1) {
      throw new IllegalArgumentException("capacity must be >= 1, got " + capacity);
    }
    this.capacity = capacity;
  }

  public void acquireEvents(int n) {
    events.addAndGet(n);
  }

  public void releaseEvents(int n) {
    events.addAndGet(-n);
  }

  public void acquireSinkBatch() {
    sinkBatches.incrementAndGet();
  }

  public void releaseSinkBatch() {
    sinkBatches.decrementAndGet();
  }

  /**
   * Room for more events. Unacknowledged sink batches count against it too (a slow sink slows
   * the source instead of queueing without bound), each as a full source batch would.
   */
  public long remaining(int batchSize) {
    return capacity - events.get() - sinkBatches.get() * batchSize;
  }

  public boolean hasCapacity(int batchSize) {
    return remaining(batchSize) > 0;
  }

  public long eventsInFlight() {
    return events.get();
  }

  public long sinkBatchesInFlight() {
    return sinkBatches.get();
  }

  /** Nothing is in flight: every sent event is processed and every sink batch acknowledged. */
  public boolean drained() {
    return events.get() == 0 && sinkBatches.get() == 0;
  }

  public long capacity() {
    return capacity;
  }
}
