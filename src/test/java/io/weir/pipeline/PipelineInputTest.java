package io.weir.pipeline;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.vertx.core.Vertx;
import io.vertx.junit5.VertxExtension;
import io.weir.config.WatermarkConfig;
import io.weir.event.ChannelIdle;
import io.weir.event.EventBatch;
import io.weir.event.StreamElement;
import io.weir.event.StreamEvent;
import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

@ExtendWith(VertxExtension.class)
class PipelineInputTest {
  private final AtomicLong now = new AtomicLong(1_000_000);
  private final InstantSource clock = () -> Instant.ofEpochMilli(now.get());
  private final List<StreamElement> op0 = new CopyOnWriteArrayList<>();
  private final List<StreamElement> op1 = new CopyOnWriteArrayList<>();
  private PipelineInput input;

  @BeforeEach
  void setUp(Vertx vertx) {
    Codecs.register(vertx.eventBus());
    vertx.eventBus().<StreamElement>localConsumer(PipelineAddress.operator("p", 0), m -> op0.add(m.body()));
    vertx.eventBus().<StreamElement>localConsumer(PipelineAddress.operator("p", 1), m -> op1.add(m.body()));
    input = new PipelineInput(
            vertx.eventBus(), "p", "src", 2, 2, new WatermarkConfig(10, 500L, 100L, 60_000L), "dlq", (reason, n) -> {},
            new FlowControl(1_000), 100, clock);
  }

  private static StreamEvent event(String key, long ts, int partition, long offset) {
    return new StreamEvent(null, key, ts, 1.0, partition, offset);
  }

  private static String keyFor(int operator) {
    for (int i = 0; ; i++) {
      String key = "k" + i;
      if (Math.floorMod(key.hashCode(), 2) == operator) {
        return key;
      }
    }
  }

  @Test
  void everyOperatorGetsEveryWatermarkAdvanceOfTheChannel() {
    String a = keyFor(0);
    String b = keyFor(1);
    // delay 10: watermarks after each event are 100-11=89, 120-11=109, (115 adds none), 130-11=119
    input.emit(0, List.of(event(a, 100, 0, 0), event(b, 120, 0, 1), event(a, 115, 0, 2), event(b, 130, 0, 3)));
    await().atMost(Duration.ofSeconds(5)).until(() -> op0.size() == 1 && op1.size() == 1);
    EventBatch first = (EventBatch) op0.get(0);
    EventBatch second = (EventBatch) op1.get(0);
    assertThat(first.events()).extracting(StreamEvent::timestamp).containsExactly(100L, 115L);
    assertThat(first.watermarkBefore()).containsExactly(Long.MIN_VALUE, 109L);
    assertThat(second.events()).extracting(StreamEvent::timestamp).containsExactly(120L, 130L);
    assertThat(second.watermarkBefore()).containsExactly(89L, 109L);
    assertThat(first.watermarkAdvances()).containsExactly(89L, 109L, 119L);
    assertThat(second.watermarkAdvances()).isSameAs(first.watermarkAdvances());
  }

  @Test
  void anOperatorWithoutEventsOfItsOwnStillGetsTheAdvances() {
    String a = keyFor(0);
    input.emit(1, List.of(event(a, 100, 1, 0)));
    await().atMost(Duration.ofSeconds(5)).until(() -> op0.size() == 1 && op1.size() == 1);
    EventBatch empty = (EventBatch) op1.get(0);
    assertThat(empty.events()).isEmpty();
    assertThat(empty.channel()).isEqualTo(1);
    assertThat(empty.watermarkAdvances()).containsExactly(89L);
  }

  @Test
  void aSilentPartitionIsMarkedIdleButNeverWhileBackpressured() {
    input.emit(0, List.of(event(keyFor(0), 100, 0, 0)));
    input.emit(1, List.of(event(keyFor(0), 100, 1, 0)));
    now.addAndGet(499);
    input.idleCheck(false);
    assertThat(input.partitionStatus(0).idle()).isFalse();

    // Waiting for capacity is not silence: the clock of silence restarts.
    now.addAndGet(1_000);
    input.idleCheck(true);
    now.addAndGet(499);
    input.idleCheck(false);
    assertThat(input.partitionStatus(0).idle()).isFalse();

    // Partition 1 produces; partition 0 stays silent for the full timeout.
    input.emit(1, List.of(event(keyFor(0), 200, 1, 1)));
    now.addAndGet(1);
    input.idleCheck(false);
    assertThat(input.partitionStatus(0).idle()).isTrue();
    assertThat(input.partitionStatus(1).idle()).isFalse();
    await()
        .atMost(Duration.ofSeconds(5))
        .until(() -> op0.stream().anyMatch(e -> e instanceof ChannelIdle c && c.channel() == 0));
    assertThat(op1).anyMatch(e -> e instanceof ChannelIdle c && c.channel() == 0);

    // Its next event makes it active again, in every operator: operator 1, which gets none of
    // its events (and no advance: 300 is below the maximum), still gets an empty batch of it.
    int before = op1.size();
    input.emit(0, List.of(event(keyFor(0), 50, 0, 1)));
    assertThat(input.partitionStatus(0).idle()).isFalse();
    await()
        .atMost(Duration.ofSeconds(5))
        .until(() -> op1.size() > before && op1.get(op1.size() - 1) instanceof EventBatch b && b.channel() == 0 && b.events().isEmpty());

    // A stop does not count as silence: after resuming, the clock of silence restarts.
    now.addAndGet(10_000);
    input.resumed();
    input.idleCheck(false);
    assertThat(input.partitionStatus(0).idle()).isFalse();
  }

  @Test
  void eventsFarInTheFutureGoToTheDeadLetterSinkInsteadOfMovingEventTime(Vertx vertx) {
    List<Object> dead = new CopyOnWriteArrayList<>();
    vertx.eventBus().<io.weir.sink.SinkBatch>localConsumer(io.weir.sink.SinkAddress.of("dlq"), m -> {
      dead.addAll(m.body().records());
      m.reply(null);
    });
    String a = keyFor(0);
    // max_future_ms 60000, wall clock 1,000,000: 1,060,001 is too far ahead
    input.emit(0, List.of(event(a, 100, 0, 0), event(a, 1_060_001, 0, 1), event(a, 200, 0, 2)));
    await().atMost(Duration.ofSeconds(5)).until(() -> op0.size() == 1 && dead.size() == 1);
    EventBatch batch = (EventBatch) op0.get(0);
    assertThat(batch.events()).extracting(StreamEvent::offset).containsExactly(0L, 2L);
    assertThat(batch.watermarkAdvances()).containsExactly(89L, 189L);
    io.weir.sink.DeadLetter d = (io.weir.sink.DeadLetter) dead.get(0);
    assertThat(d.reason()).isEqualTo("future_timestamp");
    assertThat(d.offset()).isEqualTo(1);
  }

  @Test
  void whenEveryPartitionIsIdleTheirTimeFollowsTheWallClock() {
    input.emit(0, List.of(event(keyFor(0), 100, 0, 0)));
    input.emit(1, List.of(event(keyFor(0), 100, 1, 0)));
    now.addAndGet(500);
    input.idleCheck(false); // both idle now (timeout 500)
    // idle_advance_ms 100: watermark = now - 100 = 1,000,400
    await()
        .atMost(Duration.ofSeconds(5))
        .until(() -> op1.stream().anyMatch(e -> e instanceof io.weir.event.Watermark w && w.timestamp() == 1_000_400L));
    assertThat(input.partitionStatus(0).watermark()).isEqualTo(1_000_400L);
    assertThat(input.partitionStatus(1).watermark()).isEqualTo(1_000_400L);
  }
}
