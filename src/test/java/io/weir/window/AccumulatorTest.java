package io.weir.window;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class AccumulatorTest {

  @Test
  void computesCountSumMinMaxAvg() {
    Accumulator a = new Accumulator();
    a.add(2.5);
    a.add(20.0);
    a.add(15.0);
    assertThat(a.count()).isEqualTo(3);
    assertThat(a.sum()).isEqualTo(37.5); // 2.5 + 20 + 15
    assertThat(a.min()).isEqualTo(2.5);
    assertThat(a.max()).isEqualTo(20.0);
    assertThat(a.avg()).isEqualTo(12.5); // 37.5 / 3
  }

  @Test
  void eventsWithoutValueCountButDoNotTouchTheOtherAggregates() {
    Accumulator a = new Accumulator();
    a.add(Double.NaN);
    assertThat(a.count()).isEqualTo(1);
    assertThat(a.sum()).isZero();
    assertThat(a.min()).isNaN();
    assertThat(a.max()).isNaN();
    assertThat(a.avg()).isNaN();
    a.add(4.0);
    assertThat(a.count()).isEqualTo(2);
    assertThat(a.avg()).isEqualTo(4.0); // the one value: the event without one is not averaged
  }

  @Test
  void mergeCombinesTwoAccumulators() {
    Accumulator a = new Accumulator();
    a.add(1);
    a.add(5);
    Accumulator b = new Accumulator();
    b.add(-3);
    a.merge(b);
    assertThat(a.count()).isEqualTo(3);
    assertThat(a.sum()).isEqualTo(3.0); // 1 + 5 - 3
    assertThat(a.min()).isEqualTo(-3.0);
    assertThat(a.max()).isEqualTo(5.0);
  }

  @Test
  void firstAndLastFollowEventTimeNotArrivalOrder() {
    Accumulator a = new Accumulator();
    a.add(20, 2.0);
    a.add(10, 1.0); // earlier in event time, later in arrival: the new first
    a.add(30, 3.0);
    a.add(30, 4.0); // same time as the last: the later arrival wins
    a.add(5, Double.NaN); // no value: not a candidate
    assertThat(a.first()).isEqualTo(1.0);
    assertThat(a.last()).isEqualTo(4.0);

    Accumulator b = new Accumulator();
    b.add(40, 9.0);
    b.add(1, 8.0);
    a.merge(b);
    assertThat(a.first()).isEqualTo(8.0); // t=1
    assertThat(a.last()).isEqualTo(9.0); // t=40
    assertThat(new Accumulator().first()).isNaN();
  }
}
