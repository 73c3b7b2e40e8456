package io.weir.pipeline;

import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;

/**
 * Bounds what is in flight on one pipeline: events sent by the source reader and not yet
 * processed by an operator, plus sink batches not yet acknowledged. The source acquires before
 * sending and pauses while {@link #hasCapacity()} is false; operators and sink replies release.
 * A paused source learns that room is back through {@link #awaitCapacity} instead of polling.
 * Thread-safe.
 */
public final class FlowControl {
  private final long capacity;
  private final AtomicLong events = new AtomicLong();
  private final AtomicLong sinkBatches = new AtomicLong();
  /** The source reader waiting for room, if any (a pipeline has one). */
  private final AtomicReference<Waiter> waiter = new AtomicReference<>();

  private record Waiter(int batchSize, long minRemaining, Runnable wake) {}

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
    signal();
  }

  public void acquireSinkBatch() {
    sinkBatches.incrementAndGet();
  }

  public void releaseSinkBatch() {
    sinkBatches.decrementAndGet();
    signal();
  }

  /**
   * Runs {@code wake} once, on the thread that makes room (or on this one, when there is room
   * already), as soon as {@link #remaining remaining(batchSize)} is at least {@code
   * minRemaining}: the low-water mark at which a paused source resumes. Replaces an earlier
   * waiter that has not been woken. {@code wake} must be quick and must not block (a source
   * hands it to its own context).
   *
   * @param minRemaining at least 1 and at most {@link #capacity()}, or the source may never wake
   */
  public void awaitCapacity(int batchSize, long minRemaining, Runnable wake) {
    if (minRemaining < 1 || minRemaining > capacity) {
      throw new IllegalArgumentException("minRemaining must be in [1, " + capacity + "], got " + minRemaining);
    }
    waiter.set(new Waiter(batchSize, minRemaining, wake));
    // Room may have come back between the caller's check and the set: a release that ran in
    // between did not see the waiter, so look again (a release after the set sees it; the
    // compare-and-set in signal() wakes the waiter exactly once either way).
    signal();
  }

  private void signal() {
    Waiter w = waiter.get();
    if (w != null && remaining(w.batchSize()) >= w.minRemaining() && waiter.compareAndSet(w, null)) {
      w.wake().run();
    }
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
