package io.weir.window;

import static org.assertj.core.api.Assertions.assertThat;

import io.weir.window.WindowHarness.Fired;
import io.weir.window.WindowHarness.Late;
import org.junit.jupiter.api.Test;

class AlignedWindowOperatorTest {

  @Test
  void tumblingWindowFiresWhenWatermarkReachesEndMinusOne() {
    WindowHarness h = new WindowHarness(TumblingWindows.of(10), 0);
    h.element("a", 1, 2.0).element("a", 5, 4.0).element("b", 9, 7.5);

    h.watermark(8);
    assertThat(h.takeFired()).isEmpty();

    h.watermark(9); // end - 1 of [0, 10)
    assertThat(h.takeFired())
        .containsExactlyInAnyOrder(
            // a: 2.0 + 4.0 = 6.0 over 2 events
            new Fired("a", 0, 10, 2, 6.0, 2.0, 4.0, false, 9),
            new Fired("b", 0, 10, 1, 7.5, 7.5, 7.5, false, 9));
    assertThat(h.operator.activeKeyWindows()).isZero();
  }

  @Test
  void eventsOfTheNextWindowWaitForTheirOwnEnd() {
    WindowHarness h = new WindowHarness(TumblingWindows.of(10), 0);
    h.element("a", 9, 1.0).element("a", 10, 3.0).watermark(9);
    assertThat(h.takeFired()).containsExactly(new Fired("a", 0, 10, 1, 1.0, 1.0, 1.0, false, 9));
    h.watermark(19);
    assertThat(h.takeFired()).containsExactly(new Fired("a", 10, 20, 1, 3.0, 3.0, 3.0, false, 19));
  }

  @Test
  void windowsFireInEndOrderWhenTheWatermarkJumps() {
    WindowHarness h = new WindowHarness(TumblingWindows.of(10), 0);
    h.element("a", 25, 1).element("a", 5, 1).element("a", 15, 1).watermark(100);
    assertThat(h.takeFired()).extracting(Fired::end).containsExactly(10L, 20L, 30L);
  }

  @Test
  void lateElementWithinLatenessRefiresWindowWithTheFullAggregate() {
    WindowHarness h = new WindowHarness(TumblingWindows.of(10), 5);
    h.element("a", 3, 1.0).watermark(9);
    assertThat(h.takeFired()).containsExactly(new Fired("a", 0, 10, 1, 1.0, 1.0, 1.0, false, 9));

    // 4 is behind the watermark (9) but [0,10) is kept until 9 + 5 = 14: accumulate and re-fire.
    h.element("a", 4, 2.0);
    assertThat(h.takeFired()).containsExactly(new Fired("a", 0, 10, 2, 3.0, 1.0, 2.0, true, 9));
    assertThat(h.late).isEmpty();

    // At 14 the window is purged; a later element for it is dropped as late.
    h.watermark(14);
    assertThat(h.operator.activeKeyWindows()).isZero();
    h.element("a", 5, 9.0);
    assertThat(h.takeFired()).isEmpty();
    assertThat(h.late).containsExactly(new Late("a", 5, 0, 10, 14));
  }

  @Test
  void firstElementOfAKeyArrivingWithinLatenessFiresAtOnceAsAFirstPane() {
    WindowHarness h = new WindowHarness(TumblingWindows.of(10), 5);
    h.element("a", 1, 1.0).watermark(12);
    h.takeFired();
    h.element("b", 2, 4.0);
    assertThat(h.takeFired()).containsExactly(new Fired("b", 0, 10, 1, 4.0, 4.0, 4.0, false, 12));
  }

  @Test
  void elementBeyondLatenessIsDroppedToTheLateOutput() {
    WindowHarness h = new WindowHarness(TumblingWindows.of(10), 0);
    h.element("a", 12, 1.0).watermark(10);
    h.element("a", 9, 5.0); // [0,10): 9 + 0 <= 10
    assertThat(h.late).containsExactly(new Late("a", 9, 0, 10, 10));
    assertThat(h.takeFired()).isEmpty();
  }

  @Test
  void elementIsJudgedAgainstTheWatermarkBeforeIt() {
    WindowHarness h = new WindowHarness(TumblingWindows.of(10), 0);
    // Watermark 8: 9 is not late and lands in [0,10), which fires only when the watermark reaches 9.
    h.watermark(8).element("a", 9, 1.0);
    assertThat(h.takeFired()).isEmpty();
    assertThat(h.late).isEmpty();
    h.watermark(9);
    assertThat(h.takeFired()).hasSize(1);
  }

  @Test
  void slidingElementLateForSomeWindowsIsAddedToTheOthersAndNotReported() {
    WindowHarness h = new WindowHarness(SlidingWindows.of(10, 5), 0);
    h.element("a", 1, 1.0).watermark(9);
    assertThat(h.takeFired())
        .containsExactly(
            new Fired("a", -5, 5, 1, 1.0, 1.0, 1.0, false, 9),
            new Fired("a", 0, 10, 1, 1.0, 1.0, 1.0, false, 9));
    // 7 belongs to [0,10) (past end - 1 = 9 <= 9: skipped) and [5,15) (open).
    h.element("a", 7, 2.0);
    assertThat(h.late).isEmpty();
    h.watermark(14);
    assertThat(h.takeFired()).containsExactly(new Fired("a", 5, 15, 1, 2.0, 2.0, 2.0, false, 14));
  }

  @Test
  void slidingElementPastAllItsWindowsIsReportedWithTheLatestWindow() {
    WindowHarness h = new WindowHarness(SlidingWindows.of(10, 5), 0);
    h.watermark(20).element("a", 7, 1.0);
    // windows of 7: [5,15) and [0,10); latest is [5,15), 14 <= 20.
    assertThat(h.late).containsExactly(new Late("a", 7, 5, 15, 20));
  }

  @Test
  void endOfStreamWatermarkFiresAndPurgesEverything() {
    WindowHarness h = new WindowHarness(TumblingWindows.of(10), 1_000);
    h.element("a", 1, 1).element("a", 1_000_000, 1).watermark(Long.MAX_VALUE);
    assertThat(h.takeFired()).extracting(Fired::end).containsExactly(10L, 1_000_010L);
    assertThat(h.operator.activeKeyWindows()).isZero();
    assertThat(h.operator.activeWindows()).isZero();
  }

  @Test
  void aWatermarkThatDoesNotAdvanceIsIgnored() {
    WindowHarness h = new WindowHarness(TumblingWindows.of(10), 0);
    h.element("a", 1, 1).watermark(9);
    h.takeFired();
    h.watermark(5).watermark(9);
    assertThat(h.takeFired()).isEmpty();
    assertThat(h.operator.watermark()).isEqualTo(9);
  }

  @Test
  void viewListsActiveKeyWindowsWithFireAndPurgeTimes() {
    WindowHarness h = new WindowHarness(TumblingWindows.of(10), 5);
    h.element("a", 1, 2).element("b", 12, 3);
    assertThat(h.operator.view(null, 10)).hasSize(2);
    KeyWindowView a = h.operator.view("a", 10).get(0);
    assertThat(a.window()).isEqualTo(new Window(0, 10));
    assertThat(a.firesAt()).isEqualTo(9);
    assertThat(a.purgedAt()).isEqualTo(14);
    assertThat(h.operator.view(null, 1)).hasSize(1);
  }

  @Test
  void timestampsNearTheLongBoundsGetWindowsThatStayInRange() {
    WindowHarness h = new WindowHarness(TumblingWindows.of(10), 0);
    long max = Long.MAX_VALUE; // 9223372036854775807: floorMod(max, 10) = 7
    h.element("a", max - 1, 1.0); // window [max - 7, max - 7 + 10) saturates its end at max
    long min = Long.MIN_VALUE; // -9223372036854775808: floorMod(min, 10) = 2
    h.element("b", min + 3, 2.0); // true start min + 3 - 5 is below the range: starts at min
    h.element("c", 0, 3.0);
    h.watermark(Long.MAX_VALUE);
    assertThat(h.takeFired())
        .containsExactly(
            new Fired("b", min, min + 8, 1, 2.0, 2.0, 2.0, false, max),
            new Fired("c", 0, 10, 1, 3.0, 3.0, 3.0, false, max),
            new Fired("a", max - 7, max, 1, 1.0, 1.0, 1.0, false, max));
  }

  @Test
  void slidingWindowsNearLongMinAreCutAtTheBound() {
    long min = Long.MIN_VALUE; // floorMod(min, 5) = 2, so floorMod(min + 1, 5) = 3
    long[] starts = new long[2];
    long[] ends = new long[2];
    int n = SlidingWindows.of(10, 5).assign(min + 1, starts, ends);
    // on the grid the windows are [min - 2, min + 8) and [min - 7, min + 3): cut at min
    assertThat(n).isEqualTo(2);
    assertThat(starts).containsExactly(min, min);
    assertThat(ends).containsExactly(min + 8, min + 3);
  }

  @Test
  void aSlidingWindowExistsForAKeyOnlyIfAnElementOfThatKeyIsInIt() {
    // size 10, slide 5: slices of 5. a@7 is in [0,10) and [5,15); b@12 in [5,15) and [10,20).
    WindowHarness h = new WindowHarness(SlidingWindows.of(10, 5), 0);
    h.element("a", 7, 1.0).element("b", 12, 2.0).watermark(Long.MAX_VALUE);
    // a has no [10,20) although the slice [10,15) it shares with [5,15) holds b's element
    assertThat(h.takeFired())
        .containsExactlyInAnyOrder(
            new Fired("a", 0, 10, 1, 1.0, 1.0, 1.0, false, Long.MAX_VALUE),
            new Fired("a", 5, 15, 1, 1.0, 1.0, 1.0, false, Long.MAX_VALUE),
            new Fired("b", 5, 15, 1, 2.0, 2.0, 2.0, false, Long.MAX_VALUE),
            new Fired("b", 10, 20, 1, 2.0, 2.0, 2.0, false, Long.MAX_VALUE));
  }

  @Test
  void aSliceIsPurgedWhenTheLatestWindowContainingItIsPastLateness() {
    // size 10, slide 5, L 3: a@1 is in the slice [0,5), whose windows are [-5,5) and [0,10).
    WindowHarness h = new WindowHarness(SlidingWindows.of(10, 5), 3);
    SlicedWindowOperator op = (SlicedWindowOperator) ((AlignedWindowOperator) h.operator).implementation();
    h.element("a", 1, 1.0);
    assertThat(op.sliceCounts()).containsExactly(1, 1);
    h.watermark(9); // both fired; [-5,5) purged (4 + 3 = 7 <= 9), [0,10) kept until 9 + 3 = 12
    assertThat(h.operator.activeKeyWindows()).isEqualTo(1);
    assertThat(op.sliceCounts()).containsExactly(1, 1);
    h.watermark(12);
    assertThat(h.operator.activeKeyWindows()).isZero();
    assertThat(op.sliceCounts()).containsExactly(0, 0);
  }

  @Test
  void aWindowSumAddsItsValuesInArrivalOrderAcrossSlices() {
    // size 10, slide 5: 1e16@6 and -1e16@7 are in the slice [5,10), 1@1 in [0,5), all in [0,10).
    WindowHarness h = new WindowHarness(SlidingWindows.of(10, 5), 0);
    h.element("a", 6, 1e16).element("a", 1, 1.0).element("a", 7, -1e16).watermark(9);
    // Arrival order: (1e16 + 1) + -1e16 = 1e16 + -1e16 = 0 (1e16 + 1 rounds to 1e16). Adding the
    // slices' partial sums would give 1 + (1e16 + -1e16) = 1.
    assertThat(h.takeFired())
        .containsExactly(
            new Fired("a", -5, 5, 1, 1.0, 1.0, 1.0, false, 9),
            new Fired("a", 0, 10, 3, 0.0, -1e16, 1e16, false, 9));
  }

  @Test
  void slidingWindowsCutAtLongMaxShareOneWindowThatCountsTheElementOnce() {
    long max = Long.MAX_VALUE; // floorMod(max, 5) = 2, so floorMod(max - 1, 5) = 1
    WindowHarness h = new WindowHarness(SlidingWindows.of(10, 5), 0);
    // On the grid max - 1 is in [max - 2, max + 8) and [max - 7, max + 3): both are cut to end
    // at max, and windows are kept by end, so they are one window, the first assigned. (Before
    // slicing the element was added to it once per cut window: count 2.)
    h.element("a", max - 1, 1.0);
    assertThat(h.operator.activeWindows()).isEqualTo(1);
    assertThat(h.operator.activeKeyWindows()).isEqualTo(1);
    h.watermark(max);
    assertThat(h.takeFired()).containsExactly(new Fired("a", max - 2, max, 1, 1.0, 1.0, 1.0, false, max));
  }
}
