package io.weir.window;

import static org.assertj.core.api.Assertions.assertThat;

import io.weir.window.Pane.Timing;
import io.weir.window.WindowHarness.Fired;
import org.junit.jupiter.api.Test;

class EmitPolicyTest {

  @Test
  void onTimeAndLatePanesCarryIndexTimingAndFinality() {
    WindowHarness h = new WindowHarness(TumblingWindows.of(10), 5);
    h.element("a", 3, 1.0).watermark(9); // on time; lateness 5 keeps it open: not final
    h.element("a", 4, 2.0); // late, within lateness
    h.watermark(14); // purged: nothing more can come, but nothing is emitted then
    assertThat(h.panes)
        .containsExactly(new Pane(0, Timing.ON_TIME, false), new Pane(1, Timing.LATE, false));
  }

  @Test
  void withoutLatenessTheOnTimePaneIsFinal() {
    WindowHarness h = new WindowHarness(TumblingWindows.of(10), 0);
    h.element("a", 3, 1.0).watermark(9);
    assertThat(h.panes).containsExactly(new Pane(0, Timing.ON_TIME, true));
  }

  @Test
  void finalOnlyEmitsOnceWhenTheWindowCanNoLongerChange() {
    WindowHarness h = new WindowHarness(TumblingWindows.of(10), 5, EmitPolicy.FINAL_ONLY);
    h.element("a", 3, 1.0).watermark(9);
    assertThat(h.takeFired()).isEmpty(); // on time, but lateness may still change it
    h.element("a", 4, 2.0); // late within lateness: no emission either
    assertThat(h.takeFired()).isEmpty();
    h.watermark(13);
    assertThat(h.takeFired()).isEmpty();
    h.watermark(14); // 9 + 5: final
    assertThat(h.takeFired()).containsExactly(new Fired("a", 0, 10, 2, 3.0, 1.0, 2.0, false, 14));
    assertThat(h.panes).containsExactly(new Pane(0, Timing.LATE, true));
  }

  @Test
  void finalOnlyWithoutLateDataIsOnTime() {
    WindowHarness h = new WindowHarness(TumblingWindows.of(10), 0, EmitPolicy.FINAL_ONLY);
    h.element("a", 3, 1.0).element("b", 5, 2.0).watermark(9);
    assertThat(h.takeFired()).hasSize(2);
    assertThat(h.panes).containsOnly(new Pane(0, Timing.ON_TIME, true));
  }

  @Test
  void earlyPanesOnlyForWindowsThatChangedAndNotYetOnTime() {
    WindowHarness h = new WindowHarness(TumblingWindows.of(10), 0);
    h.element("a", 1, 1.0).element("b", 2, 5.0);
    h.operator.emitEarly();
    assertThat(h.takeFired())
        .containsExactlyInAnyOrder(
            new Fired("a", 0, 10, 1, 1.0, 1.0, 1.0, false, Long.MIN_VALUE),
            new Fired("b", 0, 10, 1, 5.0, 5.0, 5.0, false, Long.MIN_VALUE));
    h.operator.emitEarly(); // nothing changed
    assertThat(h.takeFired()).isEmpty();
    h.element("a", 2, 3.0);
    h.operator.emitEarly();
    assertThat(h.takeFired()).containsExactly(new Fired("a", 0, 10, 2, 4.0, 1.0, 3.0, true, Long.MIN_VALUE));
    h.watermark(9);
    assertThat(h.takeFired()).hasSize(2); // the on-time panes of a and b
    h.operator.emitEarly(); // past end - 1: no more early panes
    assertThat(h.takeFired()).isEmpty();
    assertThat(h.panes)
        .containsExactly(
            h.panes.get(0),
            h.panes.get(1),
            new Pane(1, Timing.EARLY, false),
            h.panes.get(3),
            h.panes.get(4));
    assertThat(h.panes.subList(3, 5)).extracting(Pane::timing).containsOnly(Timing.ON_TIME);
  }

  @Test
  void sessionsFollowTheSamePolicies() {
    WindowHarness h = new WindowHarness(SessionWindows.withGap(10), 20, EmitPolicy.FINAL_ONLY);
    h.element("a", 0, 1.0).element("a", 15, 2.0).watermark(24);
    assertThat(h.takeFired()).isEmpty();
    h.element("a", 6, 4.0); // bridges both into [0,25): late
    h.watermark(44); // 24 + 20
    assertThat(h.takeFired()).containsExactly(new Fired("a", 0, 25, 3, 7.0, 1.0, 4.0, false, 44));
    assertThat(h.panes).containsExactly(new Pane(0, Timing.LATE, true));
  }
}
