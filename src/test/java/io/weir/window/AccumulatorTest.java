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

  @Test
  void quantilesOfTheValuesAreExactForSmallWindowsAndMerge() {
    // Below k = 200 items the KLL sketch keeps every value: quantiles are exact. Inclusive
    // search: the q quantile of 1..100 is the value at rank ceil(q * 100).
    Accumulator a = new Accumulator(new Accumulator.Spec(true, false));
    Accumulator b = new Accumulator(new Accumulator.Spec(true, false));
    for (int v = 1; v <= 100; v++) {
      (v % 2 == 0 ? a : b).add(v, v);
    }
    a.merge(b);
    assertThat(a.quantile(0.5)).isEqualTo(50.0);
    assertThat(a.quantile(0.95)).isEqualTo(95.0);
    assertThat(a.quantile(0.99)).isEqualTo(99.0);
    assertThat(new Accumulator(new Accumulator.Spec(true, false)).quantile(0.5)).isNaN();
    assertThat(new Accumulator().quantile(0.5)).isNaN();
  }

  @Test
  void quantilesOfALargeWindowStayWithinTheSketchError() {
    Accumulator a = new Accumulator(new Accumulator.Spec(true, false));
    for (int v = 0; v < 100_000; v++) {
      a.add(v, (v * 7919L) % 100_000); // a permutation of 0..99999
    }
    // KLL k = 200: normalised rank error about 1.3% (99th percentile of error): allow 2%
    assertThat(a.quantile(0.5)).isBetween(48_000.0, 52_000.0);
    assertThat(a.quantile(0.95)).isBetween(93_000.0, 97_000.0);
  }

  @Test
  void distinctCountsAFieldAndMergesAsAUnion() {
    Accumulator.Spec spec = new Accumulator.Spec(false, true);
    Accumulator a = new Accumulator(spec);
    a.add(1, 1.0, "u1");
    a.add(2, 1.0, "u2");
    a.add(3, 1.0, "u1");
    a.add(4, 1.0, null); // no value of the field: not counted
    assertThat(a.distinctCount()).isEqualTo(2.0);
    Accumulator b = new Accumulator(spec);
    b.add(5, 1.0, "u2");
    b.add(6, 1.0, "u3");
    a.merge(b);
    assertThat(a.distinctCount()).isEqualTo(3.0); // u1, u2, u3
    assertThat(new Accumulator().distinctCount()).isNaN();

    Accumulator big = new Accumulator(spec);
    for (int i = 0; i < 100_000; i++) {
      big.add(i, 1.0, "user-" + (i % 20_000));
    }
    // HLL lgK 12: about 1.6% relative error; allow 5%
    assertThat(big.distinctCount()).isBetween(19_000.0, 21_000.0);
  }
}
