package io.weir.perf;

import io.weir.window.AlignedWindowOperator;
import io.weir.window.TumblingWindows;
import io.weir.window.WindowOperator;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.infra.Blackhole;

/** (a) {@link AlignedWindowOperator} with 60 s tumbling windows; score = events/s. */
public class TumblingWindowBenchmark extends WindowBenchmarkBase {

  @Override
  WindowOperator createOperator(BlackholeWindowOutput output) {
    return new AlignedWindowOperator(TumblingWindows.of(60_000), 0, output);
  }

  @Benchmark
  @OperationsPerInvocation(EVENTS)
  public long tumbling60s(Blackhole blackhole) {
    return replay(blackhole);
  }
}
