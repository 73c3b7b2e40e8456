package io.weir.perf;

import java.util.SplittableRandom;

/**
 * A synthetic, seeded event stream held in primitive arrays, replayed again and again with its
 * event time shifted by {@link #span()} each time, so that event time keeps moving forward across
 * benchmark invocations and window state reaches a steady state (windows open, fire and are
 * purged at the rate they would in a long run).
 *
 * <p>Event {@code i} of a replay has event time {@code floor(i * 1000 / eventsPerSecond) -
 * jitter}, jitter uniform in {@code [0, jitterMs]}: in time order up to a bounded jitter, like
 * the mock source. Keys are {@code key-0 .. key-(keys-1)}; with {@code activeGroups == 1} each
 * event's key is uniform over all keys; with {@code activeGroups = g > 1} the keys are split in
 * {@code g} groups and only one group is active per minute of event time (round-robin), so each
 * key has bursts of activity separated by silence (what session windows need in order to close
 * and fire).
 *
 * <p>Not thread-safe; one instance per benchmark state.
 */
final class EventStream {
  /** 2024-01-01T00:00:00Z: aligned to minutes, hours and days. */
  static final long EPOCH = 1_704_067_200_000L;

  final String[] keyNames;
  final long[] timestamps;
  final int[] keys;
  final double[] values;
  private final long span;

  EventStream(int events, int keyCount, double eventsPerSecond, long jitterMs, int activeGroups, long seed) {
    if (activeGroups < 1 || activeGroups > keyCount) {
      throw new IllegalArgumentException("activeGroups must be in 1.." + keyCount + ", got " + activeGroups);
    }
    keyNames = new String[keyCount];
    for (int k = 0; k < keyCount; k++) {
      keyNames[k] = "key-" + k;
      // The engine's keys come from a fixed table too, so their hash codes are cached: same here.
      keyNames[k].hashCode();
    }
    timestamps = new long[events];
    keys = new int[events];
    values = new double[events];
    SplittableRandom random = new SplittableRandom(seed);
    double intervalMs = 1000.0 / eventsPerSecond;
    int groupSize = keyCount / activeGroups;
    for (int i = 0; i < events; i++) {
      long t = (long) Math.floor(i * intervalMs);
      long jitter = jitterMs == 0 ? 0 : random.nextLong(jitterMs + 1);
      timestamps[i] = t - jitter;
      if (activeGroups == 1) {
        keys[i] = random.nextInt(keyCount);
      } else {
        int group = (int) ((t / 60_000) % activeGroups);
        keys[i] = group * groupSize + random.nextInt(groupSize);
      }
      values[i] = Math.round(random.nextDouble() * 100_00) / 100.0;
    }
    // Event time covered by one replay: the next replay starts where this one ends.
    span = Math.max(1, (long) Math.ceil(events * intervalMs));
  }

  int size() {
    return timestamps.length;
  }

  /** Event-time shift between two consecutive replays. */
  long span() {
    return span;
  }
}
