package io.weir.perf;

import io.weir.config.MockSourceConfig;
import io.weir.event.StreamEvent;
import io.weir.source.MockEventGenerator;
import java.util.SplittableRandom;
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
 * (e) The mock source's event generation, {@link MockEventGenerator#next}, which runs on the
 * source's single event loop in every end-to-end run: events/s one thread can generate.
 *
 * <p>{@code nextWithoutId} is a what-if baseline, not engine code: the same key, jitter, time and
 * value draws, but the optional event id left null instead of built as {@code source-p-i} for
 * every event. The difference is what that string costs.
 */
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(value = 1, jvmArgsAppend = {"-Xms2g", "-Xmx2g", "-XX:+AlwaysPreTouch"})
@State(Scope.Thread)
public class MockEventGeneratorBenchmark {
  static final int EVENTS = 10_000;

  @Param("10000")
  public int keys;

  @Param("2")
  public int partitions;

  private MockEventGenerator generator;
  private BaselineGenerator baseline;

  @Setup(Level.Trial)
  public void setUp() {
    MockSourceConfig config =
        new MockSourceConfig(
            "bench", 1e9, keys, partitions, 42L, 1000, EventStream.EPOCH, null, 0.0, 100.0, null);
    generator = new MockEventGenerator(config, EventStream.EPOCH, 42L);
    baseline = new BaselineGenerator(config, EventStream.EPOCH, 42L);
  }

  @Benchmark
  @OperationsPerInvocation(EVENTS)
  public void next(Blackhole blackhole) {
    int p = 0;
    for (int i = 0; i < EVENTS; i++) {
      blackhole.consume(generator.next(p));
      p = p + 1 == partitions ? 0 : p + 1;
    }
  }

  @Benchmark
  @OperationsPerInvocation(EVENTS)
  public void nextWithoutId(Blackhole blackhole) {
    int p = 0;
    for (int i = 0; i < EVENTS; i++) {
      blackhole.consume(baseline.next(p));
      p = p + 1 == partitions ? 0 : p + 1;
    }
  }

  /** {@link MockEventGenerator#next} as of commit 1f1b15b, minus the id string. */
  static final class BaselineGenerator {
    private final long startTime;
    private final double intervalMs;
    private final long maxOutOfOrderMs;
    private final double valueMin;
    private final double valueSpan;
    private final String[][] keysByPartition;
    private final SplittableRandom[] randoms;
    private final long[] next;

    BaselineGenerator(MockSourceConfig config, long startTime, long seed) {
      int n = config.partitions();
      this.startTime = startTime;
      this.intervalMs = n * 1000.0 / config.ratePerSec();
      this.maxOutOfOrderMs = config.maxOutOfOrderMs();
      this.valueMin = config.valueMin();
      this.valueSpan = config.valueMax() - config.valueMin();
      this.keysByPartition = new String[n][];
      this.randoms = new SplittableRandom[n];
      this.next = new long[n];
      for (int p = 0; p < n; p++) {
        int count = (config.keys() - p + n - 1) / n;
        keysByPartition[p] = new String[count];
        for (int j = 0; j < count; j++) {
          keysByPartition[p][j] = "key-" + (p + j * n);
        }
        randoms[p] = new SplittableRandom(seed * 0x9E3779B97F4A7C15L + p);
      }
    }

    StreamEvent next(int p) {
      long i = next[p]++;
      SplittableRandom random = randoms[p];
      String[] keys = keysByPartition[p];
      String key = keys.length == 1 ? keys[0] : keys[random.nextInt(keys.length)];
      long jitter = maxOutOfOrderMs == 0 ? 0 : random.nextLong(maxOutOfOrderMs + 1);
      long timestamp = startTime + (long) Math.floor(i * intervalMs) - jitter;
      double value = Math.round((valueMin + random.nextDouble() * valueSpan) * 100.0) / 100.0;
      return new StreamEvent(null, key, timestamp, value, p, i);
    }
  }
}
