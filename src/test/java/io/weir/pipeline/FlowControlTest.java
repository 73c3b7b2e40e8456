package io.weir.pipeline;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class FlowControlTest {

  @Test
  void aWaitingSourceIsWokenOnceWhenReleasesReachTheLowWaterMark() {
    FlowControl flow = new FlowControl(10_000);
    flow.acquireEvents(10_000);
    AtomicInteger wakes = new AtomicInteger();
    // Room for one batch of 1,000 is the mark.
    flow.awaitCapacity(1_000, 1_000, wakes::incrementAndGet);
    flow.releaseEvents(500); // 500 free
    assertThat(wakes).hasValue(0);
    flow.releaseEvents(500); // 1,000 free: the mark
    assertThat(wakes).hasValue(1);
    flow.releaseEvents(5_000);
    assertThat(wakes).hasValue(1);
  }

  @Test
  void aSourceThatAsksWhenThereIsRoomAlreadyIsWokenAtOnce() {
    FlowControl flow = new FlowControl(100);
    AtomicInteger wakes = new AtomicInteger();
    flow.awaitCapacity(10, 50, wakes::incrementAndGet);
    assertThat(wakes).hasValue(1);
  }

  @Test
  void unacknowledgedSinkBatchesCountAgainstTheRoom() {
    FlowControl flow = new FlowControl(100);
    flow.acquireSinkBatch();
    flow.acquireSinkBatch(); // 2 x batch size 40 = 80 taken: 20 free
    AtomicInteger wakes = new AtomicInteger();
    flow.awaitCapacity(40, 50, wakes::incrementAndGet);
    assertThat(wakes).hasValue(0);
    flow.releaseSinkBatch(); // 60 free
    assertThat(wakes).hasValue(1);
  }

  @Test
  void aNewWaitReplacesOneThatWasNotWoken() {
    FlowControl flow = new FlowControl(100);
    flow.acquireEvents(100);
    AtomicInteger first = new AtomicInteger();
    AtomicInteger second = new AtomicInteger();
    flow.awaitCapacity(10, 10, first::incrementAndGet);
    flow.awaitCapacity(10, 10, second::incrementAndGet);
    flow.releaseEvents(100);
    assertThat(first).hasValue(0);
    assertThat(second).hasValue(1);
  }

  @Test
  void releasesFromOtherThreadsNeverLoseTheWakeUp() throws Exception {
    // Each round: the source finds no room and waits while another thread releases; whichever
    // comes first, the wake-up must run exactly once.
    for (int round = 0; round < 2_000; round++) {
      FlowControl flow = new FlowControl(10);
      flow.acquireEvents(10);
      AtomicInteger wakes = new AtomicInteger();
      Thread releaser = new Thread(() -> flow.releaseEvents(10));
      releaser.start();
      flow.awaitCapacity(1, 10, wakes::incrementAndGet);
      releaser.join();
      assertThat(wakes).as("round %d", round).hasValue(1);
    }
  }

  @Test
  void aMarkThatCanNeverBeReachedIsRefused() {
    FlowControl flow = new FlowControl(100);
    assertThatThrownBy(() -> flow.awaitCapacity(10, 101, () -> {})).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> flow.awaitCapacity(10, 0, () -> {})).isInstanceOf(IllegalArgumentException.class);
  }
}
