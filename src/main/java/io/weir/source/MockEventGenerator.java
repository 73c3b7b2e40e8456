package io.weir.source;

import io.weir.config.MockSourceConfig;
import io.weir.event.StreamEvent;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

/**
 * Deterministic synthetic events. Event {@code i} of partition {@code p} has event time {@code
 * startTime + floor(i * intervalMs) - jitter}, where {@code intervalMs = partitions * 1000 /
 * ratePerSec} and the jitter is drawn from {@code [0, maxOutOfOrderMs]}; its key is drawn from
 * the keys of partition {@code p} (key {@code k} lives in partition {@code k mod partitions}),
 * its value from {@code [valueMin, valueMax]} rounded to cents. With the same seed and start
 * time the sequence of every partition is the same, whatever the timing. Single-threaded.
 */
public final class MockEventGenerator {
  private final String sourceId;
  private final long startTime;
  private final double intervalMs;
  private final long maxOutOfOrderMs;
  private final double valueMin;
  private final double valueSpan;
  private final String[][] keysByPartition;
  private final SplittableRandom[] randoms;
  private final long[] next;
  private final long[] limit;

  public MockEventGenerator(MockSourceConfig config, long startTime, long seed) {
    int partitions = config.partitions();
    this.sourceId = config.id();
    this.startTime = startTime;
    this.intervalMs = partitions * 1000.0 / config.ratePerSec();
    this.maxOutOfOrderMs = config.maxOutOfOrderMs();
    this.valueMin = config.valueMin();
    this.valueSpan = config.valueMax() - config.valueMin();
    this.keysByPartition = new String[partitions][];
    this.randoms = new SplittableRandom[partitions];
    this.next = new long[partitions];
    this.limit = new long[partitions];
    for (int p = 0; p < partitions; p++) {
      List<String> keys = new ArrayList<>();
      for (int k = p; k < config.keys(); k += partitions) {
        keys.add("key-" + k);
      }
      if (keys.isEmpty()) {
        keys.add("key-" + (p % config.keys()));
      }
      keysByPartition[p] = keys.toArray(String[]::new);
      randoms[p] = new SplittableRandom(seed * 0x9E3779B97F4A7C15L + p);
      Long max = config.maxEvents();
      limit[p] = max == null ? Long.MAX_VALUE : max / partitions + (p < max % partitions ? 1 : 0);
    }
  }

  public int partitions() {
    return next.length;
  }

  /** True when partition {@code p} has produced all its events (bounded sources only). */
  public boolean exhausted(int p) {
    return next[p] >= limit[p];
  }

  /** Index of the next event of partition {@code p}: also its offset. */
  public long position(int p) {
    return next[p];
  }

  /**
   * Moves partition {@code p} to event {@code position} (a restore): the events before it are
   * drawn and dropped, so the sequence goes on exactly as it would have.
   */
  public void skipTo(int p, long position) {
    while (next[p] < position && !exhausted(p)) {
      next(p);
    }
  }

  /** The next event of partition {@code p}; call only while not {@link #exhausted}. */
  public StreamEvent next(int p) {
    long i = next[p]++;
    SplittableRandom random = randoms[p];
    String[] keys = keysByPartition[p];
    String key = keys.length == 1 ? keys[0] : keys[random.nextInt(keys.length)];
    long jitter = maxOutOfOrderMs == 0 ? 0 : random.nextLong(maxOutOfOrderMs + 1);
    long timestamp = startTime + (long) Math.floor(i * intervalMs) - jitter;
    double value = Math.round((valueMin + random.nextDouble() * valueSpan) * 100.0) / 100.0;
    return new StreamEvent(sourceId + "-" + p + "-" + i, key, timestamp, value, p, i);
  }
}
