package io.weir.perf;

import io.weir.watermark.BoundedOutOfOrdernessWatermarks;
import io.weir.watermark.WatermarkCombiner;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;
import org.openjdk.jmh.infra.Blackhole;

/**
 * (d) Watermark path per event: the source partition's {@link BoundedOutOfOrdernessWatermarks}
 * ({@code onEvent}) and the operator's {@link WatermarkCombiner} ({@code update} of that
 * channel, minimum over channels), for every event. Events arrive round-robin from {@code
 * channels} source partitions, each in time order with bounded jitter (like the mock source).
 * Score = events/s.
 */
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(value = 1, jvmArgsAppend = {"-Xms2g", "-Xmx2g", "-XX:+AlwaysPreTouch"})
@State(Scope.Thread)
public class WatermarkBenchmark {
  static final int EVENTS = 1_200_000;

  /** Source partitions = input channels of the operator. */
  @Param("2")
  public int channels;

  @Param("10000")
  public double eventsPerSecond;

  @Param("1000")
  public long jitterMs;

  @Param("2000")
  public long delayMs;

  private EventStream stream;
  private BoundedOutOfOrdernessWatermarks[] generators;
  private WatermarkCombiner combiner;
  private long base;

  @Setup(Level.Trial)
  public void setUp() {
    stream = new EventStream(EVENTS, 1, eventsPerSecond, jitterMs, 1, 7L);
    generators = new BoundedOutOfOrdernessWatermarks[channels];
    for (int c = 0; c < channels; c++) {
      generators[c] = new BoundedOutOfOrdernessWatermarks(delayMs);
    }
    combiner = new WatermarkCombiner(channels);
    base = EventStream.EPOCH;
  }

  @Benchmark
  @OperationsPerInvocation(EVENTS)
  public long generateAndCombine(Blackhole blackhole) {
    long[] timestamps = stream.timestamps;
    int n = channels;
    long shift = base;
    long advances = 0;
    for (int i = 0; i < timestamps.length; i++) {
      int channel = i % n;
      long watermark = generators[channel].onEvent(shift + timestamps[i]);
      if (combiner.update(channel, watermark)) {
        advances++;
        blackhole.consume(combiner.current());
      }
    }
    base += stream.span();
    return advances;
  }
}
