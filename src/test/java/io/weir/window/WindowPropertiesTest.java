package io.weir.window;

import static org.assertj.core.api.Assertions.assertThat;

import io.weir.window.WindowHarness.Fired;
import io.weir.window.WindowHarness.Late;
import io.weir.watermark.BoundedOutOfOrdernessWatermarks;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Invariants over many seeded random streams (each seed is a reproducible case): out-of-order
 * events beyond the watermark delay, random lateness, one watermark after every event and +∞ at
 * the end, as the pipeline drives the operator.
 */
class WindowPropertiesTest {

  static long[] seeds() {
    long[] seeds = new long[300];
    for (int i = 0; i < seeds.length; i++) {
      seeds[i] = 1_000 + i;
    }
    return seeds;
  }

  record Event(String key, long ts, double value) {}

  record Case(List<Event> events, long delay, long lateness) {}

  static Case randomCase(long seed) {
    SplittableRandom r = new SplittableRandom(seed);
    int n = 1 + r.nextInt(300);
    long delay = r.nextInt(20);
    long lateness = r.nextInt(3) == 0 ? 0 : r.nextInt(40);
    long base = r.nextLong(-1_000, 1_000);
    List<Event> events = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      // time moves forward on average, with disorder up to 60 (well beyond most delays)
      long ts = base + i * 3L - r.nextInt(60);
      events.add(new Event("k" + r.nextInt(4), ts, r.nextInt(100)));
    }
    return new Case(events, delay, lateness);
  }

  /** Drives the operator as the pipeline does: the watermark after every event, +∞ at the end. */
  static WindowHarness run(WindowHarness h, Case c) {
    BoundedOutOfOrdernessWatermarks wm = new BoundedOutOfOrdernessWatermarks(c.delay());
    for (Event e : c.events()) {
      h.element(e.key(), e.ts(), e.value());
      h.watermark(wm.onEvent(e.ts()));
    }
    h.watermark(Long.MAX_VALUE);
    return h;
  }

  /** The last (final) result of each key window. */
  static Map<String, Fired> finals(List<Fired> fired) {
    Map<String, Fired> last = new HashMap<>();
    for (Fired f : fired) {
      last.put(f.key() + "@" + f.start() + "," + f.end(), f);
    }
    return last;
  }

  @ParameterizedTest
  @MethodSource("seeds")
  void tumblingFinalCountsAddUpToTheEventsThatWereNotLate(long seed) {
    Case c = randomCase(seed);
    WindowHarness h = run(new WindowHarness(TumblingWindows.of(10), c.lateness()), c);
    long counted = finals(h.fired).values().stream().mapToLong(Fired::count).sum();
    assertThat(counted + h.late.size()).isEqualTo(c.events().size());
    // every result's count equals the accepted events of its key and window
    Map<String, Long> accepted = new HashMap<>();
    List<Event> late = new ArrayList<>();
    h.late.forEach(l -> late.add(new Event(l.key(), l.timestamp(), 0)));
    Map<String, Integer> lateLeft = new HashMap<>();
    late.forEach(l -> lateLeft.merge(l.key() + "@" + l.ts(), 1, Integer::sum));
    for (Event e : c.events()) {
      String id = e.key() + "@" + e.ts();
      if (lateLeft.getOrDefault(id, 0) > 0) {
        lateLeft.merge(id, -1, Integer::sum);
        continue;
      }
      long start = WindowAssigner.windowStart(e.ts(), 0, 10);
      accepted.merge(e.key() + "@" + start + "," + (start + 10), 1L, Long::sum);
    }
    Map<String, Long> resultCounts = new HashMap<>();
    finals(h.fired).forEach((k, f) -> resultCounts.put(k, f.count()));
    assertThat(resultCounts).isEqualTo(accepted);
  }

  @ParameterizedTest
  @MethodSource("seeds")
  void everyEventIsCountedInEachSlidingWindowThatContainsItAndWasStillOpen(long seed) {
    Case c = randomCase(seed);
    SlidingWindows sliding = SlidingWindows.of(12, 4);
    WindowHarness h = run(new WindowHarness(sliding, c.lateness()), c);
    // Oracle, straight from the rule: an event counts in each window containing it whose
    // end - 1 + lateness is above the watermark left by the events before it.
    BoundedOutOfOrdernessWatermarks wm = new BoundedOutOfOrdernessWatermarks(c.delay());
    Map<String, Long> expected = new HashMap<>();
    long lateExpected = 0;
    long[] starts = new long[sliding.maxWindowsPerElement()];
    for (Event e : c.events()) {
      long before = wm.current();
      boolean added = false;
      int n = sliding.assign(e.ts(), starts);
      for (int i = 0; i < n; i++) {
        if (starts[i] + 12 - 1 + c.lateness() > before) {
          expected.merge(e.key() + "@" + starts[i] + "," + (starts[i] + 12), 1L, Long::sum);
          added = true;
        }
      }
      if (!added) {
        lateExpected++;
      }
      wm.onEvent(e.ts());
    }
    Map<String, Long> actual = new HashMap<>();
    finals(h.fired).forEach((k, f) -> actual.put(k, f.count()));
    assertThat(actual).isEqualTo(expected);
    assertThat(h.late).hasSize((int) lateExpected);
    for (Late l : h.late) {
      // the latest window it missed contains it and was past lateness
      assertThat(l.timestamp()).isGreaterThanOrEqualTo(l.windowStart()).isLessThan(l.windowEnd());
      assertThat(l.windowEnd() - 1 + c.lateness()).isLessThanOrEqualTo(l.watermark());
    }
  }

  @ParameterizedTest
  @MethodSource("seeds")
  void aTumblingWindowFiresOnTimeAtMostOnceAndOnlyLateUpdatesFollow(long seed) {
    Case c = randomCase(seed);
    WindowHarness h = run(new WindowHarness(TumblingWindows.of(10), c.lateness()), c);
    Map<String, Integer> firings = new HashMap<>();
    for (Fired f : h.fired) {
      String id = f.key() + "@" + f.start();
      int before = firings.merge(id, 1, Integer::sum) - 1;
      assertThat(f.isUpdate()).isEqualTo(before > 0);
      assertThat(f.watermark()).isGreaterThanOrEqualTo(f.end() - 1);
    }
  }

  @ParameterizedTest
  @MethodSource("seeds")
  void finalSessionsOfAKeyAreDisjointAndCountEveryEventOnce(long seed) {
    Case c = randomCase(seed);
    // Lateness beyond the whole stream: no session is purged before the end, so the final
    // sessions are exactly the ones no later merge covers, and none may overlap or touch.
    WindowHarness h = run(new WindowHarness(SessionWindows.withGap(5), 1_000_000), c);
    // Final sessions: drop any session contained in a later-emitted merged one of the same key.
    List<Fired> all = new ArrayList<>(finals(h.fired).values());
    List<Fired> outer = new ArrayList<>();
    for (Fired f : all) {
      boolean covered = all.stream().anyMatch(g -> g != f && g.key().equals(f.key()) && g.start() <= f.start() && g.end() >= f.end() && (g.start() < f.start() || g.end() > f.end()));
      if (!covered) {
        outer.add(f);
      }
    }
    for (Fired a : outer) {
      assertThat(a.end() - a.start()).isGreaterThanOrEqualTo(5);
      for (Fired b : outer) {
        if (a != b && a.key().equals(b.key())) {
          assertThat(a.end() < b.start() || b.end() < a.start()).as("%s and %s overlap or touch", a, b).isTrue();
        }
      }
    }
    long counted = outer.stream().mapToLong(Fired::count).sum();
    assertThat(h.late).isEmpty();
    assertThat(counted).isEqualTo(c.events().size());
  }
}
