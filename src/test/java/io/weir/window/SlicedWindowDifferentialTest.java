package io.weir.window;

import static org.assertj.core.api.Assertions.assertThat;

import io.weir.watermark.BoundedOutOfOrdernessWatermarks;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.SplittableRandom;
import java.util.stream.LongStream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The {@link SlicedWindowOperator} (what {@link AlignedWindowOperator} uses for sliding windows;
 * here for tumbling ones too) against the per-window operator it replaced ({@link
 * PerWindowReferenceOperator}, the code before slicing), on seeded random streams: disorder
 * beyond the watermark delay, lateness, watermark jumps, several keys, tumbling and sliding
 * windows (slide dividing the size and not: 60/25 slices by 5), offsets, timestamps around 0,
 * every emit policy with early firings, values that make floating-point sums order-dependent,
 * quantile and distinct sketches. Both operators get the same calls; after every call the
 * emitted panes (every field), the late drops, the counters and the views must be equal.
 *
 * <p>The only freedom allowed is the one the contract gives (DESIGN.md §5): the order of
 * emissions of different (key, window) pairs within one call. Each call's emissions are
 * therefore compared sorted by window and key, and the sliced operator's windows must still
 * come in end order within a watermark advance.
 */
class SlicedWindowDifferentialTest {

  static LongStream seeds() {
    return LongStream.range(0, 1_500).map(i -> 50_000 + i);
  }

  /** (size, slide): tumbling when equal; slide dividing size or not. */
  static final long[][] SHAPES = {
    {10, 10}, {7, 7}, {1, 1}, {10, 5}, {12, 4}, {10, 4}, {60, 25}, {9, 6}, {7, 1}, {100, 5}, {20, 20}, {30, 12}
  };

  /** What an operator emitted, one string per pane or late drop, every field spelled out. */
  static final class Recorder implements WindowOutput {
    final List<String> step = new ArrayList<>();
    final List<Long> stepEnds = new ArrayList<>();
    final boolean quantiles;
    final boolean distinct;

    Recorder(Accumulator.Spec spec) {
      quantiles = spec.quantiles();
      distinct = spec.distinct();
    }

    @Override
    public void fire(String key, Window w, Accumulator a, Pane pane, long watermark) {
      String q = quantiles ? " p50=" + a.quantile(0.5) + " p95=" + a.quantile(0.95) + " p99=" + a.quantile(0.99) : "";
      String d = distinct ? " distinct=" + a.distinctCount() : "";
      step.add(String.format(
          "[%d,%d) fire key=%s count=%d sum=%s min=%s max=%s avg=%s first=%s last=%s%s%s pane=%s wm=%d",
          w.start(), w.end(), key, a.count(), a.sum(), a.min(), a.max(), a.avg(),
          a.first(), a.last(), q, d, pane, watermark));
      stepEnds.add(w.end());
    }

    @Override
    public void late(Object element, long timestamp, Window latestWindow, long watermark) {
      step.add("late " + element + " ts=" + timestamp + " window=" + latestWindow + " wm=" + watermark);
      stepEnds.add(Long.MIN_VALUE);
    }

    /** This call's emissions in canonical order; clears them. */
    List<String> take(boolean checkEndOrder) {
      if (checkEndOrder) {
        for (int i = 1; i < stepEnds.size(); i++) {
          assertThat(stepEnds.get(i)).as("windows fire in end order").isGreaterThanOrEqualTo(stepEnds.get(i - 1));
        }
      }
      List<String> out = new ArrayList<>(step);
      out.sort(Comparator.naturalOrder());
      step.clear();
      stepEnds.clear();
      return out;
    }
  }

  record Setup(WindowAssigner assigner, long lateness, EmitPolicy emit, Accumulator.Spec spec, boolean early) {}

  static Setup randomSetup(SplittableRandom r) {
    long[] shape = SHAPES[r.nextInt(SHAPES.length)];
    long size = shape[0];
    long slide = shape[1];
    boolean tumbling = size == slide && r.nextBoolean();
    long offset = r.nextInt(3) == 0 ? 0 : r.nextLong(-(slide - 1), slide);
    WindowAssigner assigner =
        tumbling ? TumblingWindows.of(size, offset) : SlidingWindows.of(size, slide, offset);
    long lateness = r.nextInt(3) == 0 ? 0 : r.nextInt(60);
    EmitPolicy emit = r.nextInt(3) == 0 ? EmitPolicy.FINAL_ONLY : EmitPolicy.ON_TIME_AND_LATE;
    Accumulator.Spec spec = new Accumulator.Spec(r.nextInt(4) == 0, r.nextInt(4) == 0);
    return new Setup(assigner, lateness, emit, spec, r.nextBoolean());
  }

  static double randomValue(SplittableRandom r) {
    return switch (r.nextInt(10)) {
      case 0 -> Double.NaN; // no value
      case 1 -> r.nextDouble() * 100; // sums depend on the order of addition
      case 2 -> Math.round(r.nextDouble() * 10_000) / 100.0; // two decimals, as in real data
      case 3 -> -0.0;
      case 4 -> r.nextInt(3) == 0 ? 1e17 + r.nextInt(100) : -r.nextInt(1_000);
      default -> r.nextInt(100);
    };
  }

  @ParameterizedTest
  @MethodSource("seeds")
  void slicedOperatorEmitsExactlyWhatThePerWindowOperatorEmits(long seed) {
    SplittableRandom r = new SplittableRandom(seed);
    Setup s = randomSetup(r);
    Recorder expectedOut = new Recorder(s.spec());
    Recorder actualOut = new Recorder(s.spec());
    WindowOperator expected = new PerWindowReferenceOperator(s.assigner(), s.lateness(), expectedOut, s.spec(), s.emit());
    SlicedWindowOperator actual = new SlicedWindowOperator(s.assigner(), s.lateness(), actualOut, s.spec(), s.emit());
    String context = seed + " " + s;

    // Quantile sketches stay exact (deterministic) below 200 values per window.
    int n = 1 + r.nextInt(s.spec().quantiles() ? 150 : 400);
    int keys = 1 + r.nextInt(5);
    long delay = r.nextInt(20);
    long base = r.nextLong(-300, 300);
    long step = 1 + r.nextInt(4);
    int disorder = 1 + r.nextInt(80);
    BoundedOutOfOrdernessWatermarks wm = new BoundedOutOfOrdernessWatermarks(delay);
    for (int i = 0; i < n; i++) {
      long ts = base + i * step - r.nextInt(disorder);
      String key = "k" + r.nextInt(keys);
      String distinctItem = r.nextInt(5) == 0 ? null : "d" + r.nextInt(30);
      double value = randomValue(r);
      String element = key + "#" + i;
      expected.processElement(key, ts, value, distinctItem, element);
      actual.processElement(key, ts, value, distinctItem, element);
      compare(context + " element " + i, expected, expectedOut, actual, actualOut, false);

      long next = r.nextInt(25) == 0 ? wm.current() + r.nextInt(100) : wm.onEvent(ts);
      if (next > wm.current() && r.nextInt(25) == 0) {
        wm.onEvent(next + delay + 1); // a jump: later events are judged against it
      }
      expected.advanceWatermark(Math.max(next, wm.current()));
      actual.advanceWatermark(Math.max(next, wm.current()));
      compare(context + " watermark after " + i, expected, expectedOut, actual, actualOut, true);

      if (s.early() && r.nextInt(7) == 0) {
        expected.emitEarly();
        actual.emitEarly();
        compare(context + " early after " + i, expected, expectedOut, actual, actualOut, true);
      }
      if (r.nextInt(10) == 0) {
        compareViews(context + " view after " + i, expected, actual, "k" + r.nextInt(keys));
      }
    }
    expected.advanceWatermark(Long.MAX_VALUE);
    actual.advanceWatermark(Long.MAX_VALUE);
    compare(context + " end", expected, expectedOut, actual, actualOut, true);
    assertThat(actual.activeKeyWindows()).isZero();
    assertThat(actual.activeWindows()).isZero();
    assertThat(actual.sliceCounts()).as("every slice is purged at the end").containsExactly(0, 0);
  }

  static void compare(
      String context,
      WindowOperator expected,
      Recorder expectedOut,
      SlicedWindowOperator actual,
      Recorder actualOut,
      boolean endOrder) {
    assertThat(actualOut.take(endOrder)).as(context).isEqualTo(expectedOut.take(false));
    assertThat(actual.watermark()).as(context).isEqualTo(expected.watermark());
    assertThat(actual.activeKeyWindows()).as(context + " activeKeyWindows").isEqualTo(expected.activeKeyWindows());
    assertThat(actual.activeWindows()).as(context + " activeWindows").isEqualTo(expected.activeWindows());
  }

  static void compareViews(String context, WindowOperator expected, SlicedWindowOperator actual, String key) {
    Comparator<KeyWindowView> order =
        Comparator.comparingLong((KeyWindowView v) -> v.window().end()).thenComparing(KeyWindowView::key);
    List<KeyWindowView> e = new ArrayList<>(expected.view(null, Integer.MAX_VALUE));
    List<KeyWindowView> a = new ArrayList<>(actual.view(null, Integer.MAX_VALUE));
    e.sort(order);
    a.sort(order);
    assertThat(a).as(context).isEqualTo(e);
    assertThat(actual.view(key, Integer.MAX_VALUE)).as(context + " " + key).isEqualTo(expected.view(key, Integer.MAX_VALUE));
    // A limited listing keeps end order; within a window the order of keys is unspecified.
    List<KeyWindowView> limited = actual.view(null, 3);
    assertThat(limited).hasSize(Math.min(3, e.size()));
    for (KeyWindowView v : limited) {
      assertThat(v.window().end()).isLessThanOrEqualTo(e.get(Math.min(2, e.size() - 1)).window().end());
    }
  }
}
