package io.weir.perf;

import io.weir.window.AlignedWindowOperator;
import io.weir.window.SlidingWindows;
import io.weir.window.WindowOperator;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.infra.Blackhole;

/**
 * (b) {@link AlignedWindowOperator} with 60 s windows sliding by 10 s (every event is in 6
 * windows); score = events/s.
 */
public class SlidingWindowBenchmark extends WindowBenchmarkBase {

  @Override
  WindowOperator createOperator(BlackholeWindowOutput output) {
    return new AlignedWindowOperator(SlidingWindows.of(60_000, 10_000), 0, output);
  }

  @Benchmark
  @OperationsPerInvocation(EVENTS)
  public long sliding60s10s(Blackhole blackhole) {
    return replay(blackhole);
  }
}
