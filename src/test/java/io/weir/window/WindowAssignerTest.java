package io.weir.window;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Arrays;
import org.junit.jupiter.api.Test;

class WindowAssignerTest {

  private static long[] starts(WindowAssigner assigner, long timestamp) {
    long[] out = new long[assigner.maxWindowsPerElement()];
    int n = assigner.assign(timestamp, out);
    return Arrays.copyOf(out, n);
  }

  @Test
  void tumblingAssignsTheWindowContainingTheTimestamp() {
    TumblingWindows w = TumblingWindows.of(60_000);
    assertThat(starts(w, 0)).containsExactly(0);
    assertThat(starts(w, 59_999)).containsExactly(0);
    assertThat(starts(w, 60_000)).containsExactly(60_000);
    // 1700000000123 - (1700000000123 mod 60000 = 20123) = 1699999980000
    assertThat(starts(w, 1_700_000_000_123L)).containsExactly(1_699_999_980_000L);
  }

  @Test
  void tumblingHandlesNegativeTimestamps() {
    TumblingWindows w = TumblingWindows.of(10);
    assertThat(starts(w, -1)).containsExactly(-10);
    assertThat(starts(w, -10)).containsExactly(-10);
    assertThat(starts(w, -11)).containsExactly(-20);
    assertThat(starts(w, -150)).containsExactly(-150);
    assertThat(starts(w, -151)).containsExactly(-160);
  }

  @Test
  void tumblingOffsetShiftsWindowStarts() {
    TumblingWindows w = TumblingWindows.of(10, 3);
    assertThat(starts(w, 2)).containsExactly(-7); // [-7, 3)
    assertThat(starts(w, 3)).containsExactly(3); // [3, 13)
    assertThat(starts(w, 12)).containsExactly(3);
    assertThat(starts(w, 13)).containsExactly(13);
  }

  @Test
  void slidingAssignsEveryWindowThatContainsTheTimestampLatestFirst() {
    SlidingWindows w = SlidingWindows.of(10, 5);
    assertThat(starts(w, 4)).containsExactly(0, -5); // [0,10) and [-5,5)
    assertThat(starts(w, 5)).containsExactly(5, 0); // [5,15) and [0,10): 5 is the first of [5,15)
    assertThat(starts(w, 9)).containsExactly(5, 0);
    assertThat(starts(w, 10)).containsExactly(10, 5); // 10 is past [0,10)
  }

  @Test
  void slidingWithASlideThatDoesNotDivideTheSize() {
    SlidingWindows w = SlidingWindows.of(10, 4);
    // starts are multiples of 4 in (ts - 10, ts]: for 12 that is 12, 8, 4 (4 + 10 = 14 > 12)
    assertThat(starts(w, 12)).containsExactly(12, 8, 4);
    // for 13: 12, 8, 4 again; 0 is out because [0,10) ends before 13
    assertThat(starts(w, 13)).containsExactly(12, 8, 4);
    // for 14: 12, 8 — [4,14) ends at 14
    assertThat(starts(w, 14)).containsExactly(12, 8);
    assertThat(w.maxWindowsPerElement()).isEqualTo(3);
  }

  @Test
  void invalidSpecsAreRejectedWithTheValues() {
    assertThatThrownBy(() -> SlidingWindows.of(60_000, 90_000))
        .hasMessageContaining("slide (90000) must not exceed size (60000)");
    assertThatThrownBy(() -> TumblingWindows.of(0)).hasMessageContaining("must be > 0");
    assertThatThrownBy(() -> TumblingWindows.of(10, 10)).hasMessageContaining("offset (10)");
  }
}
