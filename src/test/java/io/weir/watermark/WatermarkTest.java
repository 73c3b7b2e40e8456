package io.weir.watermark;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class WatermarkTest {

  @Test
  void boundedOutOfOrdernessIsMaxTimestampMinusDelayMinusOne() {
    BoundedOutOfOrdernessWatermarks g = new BoundedOutOfOrdernessWatermarks(2_000);
    assertThat(g.current()).isEqualTo(Long.MIN_VALUE);
    assertThat(g.onEvent(1_000)).isEqualTo(-1_001); // 1000 - 2000 - 1
    assertThat(g.onEvent(5_000)).isEqualTo(2_999); // 5000 - 2001
    assertThat(g.onEvent(3_000)).isEqualTo(2_999); // out of order: max stays 5000
    assertThat(g.maxTimestamp()).isEqualTo(5_000);
  }

  @Test
  void watermarkDoesNotWrapBelowLongMin() {
    BoundedOutOfOrdernessWatermarks g = new BoundedOutOfOrdernessWatermarks(10);
    assertThat(g.onEvent(Long.MIN_VALUE + 5)).isEqualTo(Long.MIN_VALUE);
  }

  @Test
  void combinerIsTheMinimumOverChannelsAndTheSlowerOneHoldsItBack() {
    WatermarkCombiner c = new WatermarkCombiner(2);
    assertThat(c.update(0, 100)).isFalse(); // channel 1 is still at MIN
    assertThat(c.current()).isEqualTo(Long.MIN_VALUE);
    assertThat(c.slowestChannel()).isEqualTo(1);
    assertThat(c.update(1, 50)).isTrue();
    assertThat(c.current()).isEqualTo(50);
    assertThat(c.update(0, 200)).isFalse(); // channel 1 (50) still holds it
    assertThat(c.update(1, 300)).isTrue();
    assertThat(c.current()).isEqualTo(200);
  }

  @Test
  void combinerIgnoresAChannelGoingBackwards() {
    WatermarkCombiner c = new WatermarkCombiner(1);
    c.update(0, 100);
    assertThat(c.update(0, 40)).isFalse();
    assertThat(c.current()).isEqualTo(100);
    assertThat(c.channel(0)).isEqualTo(100);
  }

  @Test
  void anIdleChannelIsLeftOutOfTheMinimum() {
    WatermarkCombiner c = new WatermarkCombiner(2);
    c.update(0, 100);
    c.update(1, 50);
    assertThat(c.current()).isEqualTo(50);
    // channel 1 goes silent: channel 0 alone decides
    assertThat(c.markIdle(1)).isTrue();
    assertThat(c.current()).isEqualTo(100);
    assertThat(c.slowestChannel()).isZero();
    c.update(0, 150);
    assertThat(c.current()).isEqualTo(150);
  }

  @Test
  void aChannelBackFromIdleBelowTheWatermarkDoesNotPullItBackAndRejoinsWhenCaughtUp() {
    WatermarkCombiner c = new WatermarkCombiner(2);
    c.update(0, 100);
    c.update(1, 50);
    c.markIdle(1);
    assertThat(c.current()).isEqualTo(100);
    // channel 1 produces again at 60 < 100: unaligned, it cannot pull event time back...
    assertThat(c.update(1, 60)).isFalse();
    assertThat(c.current()).isEqualTo(100);
    // ...nor hold it (as Flink's StatusWatermarkValve): channel 0 alone moves it to 300
    assertThat(c.update(0, 300)).isTrue();
    assertThat(c.current()).isEqualTo(300);
    // channel 1 catches up at 400: aligned again, and from now on part of the minimum
    c.update(1, 400);
    assertThat(c.current()).isEqualTo(300);
    c.update(0, 500);
    assertThat(c.current()).isEqualTo(400);
  }

  @Test
  void whenEveryChannelIsIdleTheWatermarkMovesToTheLargestChannelWatermark() {
    WatermarkCombiner c = new WatermarkCombiner(3);
    c.update(0, 100);
    c.update(1, 40);
    c.update(2, 70);
    assertThat(c.current()).isEqualTo(40);
    c.markIdle(1);
    assertThat(c.current()).isEqualTo(70);
    c.markIdle(2);
    assertThat(c.current()).isEqualTo(100);
    c.markIdle(0);
    assertThat(c.current()).isEqualTo(100);
    assertThat(c.slowestChannel()).isEqualTo(-1);
  }

  @Test
  void anIdleChannelCanBeAdvancedWithoutBecomingActive() {
    WatermarkCombiner c = new WatermarkCombiner(2);
    c.update(0, 10);
    c.update(1, 20);
    c.markIdle(0);
    c.markIdle(1);
    assertThat(c.current()).isEqualTo(20);
    assertThat(c.advanceIdle(0, 500)).isTrue(); // all idle: the largest, 500
    assertThat(c.current()).isEqualTo(500);
    assertThat(c.idle(0)).isTrue();
  }

  @Test
  void aChannelCatchingUpWhileTheOthersAreIdleMovesTheWatermark() {
    WatermarkCombiner c = new WatermarkCombiner(2);
    c.update(0, 100);
    c.update(1, 50);
    c.markIdle(1); // 100
    c.markIdle(0); // all idle; 0 held the minimum: stays 100
    assertThat(c.current()).isEqualTo(100);
    // channel 1 comes back below, then catches up: with no aligned channel left, it leads
    assertThat(c.update(1, 60)).isFalse();
    assertThat(c.update(1, 120)).isTrue();
    assertThat(c.current()).isEqualTo(120);
    assertThat(c.update(1, 500)).isTrue();
    assertThat(c.current()).isEqualTo(500);
  }

  @Test
  void theAllIdleFlushHappensOnlyWhenTheLastChannelToGoIdleHeldTheMinimum() {
    WatermarkCombiner c = new WatermarkCombiner(2);
    c.update(0, 100);
    c.update(1, 50);
    c.markIdle(0); // channel 1 alone: 50
    assertThat(c.current()).isEqualTo(50);
    c.markIdle(1); // it held the minimum: flush to 100
    assertThat(c.current()).isEqualTo(100);

    WatermarkCombiner d = new WatermarkCombiner(3);
    d.update(0, 100);
    d.update(1, 50);
    d.update(2, 70);
    d.markIdle(1); // 70
    d.update(0, 200);
    d.update(2, 80); // min(200, 80) = 80
    d.markIdle(0); // 80 (channel 2)
    assertThat(d.current()).isEqualTo(80);
    d.markIdle(2); // held the minimum: flush to 200
    assertThat(d.current()).isEqualTo(200);
  }
}
