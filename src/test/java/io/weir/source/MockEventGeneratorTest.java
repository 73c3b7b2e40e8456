package io.weir.source;

import static org.assertj.core.api.Assertions.assertThat;

import io.weir.config.MockSourceConfig;
import io.weir.event.StreamEvent;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class MockEventGeneratorTest {

  private static MockSourceConfig config(long jitter, Long maxEvents) {
    return new MockSourceConfig("m", 100, 4, 2, 7L, jitter, 0L, maxEvents, 0, 10, null);
  }

  private static List<StreamEvent> take(MockEventGenerator g, int partition, int n) {
    List<StreamEvent> out = new ArrayList<>();
    for (int i = 0; i < n && !g.exhausted(partition); i++) {
      out.add(g.next(partition));
    }
    return out;
  }

  @Test
  void sameSeedAndStartGiveTheSameEvents() {
    assertThat(take(new MockEventGenerator(config(50, null), 1_000, 7), 0, 100))
        .isEqualTo(take(new MockEventGenerator(config(50, null), 1_000, 7), 0, 100));
  }

  @Test
  void timestampsFollowTheRateAndKeysStayInTheirPartition() {
    // 100 events/s over 2 partitions: each partition advances 20 ms per event.
    MockEventGenerator g = new MockEventGenerator(config(0, null), 1_000, 7);
    List<StreamEvent> p1 = take(g, 1, 3);
    assertThat(p1).extracting(StreamEvent::timestamp).containsExactly(1_000L, 1_020L, 1_040L);
    assertThat(p1).extracting(StreamEvent::offset).containsExactly(0L, 1L, 2L);
    // keys 0..3 with 2 partitions: partition 1 owns key-1 and key-3
    assertThat(take(g, 1, 200)).extracting(StreamEvent::key).containsOnly("key-1", "key-3");
  }

  @Test
  void jitterStaysWithinItsBoundAndValuesWithinTheirRange() {
    MockEventGenerator g = new MockEventGenerator(config(50, null), 1_000, 7);
    List<StreamEvent> events = take(g, 0, 1_000);
    for (StreamEvent e : events) {
      long nominal = 1_000 + e.offset() * 20;
      assertThat(e.timestamp()).isBetween(nominal - 50, nominal);
      assertThat(e.value()).isBetween(0.0, 10.0);
    }
  }

  @Test
  void maxEventsIsSplitOverPartitions() {
    MockEventGenerator g = new MockEventGenerator(config(0, 5L), 0, 7);
    assertThat(take(g, 0, 100)).hasSize(3); // 5 = 3 + 2
    assertThat(take(g, 1, 100)).hasSize(2);
    assertThat(g.exhausted(0)).isTrue();
    assertThat(g.exhausted(1)).isTrue();
  }
}
