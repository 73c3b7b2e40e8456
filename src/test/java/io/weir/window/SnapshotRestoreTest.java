package io.weir.window;

import static org.assertj.core.api.Assertions.assertThat;

import io.weir.watermark.BoundedOutOfOrdernessWatermarks;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.function.Supplier;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * A checkpoint in the middle of a stream changes nothing: an operator snapshotted after any
 * element and restored into a fresh operator (the watermark restored, nothing fired) goes on to
 * emit exactly what the uninterrupted operator emits — every firing, pane and late drop.
 */
class SnapshotRestoreTest {

  static long[] seeds() {
    long[] seeds = new long[120];
    for (int i = 0; i < seeds.length; i++) {
      seeds[i] = 7_000 + i;
    }
    return seeds;
  }

  private static List<Supplier<WindowHarness>> operators(long lateness) {
    List<Supplier<WindowHarness>> out = new ArrayList<>();
    for (EmitPolicy emit : List.of(EmitPolicy.ON_TIME_AND_LATE, EmitPolicy.FINAL_ONLY)) {
      out.add(() -> new WindowHarness(TumblingWindows.of(10, 3), lateness, emit));
      out.add(() -> new WindowHarness(SlidingWindows.of(30, 10), lateness, emit));
      out.add(() -> new WindowHarness(SlidingWindows.of(25, 10), lateness, emit));
      out.add(() -> new WindowHarness(new SessionWindows(7), lateness, emit));
    }
    return out;
  }

  @ParameterizedTest
  @MethodSource("seeds")
  void restoringASnapshotMidStreamGivesTheSameOutput(long seed) {
    WindowPropertiesTest.Case c = WindowPropertiesTest.randomCase(seed);
    int cut = new SplittableRandom(seed).nextInt(c.events().size() + 1);
    for (Supplier<WindowHarness> factory : operators(c.lateness())) {
      WindowHarness whole = factory.get();
      run(whole, c, 0, c.events().size(), new BoundedOutOfOrdernessWatermarks(c.delay()), true);

      BoundedOutOfOrdernessWatermarks wm = new BoundedOutOfOrdernessWatermarks(c.delay());
      WindowHarness before = factory.get();
      run(before, c, 0, cut, wm, false);
      Map<String, byte[]> state = new LinkedHashMap<>();
      before.operator.snapshot(state::put);
      WindowHarness after = factory.get();
      after.operator.restoreWatermark(before.operator.watermark());
      // Restore in another key order than the snapshot's, as a scan by key group would.
      List<String> keys = new ArrayList<>(state.keySet());
      java.util.Collections.reverse(keys);
      for (String key : keys) {
        after.operator.restoreKey(key, state.get(key));
      }
      run(after, c, cut, c.events().size(), wm, true);
      assertSameOutput(before, after, whole, "seed " + seed + " cut " + cut);
      assertThat(after.operator.activeKeyWindows()).isEqualTo(whole.operator.activeKeyWindows());
    }
  }

  /**
   * Incremental checkpoints: a store kept up to date with only what changed between checkpoints
   * ({@link WindowOperator#flushChanges}, as the operator verticle writes it, per key or per key
   * window) restores the same state as a full one, and holds nothing purged.
   */
  @ParameterizedTest
  @MethodSource("seeds")
  void incrementalCheckpointsOfTheChangedKeysRestoreTheSameOutput(long seed) {
    WindowPropertiesTest.Case c = WindowPropertiesTest.randomCase(seed);
    int size = c.events().size();
    int[] cuts = cuts(new SplittableRandom(seed * 31), size);
    for (Supplier<WindowHarness> factory : operators(c.lateness())) {
      Checkpointed k = checkpointed(factory, c, cuts);
      k.store().restoreAll(k.after().operator);
      assertThat(k.after().operator.activeKeyWindows()).isEqualTo(k.before().operator.activeKeyWindows());
      run(k.after(), c, cuts[2], size, k.wm(), true);
      assertSameOutput(k.before(), k.after(), k.whole(), "seed " + seed + " cuts " + java.util.Arrays.toString(cuts));
      // The store holds exactly the live keys (and key windows): nothing purged is left behind.
      java.util.Set<String> live = new java.util.TreeSet<>();
      k.before().operator.forEachKey(live::add);
      assertThat(k.store().keys()).isEqualTo(live);
      if (k.store().windowEntries() > 0) {
        // Stored per key window (tumbling): exactly the live key windows.
        assertThat(k.store().windowEntries()).isEqualTo(k.before().operator.activeKeyWindows());
      }
      assertThat(k.store().timers.keySet()).isEqualTo(live);
    }
  }

  /**
   * The state of a few keys (as written behind) is byte for byte the state those keys have in a
   * full snapshot, whichever way the operator finds them (a lookup per key, or one pass).
   */
  @ParameterizedTest
  @MethodSource("seeds")
  void theStateOfSomeKeysIsTheirStateInAFullSnapshot(long seed) {
    WindowPropertiesTest.Case c = WindowPropertiesTest.randomCase(seed);
    SplittableRandom r = new SplittableRandom(seed * 71);
    int cut = r.nextInt(c.events().size() + 1);
    for (Supplier<WindowHarness> factory : operators(c.lateness())) {
      WindowHarness h = factory.get();
      run(h, c, 0, cut, new BoundedOutOfOrdernessWatermarks(c.delay()), false);
      Map<String, byte[]> full = new java.util.HashMap<>();
      h.operator.snapshot(full::put);
      List<String> candidates = new ArrayList<>(full.keySet());
      candidates.add("no-such-key");
      for (int round = 0; round < 4; round++) {
        java.util.Set<String> only = new java.util.HashSet<>();
        int n = 1 + r.nextInt(candidates.size());
        for (int i = 0; i < n; i++) {
          only.add(candidates.get(r.nextInt(candidates.size())));
        }
        Map<String, byte[]> some = new java.util.HashMap<>();
        h.operator.snapshot(only, some::put);
        assertThat(some.keySet()).isEqualTo(only);
        for (String key : only) {
          assertThat(some.get(key)).as("seed %d key %s", seed, key).isEqualTo(full.get(key));
        }
      }
    }
  }

  /**
   * A lazy restore: only the timer index is read; each key is read back from the store before
   * its next element, or before the watermark reaches the timer the index gave it. The index
   * holds lower bounds, so this must give exactly the uninterrupted output.
   */
  @ParameterizedTest
  @MethodSource("seeds")
  void lazyRestoreFromTheTimerIndexGivesTheSameOutput(long seed) {
    WindowPropertiesTest.Case c = WindowPropertiesTest.randomCase(seed);
    int size = c.events().size();
    int[] cuts = cuts(new SplittableRandom(seed * 53), size);
    for (Supplier<WindowHarness> factory : operators(c.lateness())) {
      Checkpointed k = checkpointed(factory, c, cuts);
      Map<String, Long> evicted = new java.util.HashMap<>(k.store().timers);
      for (int i = cuts[2]; i < size; i++) {
        elementReadingBack(k.after(), c.events().get(i), k.wm(), k.store(), evicted);
      }
      endReadingBack(k.after(), k.store(), evicted);
      assertSameOutput(k.before(), k.after(), k.whole(), "seed " + seed + " cuts " + java.util.Arrays.toString(cuts));
    }
  }

  /**
   * The bounded state cache: keys evicted to the store after a checkpoint and reloaded before
   * their next element, or before the watermark reaches the timer evict() returned, give exactly
   * the output of an operator that kept everything in memory.
   */
  @ParameterizedTest
  @MethodSource("seeds")
  void evictedKeysReloadedWhenNeededGiveTheSameOutput(long seed) {
    WindowPropertiesTest.Case c = WindowPropertiesTest.randomCase(seed);
    for (Supplier<WindowHarness> factory : operators(c.lateness())) {
      WindowHarness whole = factory.get();
      run(whole, c, 0, c.events().size(), new BoundedOutOfOrdernessWatermarks(c.delay()), true);

      SplittableRandom r = new SplittableRandom(seed * 17);
      WindowHarness h = factory.get();
      ModelStore store = new ModelStore();
      Map<String, Long> evicted = new java.util.HashMap<>();
      BoundedOutOfOrdernessWatermarks wm = new BoundedOutOfOrdernessWatermarks(c.delay());
      int evictions = 0;
      for (WindowPropertiesTest.Event e : c.events()) {
        if (r.nextInt(10) == 0) {
          // A checkpoint: write what changed, then evict some keys (all clean now).
          store.flush(h);
          List<String> inMemory = new ArrayList<>();
          h.operator.forEachKey(inMemory::add);
          java.util.Set<String> chosen = new java.util.HashSet<>();
          for (String key : inMemory) {
            if (r.nextBoolean()) {
              chosen.add(key);
            }
          }
          // One key at a time, or all in one pass (as the operator verticle does).
          if (r.nextBoolean()) {
            for (String key : chosen) {
              evicted.put(key, h.operator.evict(key));
            }
          } else {
            evicted.putAll(h.operator.evictAll(chosen));
          }
          evictions += chosen.size();
        }
        elementReadingBack(h, e, wm, store, evicted);
      }
      endReadingBack(h, store, evicted);
      assertThat(sorted(h.fired, h.panes)).as("seed %d, %d evictions", seed, evictions).isEqualTo(sorted(whole.fired, whole.panes));
      assertThat(h.late).isEqualTo(whole.late);
    }
  }

  /**
   * One element for an operator whose {@code evicted} keys (key to timer) are in the store: its
   * key is read back first, and so is every key whose timer the next watermark reaches.
   */
  private static void elementReadingBack(
      WindowHarness h, WindowPropertiesTest.Event e, BoundedOutOfOrdernessWatermarks wm, ModelStore store, Map<String, Long> evicted) {
    if (evicted.remove(e.key()) != null) {
      store.restore(h.operator, e.key());
    }
    h.element(e.key(), e.ts(), e.value());
    long next = wm.onEvent(e.ts());
    reloadDue(h, store, evicted, next);
    h.watermark(next);
  }

  /** The end of the input: every key still in the store is read back, then everything fires. */
  private static void endReadingBack(WindowHarness h, ModelStore store, Map<String, Long> evicted) {
    reloadDue(h, store, evicted, Long.MAX_VALUE);
    h.watermark(Long.MAX_VALUE);
  }

  private static void reloadDue(WindowHarness h, ModelStore store, Map<String, Long> evicted, long watermark) {
    List<String> due = new ArrayList<>();
    evicted.forEach((key, timer) -> {
      if (timer <= watermark) {
        due.add(key);
      }
    });
    for (String key : due) {
      evicted.remove(key);
      store.restore(h.operator, key);
    }
  }

  /** Three sorted cut points in {@code [0, size]}. */
  private static int[] cuts(SplittableRandom r, int size) {
    int[] cuts = {r.nextInt(size + 1), r.nextInt(size + 1), r.nextInt(size + 1)};
    java.util.Arrays.sort(cuts);
    return cuts;
  }

  /**
   * An uninterrupted run ({@code whole}); a run up to the last cut that wrote its changes into
   * {@code store} at each cut ({@code before}, watermarks from {@code wm}, which goes on); and a
   * fresh operator with the watermark restored and nothing else yet ({@code after}).
   */
  private record Checkpointed(
      WindowHarness whole, WindowHarness before, ModelStore store, BoundedOutOfOrdernessWatermarks wm, WindowHarness after) {}

  private static Checkpointed checkpointed(Supplier<WindowHarness> factory, WindowPropertiesTest.Case c, int[] cuts) {
    WindowHarness whole = factory.get();
    run(whole, c, 0, c.events().size(), new BoundedOutOfOrdernessWatermarks(c.delay()), true);
    BoundedOutOfOrdernessWatermarks wm = new BoundedOutOfOrdernessWatermarks(c.delay());
    WindowHarness before = factory.get();
    ModelStore store = new ModelStore();
    runWithFlushes(before, c, cuts, wm, store);
    WindowHarness after = factory.get();
    after.operator.restoreWatermark(before.operator.watermark());
    return new Checkpointed(whole, before, store, wm, after);
  }

  /** Runs {@code h} up to each cut in turn, flushing its changes into {@code store} at each. */
  private static void runWithFlushes(
      WindowHarness h, WindowPropertiesTest.Case c, int[] cuts, BoundedOutOfOrdernessWatermarks wm, ModelStore store) {
    int done = 0;
    for (int cut : cuts) {
      run(h, c, done, cut, wm, false);
      done = cut;
      store.flush(h);
    }
  }

  /**
   * What {@code before} and then {@code after} emitted is what {@code whole} emitted. Within one
   * watermark step, keys may fire in another order after a restore: firings are compared as
   * multisets per watermark step, which is what a sink sees between two barriers.
   */
  private static void assertSameOutput(WindowHarness before, WindowHarness after, WindowHarness whole, String description) {
    List<WindowHarness.Fired> fired = new ArrayList<>(before.fired);
    fired.addAll(after.fired);
    List<Pane> panes = new ArrayList<>(before.panes);
    panes.addAll(after.panes);
    List<WindowHarness.Late> late = new ArrayList<>(before.late);
    late.addAll(after.late);
    assertThat(sorted(fired, panes)).as(description).isEqualTo(sorted(whole.fired, whole.panes));
    assertThat(late).as(description).isEqualTo(whole.late);
  }

  private static List<String> sorted(List<WindowHarness.Fired> fired, List<Pane> panes) {
    List<String> out = new ArrayList<>();
    for (int i = 0; i < fired.size(); i++) {
      out.add(fired.get(i).watermark() + " " + fired.get(i) + " " + panes.get(i));
    }
    out.sort(null);
    return out;
  }

  private static void run(
      WindowHarness h, WindowPropertiesTest.Case c, int from, int to, BoundedOutOfOrdernessWatermarks wm, boolean end) {
    for (int i = from; i < to; i++) {
      WindowPropertiesTest.Event e = c.events().get(i);
      h.element(e.key(), e.ts(), e.value());
      h.watermark(wm.onEvent(e.ts()));
    }
    if (end) {
      h.watermark(Long.MAX_VALUE);
    }
  }
}
