package io.weir.window;

import static org.assertj.core.api.Assertions.assertThat;

import io.weir.window.WindowHarness.Fired;
import io.weir.window.WindowHarness.Late;
import org.junit.jupiter.api.Test;

class SessionWindowOperatorTest {

  @Test
  void eventsCloserThanTheGapFormOneSessionThatFiresAtItsEnd() {
    WindowHarness h = new WindowHarness(SessionWindows.withGap(10), 0);
    // [1,11) and [5,15) overlap -> [1,15); 20 starts a new session [20,30)
    h.element("a", 1, 1.0).element("a", 5, 2.0).element("a", 20, 4.0);
    h.watermark(13);
    assertThat(h.takeFired()).isEmpty();
    h.watermark(14); // end - 1 of [1,15)
    assertThat(h.takeFired()).containsExactly(new Fired("a", 1, 15, 2, 3.0, 1.0, 2.0, false, 14));
    h.watermark(29);
    assertThat(h.takeFired()).containsExactly(new Fired("a", 20, 30, 1, 4.0, 4.0, 4.0, false, 29));
    assertThat(h.operator.activeKeyWindows()).isZero();
  }

  @Test
  void eventsExactlyOneGapApartTouchAndMerge() {
    WindowHarness h = new WindowHarness(SessionWindows.withGap(10), 0);
    // [0,10) and [10,20) touch: one session [0,20)
    h.element("a", 0, 1.0).element("a", 10, 1.0).watermark(100);
    assertThat(h.takeFired()).containsExactly(new Fired("a", 0, 20, 2, 2.0, 1.0, 1.0, false, 100));
  }

  @Test
  void keysHaveSeparateSessions() {
    WindowHarness h = new WindowHarness(SessionWindows.withGap(10), 0);
    h.element("a", 0, 1.0).element("b", 5, 2.0).watermark(100);
    assertThat(h.takeFired())
        .containsExactlyInAnyOrder(
            new Fired("a", 0, 10, 1, 1.0, 1.0, 1.0, false, 100),
            new Fired("b", 5, 15, 1, 2.0, 2.0, 2.0, false, 100));
  }

  @Test
  void aBridgingEventMergesTwoSessionsAndTheirAggregates() {
    WindowHarness h = new WindowHarness(SessionWindows.withGap(10), 0);
    // [0,10) and [25,35) are apart
    h.element("a", 0, 1.0).element("a", 25, 3.0);
    assertThat(h.operator.activeKeyWindows()).isEqualTo(2);
    // 15 -> [15,25): overlaps [0,10)? no (10 < 15). Touches [25,35) at 25: merge -> [15,35)
    h.element("a", 15, 5.0);
    assertThat(h.operator.activeKeyWindows()).isEqualTo(2);
    // 9 -> [9,19): overlaps [0,10) and [15,35): all three merge into [0,35)
    h.element("a", 9, 7.0);
    assertThat(h.operator.activeKeyWindows()).isEqualTo(1);
    h.watermark(34);
    // 1 + 3 + 5 + 7 = 16 over 4 events
    assertThat(h.takeFired()).containsExactly(new Fired("a", 0, 35, 4, 16.0, 1.0, 7.0, false, 34));
  }

  @Test
  void aLateElementWithinLatenessBridgingTwoFiredSessionsFiresTheMergedSessionAsAnUpdate() {
    WindowHarness h = new WindowHarness(SessionWindows.withGap(10), 20);
    h.element("a", 0, 1.0).element("a", 15, 2.0).watermark(24);
    // [0,10) fired at 9, [15,25) at 24; both kept until end - 1 + 20
    assertThat(h.takeFired())
        .containsExactly(
            new Fired("a", 0, 10, 1, 1.0, 1.0, 1.0, false, 24),
            new Fired("a", 15, 25, 1, 2.0, 2.0, 2.0, false, 24));
    // 6 -> [6,16) bridges both: [0,25), end - 1 = 24 <= watermark: fires at once, an update
    h.element("a", 6, 4.0);
    assertThat(h.takeFired()).containsExactly(new Fired("a", 0, 25, 3, 7.0, 1.0, 4.0, true, 24));
    assertThat(h.late).isEmpty();
    // purged when the watermark reaches 24 + 20 = 44
    h.watermark(43);
    assertThat(h.operator.activeKeyWindows()).isEqualTo(1);
    h.watermark(44);
    assertThat(h.operator.activeKeyWindows()).isZero();
  }

  @Test
  void anElementWhoseOwnWindowIsLateIsAcceptedWhenItTouchesALiveSession() {
    WindowHarness h = new WindowHarness(SessionWindows.withGap(10), 5);
    h.element("a", 30, 1.0).watermark(25);
    // 12 -> [12,22): 21 + 5 = 26 > 25 would be fine anyway; take 10 -> [10,20): 19 + 5 = 24 <= 25,
    // late on its own; and 20 -> [20,30) touches [30,40): merged [20,40), not late.
    h.element("a", 20, 2.0);
    assertThat(h.late).isEmpty();
    h.element("a", 10, 3.0); // [10,20) touches [20,40) at 20: merged [10,40)
    assertThat(h.late).isEmpty();
    h.watermark(39);
    assertThat(h.takeFired()).containsExactly(new Fired("a", 10, 40, 3, 6.0, 1.0, 3.0, false, 39));
  }

  @Test
  void anElementPastLatenessTouchingNothingIsDroppedAsLate() {
    WindowHarness h = new WindowHarness(SessionWindows.withGap(10), 5);
    h.watermark(100).element("a", 50, 1.0);
    // [50,60): 59 + 5 = 64 <= 100
    assertThat(h.late).containsExactly(new Late("a", 50, 50, 60, 100));
    assertThat(h.operator.activeKeyWindows()).isZero();
  }

  @Test
  void anElementWithinLatenessOpeningANewSessionFiresAtOnce() {
    WindowHarness h = new WindowHarness(SessionWindows.withGap(10), 50);
    h.watermark(100).element("a", 80, 1.0);
    // [80,90): 89 <= 100 but 89 + 50 > 100: accepted, fires at once as a first pane
    assertThat(h.takeFired()).containsExactly(new Fired("a", 80, 90, 1, 1.0, 1.0, 1.0, false, 100));
    h.element("a", 85, 2.0); // inside it: re-fires, an update
    assertThat(h.takeFired()).containsExactly(new Fired("a", 80, 95, 2, 3.0, 1.0, 2.0, true, 100));
  }

  @Test
  void sessionsFireInEndOrder() {
    WindowHarness h = new WindowHarness(SessionWindows.withGap(10), 0);
    h.element("a", 50, 1).element("b", 0, 1).element("c", 20, 1).watermark(1_000);
    assertThat(h.takeFired()).extracting(Fired::end).containsExactly(10L, 30L, 60L);
  }
}
